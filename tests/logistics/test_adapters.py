"""Intake adapters: DCSA T&T 2.2 events and GPS CSV rows become EPCIS documents that the capture
validator accepts; 网络货运 e-waybills become waybill drafts. Samples are hand-made."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.logistics.epcis import document
from logispace.domains.logistics.intake.adapters import dcsa, ewaybill, gps_csv
from logispace.domains.logistics.waybills.policies import TransportMode

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CREATED = "2026-11-22T12:00:00Z"


def accepted(doc: dict[str, Any]) -> list[document.ParsedEvent]:
    """What the EPCIS capture does with a document: schema, context and event rules."""
    document.validate_schema(doc)
    return document.events_of(doc, NOW, timedelta(minutes=5))


EQUIPMENT: dict[str, Any] = {
    "eventID": "3cecb101-7a1a-43a4-9d62-e88a131651e2",
    "eventType": "EQUIPMENT",
    "eventClassifierCode": "ACT",
    "eventDateTime": "2026-11-20T07:41:00+08:00",
    "eventCreatedDateTime": "2026-11-20T07:45:00+08:00",
    "equipmentEventTypeCode": "LOAD",
    "equipmentReference": "CSQU3054383",
    "ISOEquipmentCode": "45R1",
    "emptyIndicatorCode": "LADEN",
    "eventLocation": {"locationName": "钦州港 Qinzhou port", "UNLocationCode": "CNQZH"},
    "documentReferences": [
        {"documentReferenceType": "BKG", "documentReferenceValue": "QZH2611001"},
        {"documentReferenceType": "TRD", "documentReferenceValue": "BLQZH2611001"},
    ],
}
TRANSPORT: dict[str, Any] = {
    "eventID": "5e51e72c-d872-4f39-bd1b-a4d4c1c8a7c2",
    "eventType": "TRANSPORT",
    "eventClassifierCode": "ACT",
    "eventDateTime": "2026-11-20T18:00:00Z",
    "transportEventTypeCode": "DEPA",
    "transportCall": {
        "transportCallID": "QZH-2611-A",
        "UNLocationCode": "CNQZH",
        "modeOfTransport": "VESSEL",
        "vessel": {"vesselIMONumber": "9321483", "vesselName": "Beibu Gulf Star"},
    },
}
SHIPMENT: dict[str, Any] = {
    "eventID": "not-a-uuid-17",
    "eventType": "SHIPMENT",
    "eventClassifierCode": "ACT",
    "eventDateTime": "2026-11-19T09:00:00+08:00",
    "shipmentEventTypeCode": "ISSU",
    "documentTypeCode": "TRD",
    "documentID": "BLQZH2611001",
}


def test_dcsa_events_map_to_an_accepted_epcis_document() -> None:
    mapped = dcsa.map_events([EQUIPMENT, TRANSPORT, SHIPMENT], CREATED)
    assert mapped.errors == [] and mapped.warnings == []
    parsed = accepted(mapped.document)
    assert [p.event_type for p in parsed] == ["ObjectEvent"] * 3
    load, depart, issued = mapped.document["epcisBody"]["eventList"]
    assert load["epcList"] == ["urn:logispace:container:CSQU3054383"]
    assert load["bizStep"] == "loading"
    assert load["eventTimeZoneOffset"] == "+08:00"
    assert load["eventID"] == "urn:uuid:3cecb101-7a1a-43a4-9d62-e88a131651e2"
    assert load["readPoint"] == {"id": "urn:logispace:unlocode:CNQZH"}
    assert load["bizTransactionList"][1] == {
        "type": "bol",
        "bizTransaction": "urn:logispace:dcsa-reference:TRD:BLQZH2611001",
    }
    assert load["ls:emptyIndicatorCode"] == "LADEN"
    assert depart["epcList"] == ["urn:logispace:vessel:9321483"]
    assert (depart["bizStep"], depart["eventTimeZoneOffset"]) == ("departing", "+00:00")
    assert issued["epcList"] == ["urn:logispace:dcsa-document:TRD:BLQZH2611001"]
    assert "bizStep" not in issued and "eventID" not in issued  # the hash ID is given at capture
    assert parsed[0].biz_step == "https://ref.gs1.org/cbv/BizStep-loading"


def test_a_container_failing_iso_6346_is_kept_with_a_warning() -> None:
    event = {**EQUIPMENT, "equipmentReference": "APZU4812091"}  # check digit should be 0
    mapped = dcsa.map_events([event], CREATED)
    assert mapped.errors == []
    assert [w.where for w in mapped.warnings] == ["event 0"]
    assert "container APZU4812091: the ISO 6346 check digit is wrong" in mapped.warnings[0].message
    assert mapped.document["epcisBody"]["eventList"][0]["epcList"] == ["urn:logispace:container:APZU4812091"]
    assert len(accepted(mapped.document)) == 1


def test_geo_coordinates_become_the_read_point() -> None:
    event: dict[str, Any] = copy.deepcopy(EQUIPMENT)
    event["eventLocation"] = {**event["eventLocation"], "latitude": 21.6833, "longitude": 108.6167}
    out = dcsa.map_events([event], CREATED).document["epcisBody"]["eventList"][0]
    assert out["readPoint"] == {"id": "geo:21.6833,108.6167"}


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({**EQUIPMENT, "eventType": "CARGO"}, "unknown eventType 'CARGO'"),
        ({**EQUIPMENT, "equipmentReference": ""}, "needs equipmentReference"),
        ({**EQUIPMENT, "eventDateTime": "yesterday"}, "eventDateTime"),
        ({**EQUIPMENT, "eventDateTime": "2026-11-20T07:41:00"}, "no UTC offset"),
        ({**TRANSPORT, "transportCall": {}}, "vesselIMONumber or transportCallID"),
        ({**SHIPMENT, "documentID": None}, "documentTypeCode and documentID"),
    ],
)
def test_unmappable_dcsa_events_are_reported_by_index(event: dict[str, Any], message: str) -> None:
    mapped = dcsa.map_events([EQUIPMENT, event], CREATED)
    assert [e.where for e in mapped.errors] == ["event 1"]
    assert message in mapped.errors[0].message
    assert len(mapped.document["epcisBody"]["eventList"]) == 1


def test_planned_events_are_reported_not_captured() -> None:
    mapped = dcsa.map_events([{**TRANSPORT, "eventClassifierCode": "EST"}], CREATED)
    assert mapped.document["epcisBody"]["eventList"] == []
    assert "EST is not an actual event" in mapped.warnings[0].message


GPS = """plate,time,longitude,latitude,speed
桂A12345,2026-11-21T08:00:00+08:00,108.3200,22.8170,56.5
粤BD12345,2026-11-21 08:00:30,108.3300,22.8200,0
京AI2345,2026-11-21T08:01:00+08:00,108.34,22.82,60
桂A12345,2026-11-21T08:01:00+08:00,200.0,22.82,60
桂A12345,not a time,108.34,22.82,60
桂A12345,2026-11-21T08:02:00+08:00,108.35,22.83,fast
桂B12345F,2026-11-21T08:03:00Z,108.36,22.84,320
"""


def test_gps_rows_map_to_events_and_bad_rows_are_named_by_line() -> None:
    mapped = gps_csv.map_csv(GPS, CREATED)
    assert [(e.where, e.message.split(":")[0]) for e in mapped.errors] == [
        ("line 4", "licence plate 京AI2345"),
        ("line 5", "longitude 200.0 is outside -180.0..180.0"),
        ("line 6", "time 'not a time' is not an ISO 8601 timestamp"),
        ("line 7", "speed 'fast' is not a number"),
        ("line 8", "speed 320.0 is outside 0.0..200.0"),
    ]
    events = mapped.document["epcisBody"]["eventList"]
    assert len(events) == 2
    first, second = events
    assert first["readPoint"] == {"id": "geo:22.817,108.32"}
    assert first["epcList"] == ["urn:logispace:vehicle:%E6%A1%82A12345"]
    assert (first["ls:speedKmh"], first["ls:plateKind"]) == (56.5, "ordinary")
    assert second["eventTimeZoneOffset"] == "+08:00"  # no offset given: Beijing time
    assert second["ls:plateKind"] == "new_energy_small"
    parsed = accepted(mapped.document)
    assert [p.read_point for p in parsed] == ["geo:22.817,108.32", "geo:22.82,108.33"]


def test_a_gps_file_without_the_columns_is_refused_at_line_1() -> None:
    mapped = gps_csv.map_csv("plate,time,lon,lat\n桂A12345,2026-11-21T08:00:00+08:00,1,2\n", CREATED)
    assert [(e.where, e.message) for e in mapped.errors] == [
        ("line 1", "missing columns: longitude, latitude, speed")
    ]


CONSIGNOR = uscc_with_check_character("91450700MA0000001")
CONSIGNEE = uscc_with_check_character("91450100MA0000007")
CARRIER = uscc_with_check_character("91450100MA0000003")


def e_waybill(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "originalDocumentNumber": "YD20261122001",
        "shippingNoteNumber": "wl20261122001",
        "serialNumber": "0000",
        "transportTypeCode": "3",
        "businessTypeCode": "1002996",
        "consignorInfo": {
            "consignor": "广西某贸易有限公司",
            "consignorID": CONSIGNOR,
            "countrySubdivisionCode": "450702",
        },
        "consigneeInfo": {
            "consignee": "南宁某冷链公司",
            "consigneeID": CONSIGNEE,
            "countrySubdivisionCode": "450103",
        },
        "actualCarrierInfo": {"actualCarrierName": "某运输公司", "actualCarrierID": CARRIER},
        "vehicleInfo": [
            {
                "vehiclePlateColorCode": "2",
                "vehicleNumber": "桂A12345",
                "loadingCountrySubdivisionCode": "450702",
                "receiptCountrySubdivisionCode": "450103",
                "goodsInfo": [
                    {
                        "descriptionOfGoods": "白糖 sugar",
                        "cargoTypeClassificationCode": "0300",
                        "goodsItemGrossWeight": "31000",
                        "cube": "40",
                        "totalNumberOfPackages": "620",
                    }
                ],
            }
        ],
    }
    data.update(changes)
    return data


def test_an_e_waybill_maps_onto_a_draft_with_its_road_leg() -> None:
    mapped = ewaybill.map_ewaybill(e_waybill())
    assert mapped.errors == []
    assert mapped.draft is not None
    assert mapped.draft.waybill_no == "WL20261122001"
    assert mapped.modes == (TransportMode.ROAD, TransportMode.WATER)
    assert mapped.warnings == [
        "transportTypeCode 3 declares a water leg that the e-waybill does not describe"
    ]
    leg = mapped.draft.legs[0]
    assert (leg.mode, leg.carrier_uscc, leg.origin, leg.destination) == ("road", CARRIER, "450702", "450103")
    assert mapped.draft.cargo[0].gross_weight_kg == 31000
    assert mapped.plate is not None and mapped.plate.province == "桂"


@pytest.mark.parametrize(
    ("code", "modes"),
    [(str(n), modes) for n, modes in enumerate(ewaybill.TRANSPORT_TYPE_MODES.values(), start=1)],
)
def test_transport_type_codes_1_to_8(code: str, modes: tuple[TransportMode, ...]) -> None:
    mapped = ewaybill.map_ewaybill(e_waybill(transportTypeCode=code))
    assert mapped.modes == modes and modes[0] is TransportMode.ROAD
    assert len(mapped.warnings) == len(modes) - 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"transportTypeCode": "9"}, "transportTypeCode '9' is not one of 1-8"),
        ({"consignorInfo": {"consignorID": "91450700MA0000001X"}}, "consignor_uscc"),
        ({"actualCarrierInfo": {}}, "legs.0.carrier_uscc"),
        ({"shippingNoteNumber": ""}, "waybill_no"),
    ],
)
def test_bad_e_waybills_list_every_problem(changes: dict[str, Any], message: str) -> None:
    mapped = ewaybill.map_ewaybill(e_waybill(**changes))
    assert mapped.draft is None
    assert any(message in error for error in mapped.errors), mapped.errors


def test_an_e_waybill_with_a_bad_plate_is_refused() -> None:
    data = e_waybill()
    data["vehicleInfo"][0]["vehicleNumber"] = "桂A1234"
    mapped = ewaybill.map_ewaybill(data)
    assert mapped.draft is None
    assert mapped.errors == [
        "licence plate 桂A1234: an ordinary plate has 7 characters (province, authority letter, "
        "5 letters or digits), a new-energy plate 8"
    ]
