"""The CBV 2.0 event hash ID against published vectors, and its stability rules."""

from __future__ import annotations

import copy

import pytest

from logispace.domains.logistics import event_hash_id, pre_hash
from logispace.domains.logistics.epcis.hashing import context_prefixes, number, timestamp
from logispace.domains.logistics.epcis.identifiers import check_digit, epc_to_digital_link
from tests.logistics.support import EXAMPLES, load

# Published by the GS1 reference implementation (RalphTro/epcis-event-hash-generator,
# tests/examples/epcisDocHavingEventWithComment.hashes and .prehashes) for the first event of
# Example_9.6.1-with-comment.jsonld (the same event as in ../shared, rdfs:comment included).
WITH_COMMENT_HASH = (
    "ni:///sha-256;df6523665bc5e5803d6c7b84f5a04e103694d8220f2abc4f2c74310e89f31bc6?ver=CBV2.0"
)
WITH_COMMENT_PREHASH = (
    "eventType=ObjectEventeventTime=2005-04-04T02:33:31.116ZeventTimeZoneOffset=-06:00"
    "epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018"
    "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping"
    "disposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/0614141073467/254/1234"
    "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=http://transaction.acme.com/po/12345678"
)

# The walkthrough of a public EPCIS 2.0 hashing SDK's README: an SSCC list out of order, an SGLN
# with extension, a bare CBV word, recordTime (left out) and a nested user extension. Only its
# pre-hash string is checked: the final hash printed there is not the SHA-256 of that string.
WALKTHROUGH_EVENT = {
    "type": "ObjectEvent",
    "eventTime": "2020-03-04T11:00:30.000+01:00",
    "eventTimeZoneOffset": "+01:00",
    "recordTime": "2020-03-04T11:00:30.999+01:00",
    "epcList": [
        "urn:epc:id:sscc:4012345.0000000333",
        "urn:epc:id:sscc:4012345.0000000111",
        "urn:epc:id:sscc:4012345.0000000222",
    ],
    "action": "OBSERVE",
    "bizStep": "departing",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
    "example:myField1": {"example:mySubField1": "2", "example:mySubField2": "5"},
}
WALKTHROUGH_PREHASH = (
    "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
    "epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/040123450000002225"
    "epc=https://id.gs1.org/00/040123450000003338action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departing"
    "readPointid=https://id.gs1.org/414/4012345000115/254/987"
    "{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2"
    "{https://ns.example.com/epcis/}mySubField2=5"
)


def test_published_hash_of_the_example_with_a_comment() -> None:
    doc = load(EXAMPLES / "Example_9.6.1-with-comment.jsonld")
    event = doc["epcisBody"]["eventList"][0]
    assert "rdfs:comment" in event
    prefixes = context_prefixes(doc["@context"])
    assert pre_hash(event, prefixes) == WITH_COMMENT_PREHASH
    assert event_hash_id(event, prefixes) == WITH_COMMENT_HASH


def test_published_prehash_of_the_walkthrough() -> None:
    assert pre_hash(WALKTHROUGH_EVENT, {"example": "https://ns.example.com/epcis/"}) == WALKTHROUGH_PREHASH


def test_order_of_keys_and_list_elements_does_not_matter() -> None:
    shuffled = dict(reversed(list(copy.deepcopy(WALKTHROUGH_EVENT).items())))
    shuffled["epcList"] = list(reversed(shuffled["epcList"]))
    prefixes = {"example": "https://ns.example.com/epcis/"}
    assert event_hash_id(shuffled, prefixes) == event_hash_id(WALKTHROUGH_EVENT, prefixes)


def test_same_event_in_other_notations_hashes_the_same() -> None:
    other = copy.deepcopy(WALKTHROUGH_EVENT)
    other["eventTime"] = "2020-03-04T10:00:30Z"  # same instant in UTC, no fraction
    other["bizStep"] = "urn:epcglobal:cbv:bizstep:departing"
    other["readPoint"] = {"id": "https://id.gs1.org/414/4012345000115/254/987"}
    other["eventID"] = "urn:uuid:6e1a-ignored"
    other.pop("recordTime")
    prefixes = {"example": "https://ns.example.com/epcis/"}
    assert event_hash_id(other, prefixes) == event_hash_id(WALKTHROUGH_EVENT, prefixes)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("eventTime", "2020-03-04T11:00:30.001+01:00"),
        ("action", "ADD"),
        ("bizStep", "arriving"),
        ("disposition", "in_transit"),
        ("epcList", ["urn:epc:id:sscc:4012345.0000000111"]),
        ("example:myField1", {"example:mySubField1": "3", "example:mySubField2": "5"}),
        ("example:other", "x"),
    ],
)
def test_any_change_changes_the_hash(field: str, value: object) -> None:
    prefixes = {"example": "https://ns.example.com/epcis/"}
    changed = {**copy.deepcopy(WALKTHROUGH_EVENT), field: value}
    assert event_hash_id(changed, prefixes) != event_hash_id(WALKTHROUGH_EVENT, prefixes)


def test_the_namespace_not_the_prefix_counts() -> None:
    renamed = {k.replace("example:", "ex:"): v for k, v in WALKTHROUGH_EVENT.items()}
    renamed["ex:myField1"] = {"ex:mySubField1": "2", "ex:mySubField2": "5"}
    same = event_hash_id(renamed, {"ex": "https://ns.example.com/epcis/"})
    assert same == event_hash_id(WALKTHROUGH_EVENT, {"example": "https://ns.example.com/epcis/"})
    assert event_hash_id(renamed, {"ex": "https://other.example/"}) != same


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"),
        ("2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000Z"),
        ("2020-01-01T00:00:00.1234+00:00", "2020-01-01T00:00:00.123Z"),
        ("2020-01-01T00:00:00.1235+00:00", "2020-01-01T00:00:00.124Z"),
        ("2020-12-31T23:59:59.9996Z", "2021-01-01T00:00:00.000Z"),
    ],
)
def test_timestamps_become_utc_milliseconds(given: str, expected: str) -> None:
    assert timestamp(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"), [(1.50, "1.5"), (2.0, "2"), (60, "60"), ("-477979.890", "-477979.89")]
)
def test_numbers_lose_trailing_zeros(given: object, expected: str) -> None:
    assert number(given) == expected


@pytest.mark.parametrize(
    ("urn", "link"),
    [
        ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
        ("urn:epc:id:sscc:4012345.0000000111", "https://id.gs1.org/00/040123450000001112"),
        ("urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234"),
        ("urn:epc:id:sgln:4012345.00011.0", "https://id.gs1.org/414/4012345000115"),
        ("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877"),
        ("urn:epc:id:giai:4000001.12345", "https://id.gs1.org/8004/400000112345"),
        ("https://id.gs1.org/01/10614141073464/21/2017", "https://id.gs1.org/01/10614141073464/21/2017"),
        ("urn:epc:id:sgtin:bad", "urn:epc:id:sgtin:bad"),
    ],
)
def test_epc_urns_become_digital_links(urn: str, link: str) -> None:
    assert epc_to_digital_link(urn) == link


def test_gs1_check_digit() -> None:
    assert check_digit("0614141073467"[:-1]) == "7"
    assert check_digit("400638133393") == "1"  # GTIN-13 4006381333931
