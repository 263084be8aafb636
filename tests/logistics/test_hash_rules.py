"""The CBV 2.0 event hash rules (CBV 2.0 §8.9, GS1 Digital Link URI syntax 1.2), one hand-built case
per rule: an event fragment and the pre-hash text it must give.

Every case is the base event below plus the fragment; the expected text is the whole pre-hash
after ``eventType=ObjectEventeventTime=2020-01-01T00:00:00.000Z``. Check digits were worked out
by hand with the GS1 mod-10 rule (weights 3,1,3,... from the right).
"""

from __future__ import annotations

from typing import Any

import pytest

from logispace.domains.logistics import event_hash_id, pre_hash

BASE = {"type": "ObjectEvent", "eventTime": "2020-01-01T00:00:00Z"}
HEAD = "eventType=ObjectEventeventTime=2020-01-01T00:00:00.000Z"
PREFIXES = {"ex": "https://ns.example.com/epcis/"}
EX = "{https://ns.example.com/epcis/}"
DL = "https://id.gs1.org"

# (rule, fragment, expected pre-hash after HEAD)
CASES: list[tuple[str, dict[str, Any], str]] = [
    # EPC pure identity URNs (TDS) -> canonical Digital Link, check digit computed
    (
        "sgtin -> 01 + 21",
        {"epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]},
        f"epcListepc={DL}/01/10614141073464/21/2017",
    ),
    (
        "sgtin serial keeps the URN's characters and escapes",
        {"epcList": ["urn:epc:id:sgtin:0614141.107346.A(1)*!%2F"]},
        f"epcListepc={DL}/01/10614141073464/21/A(1)*!%2F",
    ),
    (
        "sscc -> 00",
        {"epcList": ["urn:epc:id:sscc:4012345.0000000333"]},
        f"epcListepc={DL}/00/040123450000003338",
    ),
    (
        "sgln -> 414 + 254",
        {"readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"}},
        f"readPointid={DL}/414/4012345000115/254/987",
    ),
    (
        "sgln extension 0 -> 414 alone",
        {"bizLocation": {"id": "urn:epc:id:sgln:4012345.00011.0"}},
        f"bizLocationid={DL}/414/4012345000115",
    ),
    (
        "grai -> 8003 (leading 0, check, serial)",
        {"epcList": ["urn:epc:id:grai:4012345.66666.38"]},
        f"epcListepc={DL}/8003/0401234566666338",
    ),
    ("giai -> 8004", {"epcList": ["urn:epc:id:giai:4012345.AAbb"]}, f"epcListepc={DL}/8004/4012345AAbb"),
    (
        "gsrn -> 8018",
        {"epcList": ["urn:epc:id:gsrn:4012345.9876540000"]},
        f"epcListepc={DL}/8018/401234598765400000",
    ),
    (
        "gsrnp -> 8017",
        {"epcList": ["urn:epc:id:gsrnp:4012345.0000098765"]},
        f"epcListepc={DL}/8017/401234500000987658",
    ),
    (
        "gdti -> 253 + serial",
        {"epcList": ["urn:epc:id:gdti:4012345.55555.498"]},
        f"epcListepc={DL}/253/4012345555554498",
    ),
    (
        "gsin -> 402",
        {"epcList": ["urn:epc:id:gsin:4012345.999987654"]},
        f"epcListepc={DL}/402/40123459999876541",
    ),
    ("ginc -> 401", {"epcList": ["urn:epc:id:ginc:4012345.333"]}, f"epcListepc={DL}/401/4012345333"),
    (
        "cpi -> 8010 + 8011",
        {"epcList": ["urn:epc:id:cpi:4012345.ABC.123"]},
        f"epcListepc={DL}/8010/4012345ABC/8011/123",
    ),
    (
        "sgcn -> 255",
        {"epcList": ["urn:epc:id:sgcn:4012345.99999.044"]},
        f"epcListepc={DL}/255/4012345999990044",
    ),
    (
        "itip -> 8006 + 21",
        {"epcList": ["urn:epc:id:itip:4012345.012345.01.02.999"]},
        f"epcListepc={DL}/8006/040123451234560102/21/999",
    ),
    (
        "upui -> 01 + 235",
        {"epcList": ["urn:epc:id:upui:4012345.012345.AB12"]},
        f"epcListepc={DL}/01/04012345123456/235/AB12",
    ),
    (
        "pgln -> 417 (source)",
        {"sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}]},
        f"sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource={DL}/417/4012345002256",
    ),
    # EPC class URNs and ID patterns
    (
        "lgtin class -> 01 + 10",
        {
            "quantityList": [
                {"epcClass": "urn:epc:class:lgtin:4054739.099914.20160711", "quantity": 600.0, "uom": "KGM"}
            ]
        },
        f"quantityListquantityElementepcClass={DL}/01/04054739999148/10/20160711quantity=600uom=KGM",
    ),
    (
        "idpat sgtin -> 01",
        {"quantityList": [{"epcClass": "urn:epc:idpat:sgtin:4054739.099914.*"}]},
        f"quantityListquantityElementepcClass={DL}/01/04054739999148",
    ),
    (
        "idpat grai -> 8003",
        {"quantityList": [{"epcClass": "urn:epc:idpat:grai:4012345.66666.*"}]},
        f"quantityListquantityElementepcClass={DL}/8003/04012345666663",
    ),
    (
        "idpat gdti -> 253",
        {"quantityList": [{"epcClass": "urn:epc:idpat:gdti:4012345.55555.*"}]},
        f"quantityListquantityElementepcClass={DL}/253/4012345555554",
    ),
    (
        "idpat cpi -> 8010",
        {"quantityList": [{"epcClass": "urn:epc:idpat:cpi:4012345.ABC.*"}]},
        f"quantityListquantityElementepcClass={DL}/8010/4012345ABC",
    ),
    (
        "idpat itip -> 8006",
        {"quantityList": [{"epcClass": "urn:epc:idpat:itip:4012345.012345.01.02.*"}]},
        f"quantityListquantityElementepcClass={DL}/8006/040123451234560102",
    ),
    # GS1 Digital Link URIs on any domain -> constrained canonical form
    (
        "DL custom domain -> id.gs1.org",
        {"epcList": ["https://example.com/01/10614141073464/21/2017"]},
        f"epcListepc={DL}/01/10614141073464/21/2017",
    ),
    (
        "DL path prefix before the key is dropped",
        {"epcList": ["https://brand.example/products/01/10614141073464/21/7"]},
        f"epcListepc={DL}/01/10614141073464/21/7",
    ),
    (
        "DL short names -> AIs",
        {"epcList": ["https://example.com/gtin/10614141073464/ser/2017"]},
        f"epcListepc={DL}/01/10614141073464/21/2017",
    ),
    (
        "DL GTIN-13 padded to 14",
        {"epcList": ["https://id.gs1.org/01/4012345123456/21/1"]},
        f"epcListepc={DL}/01/04012345123456/21/1",
    ),
    (
        "DL query string dropped",
        {"epcList": ["https://id.gs1.org/01/04012345123456/21/1?17=250101"]},
        f"epcListepc={DL}/01/04012345123456/21/1",
    ),
    (
        "DL consumer product variant dropped",
        {"epcList": ["https://id.gs1.org/01/04012345123456/22/V1/21/1"]},
        f"epcListepc={DL}/01/04012345123456/21/1",
    ),
    (
        "DL lot dropped when a serial follows",
        {"epcList": ["https://id.gs1.org/01/04012345123456/10/L1/21/1"]},
        f"epcListepc={DL}/01/04012345123456/21/1",
    ),
    (
        "DL SSCC short name",
        {"parentID": "https://example.org/sscc/040123450000003338"},
        f"parentID={DL}/00/040123450000003338",
    ),
    (
        "a URL that is no Digital Link stays",
        {"epcList": ["https://example.com/items/42"]},
        "epcListepc=https://example.com/items/42",
    ),
    # fields
    (
        "transformationID converted",
        {"transformationID": "urn:epc:id:gdti:4012345.55555.1234"},
        f"transformationID={DL}/253/40123455555541234",
    ),
    (
        "certificationInfo left out (not in the CBV 2.0 canonical order)",
        {
            "certificationInfo": "https://cert.example.org/c/1",
            "eventTimeZoneOffset": "+01:00",
            "action": "ADD",
        },
        "eventTimeZoneOffset=+01:00action=ADD",
    ),
    (
        "sensor elements written without the list's name",
        {"sensorElementList": [{"sensorReport": [{"type": "gs1:Temperature", "value": 5}]}]},
        "sensorElementsensorReporttype=https://ref.gs1.org/voc/Temperaturevalue=5",
    ),
    # GS1 Web vocabulary: the reference writes https://ref.gs1.org/voc/ (its gs1: namespace)
    (
        "bare measurement type -> ref.gs1.org/voc",
        {"sensorElementList": [{"sensorReport": [{"type": "Humidity", "value": 1}]}]},
        "sensorElementsensorReporttype=https://ref.gs1.org/voc/Humidityvalue=1",
    ),
    (
        "alert exception -> ref.gs1.org/voc",
        {"sensorElementList": [{"sensorReport": [{"type": "gs1:Temperature", "exception": "ALARM"}]}]},
        "sensorElementsensorReporttype=https://ref.gs1.org/voc/Temperatureexception=https://ref.gs1.org/voc/ALARM",
    ),
    (
        "measurement type given as a full URI stays as given",
        {"sensorElementList": [{"sensorReport": [{"type": "https://gs1.org/voc/Temperature"}]}]},
        "sensorElementsensorReporttype=https://gs1.org/voc/Temperature",
    ),
    (
        "gs1: extension key -> {https://ref.gs1.org/voc/}",
        {"gs1:netWeight": "2"},
        "{https://ref.gs1.org/voc/}netWeight=2",
    ),
    (
        "gs1: value -> ref.gs1.org/voc",
        {"ex:unit": "gs1:Temperature"},
        f"{EX}unit=https://ref.gs1.org/voc/Temperature",
    ),
    (
        "cbvmda: key without a context definition -> {urn:epcglobal:cbv:mda}",
        {"ilmd": {"cbvmda:lotNumber": "L1"}},
        "ilmd{urn:epcglobal:cbv:mda}lotNumber=L1",
    ),
    (
        "readPoint extension goes to the extension part after the field's name",
        {"readPoint": {"id": "urn:epc:id:sgln:4012345.00011.0", "ex:door": "3"}, "action": "ADD"},
        f"action=ADDreadPointid={DL}/414/4012345000115readPoint{EX}door=3",
    ),
    (
        "sensor extensions go to the extension part under sensorElement",
        {
            "sensorElementList": [
                {
                    "sensorMetadata": {"deviceID": "urn:epc:id:giai:4012345.1", "ex:m": "a"},
                    "sensorReport": [{"type": "Temperature", "value": 5, "ex:r": "b"}],
                    "ex:e": "c",
                }
            ],
            "ex:top": "d",
        },
        f"sensorElementsensorMetadatadeviceID={DL}/8004/40123451"
        "sensorReporttype=https://ref.gs1.org/voc/Temperaturevalue=5"
        f"sensorElementsensorMetadata{EX}m=asensorReport{EX}r=b{EX}e=c{EX}top=d",
    ),
    (
        "nested extensions in canonical order, before the event's own",
        {
            "bizLocation": {"id": "urn:epc:id:sgln:4012345.00011.0", "ex:b": "2"},
            "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.0", "ex:r": "1"},
            "ex:a": "0",
        },
        f"readPointid={DL}/414/4012345000115bizLocationid={DL}/414/4012345000115"
        f"readPoint{EX}r=1bizLocation{EX}b=2{EX}a=0",
    ),
    (
        "errorDeclaration left out",
        {
            "action": "ADD",
            "errorDeclaration": {"declarationTime": "2020-02-01T00:00:00Z", "reason": "incorrect_data"},
        },
        "action=ADD",
    ),
    (
        "parentID after epcList",
        {"parentID": "urn:epc:id:sscc:4012345.0000000333", "epcList": ["urn:epc:id:giai:4012345.1"]},
        f"epcListepc={DL}/8004/40123451parentID={DL}/00/040123450000003338",
    ),
    (
        "list elements sorted",
        {"epcList": ["urn:epc:id:giai:4012345.2", "urn:epc:id:giai:4012345.1"]},
        f"epcListepc={DL}/8004/40123451epc={DL}/8004/40123452",
    ),
    (
        "bizTransaction: type first, CBV word expanded",
        {
            "bizTransactionList": [
                {"type": "urn:epcglobal:cbv:btt:po", "bizTransaction": "urn:epc:id:gdti:4012345.55555.1"}
            ]
        },
        f"bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction={DL}/253/40123455555541",
    ),
    (
        "persistentDisposition set before unset",
        {"persistentDisposition": {"unset": ["completeness_inferred"], "set": ["completeness_verified"]}},
        "persistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/Disp-completeness_inferred",
    ),
    (
        "ilmd before user extensions",
        {"ex:b": "1", "ilmd": {"ex:lot": "L1"}},
        f"ilmd{EX}lot=L1{EX}b=1",
    ),
    (
        "eventID, recordTime and comments left out",
        {"eventID": "urn:uuid:x", "recordTime": "2021-01-01T00:00:00Z", "rdfs:comment": "c", "action": "ADD"},
        "action=ADD",
    ),
    # user extensions: every member counts
    (
        "nested member without prefix included",
        {"ex:sensor": {"reading": 5, "unit": "CEL"}},
        f"{EX}sensorreading=5unit=CEL",
    ),
    (
        "nested 'type' member of an extension included",
        {"ex:box": {"type": "pallet"}},
        f"{EX}boxtype=pallet",
    ),
    (
        "nested list of objects included and sorted",
        {"ex:readings": [{"v": 40}, {"v": 5}]},
        f"{EX}readingsv=40{EX}readingsv=5",
    ),
    ("extension numeric string loses trailing zeros", {"ex:weight": "3.50"}, f"{EX}weight=3.5"),
    (
        "extension compact IRI value expanded",
        {"ex:kind": "ex:Crate"},
        f"{EX}kind=https://ns.example.com/epcis/Crate",
    ),
    (
        "extension old CBV URN value -> Web URI",
        {"ex:step": "urn:epcglobal:cbv:bizstep:shipping"},
        f"{EX}step=https://ref.gs1.org/cbv/BizStep-shipping",
    ),
    (
        "extension EPC URN value -> Digital Link",
        {"ex:ref": "urn:epc:id:sscc:4012345.0000000333"},
        f"{EX}ref={DL}/00/040123450000003338",
    ),
    ("extensions sorted by expanded name", {"ex:z": "1", "ex:a": "2"}, f"{EX}a=2{EX}z=1"),
]


@pytest.mark.parametrize(("rule", "fragment", "expected"), CASES, ids=[c[0] for c in CASES])
def test_hash_rule(rule: str, fragment: dict[str, Any], expected: str) -> None:
    assert pre_hash({**BASE, **fragment}, PREFIXES) == HEAD + expected


def test_the_cases_cover_each_rule_once() -> None:
    assert len({c[0] for c in CASES}) == len(CASES)


# (rule, the document's own prefixes, fragment, expected pre-hash after HEAD)
CONTEXT_CASES: list[tuple[str, dict[str, str], dict[str, Any], str]] = [
    (
        "cbvmda defined by the document (colon) wins",
        {"cbvmda": "urn:epcglobal:cbv:mda:"},
        {"ilmd": {"cbvmda:lotNumber": "L1"}},
        "ilmd{urn:epcglobal:cbv:mda:}lotNumber=L1",
    ),
    (
        "cbvmda redefined by the document to a user namespace",
        {"cbvmda": "http://example.com/cbvmda/"},
        {"cbvmda:lotNumber": "L1"},
        "{http://example.com/cbvmda/}lotNumber=L1",
    ),
    ("no document prefixes: the standard gs1 namespace", {}, {"gs1:x": "1"}, "{https://ref.gs1.org/voc/}x=1"),
]


@pytest.mark.parametrize(
    ("rule", "prefixes", "fragment", "expected"), CONTEXT_CASES, ids=[c[0] for c in CONTEXT_CASES]
)
def test_hash_rule_with_the_documents_prefixes(
    rule: str, prefixes: dict[str, str], fragment: dict[str, Any], expected: str
) -> None:
    assert pre_hash({**BASE, **fragment}, prefixes) == HEAD + expected


def test_a_nested_reading_without_prefix_changes_the_hash() -> None:
    five = {**BASE, "ex:sensor": {"reading": 5}}
    forty = {**BASE, "ex:sensor": {"reading": 40}}
    assert event_hash_id(five, PREFIXES) != event_hash_id(forty, PREFIXES)


def test_an_error_declaration_hashes_like_the_event_it_declares_erroneous() -> None:
    event = {**BASE, "action": "OBSERVE", "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]}
    declared = {
        **event,
        "errorDeclaration": {"declarationTime": "2021-01-01T00:00:00Z", "reason": "did_not_occur"},
    }
    assert event_hash_id(declared, PREFIXES) == event_hash_id(event, PREFIXES)
