"""Transport identifier checks: ISO 6346 containers, GA 36-2018 plates, UN/LOCODE, division codes."""

import pytest

from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import (
    PlateKind,
    check_container,
    check_division_code,
    check_handover_point,
    check_plate,
    check_unlocode,
    container_with_check_digit,
)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("CSQU3054383", "CSQU3054383"),  # the ISO 6346 worked example
        ("csqu 305438 3", "CSQU3054383"),
        ("MSKU1234565", "MSKU1234565"),
        ("TGHU 8766540", "TGHU8766540"),
        (container_with_check_digit("TCLU123456"), container_with_check_digit("TCLU123456")),
    ],
)
def test_valid_containers(value: str, canonical: str) -> None:
    assert check_container(value) == canonical


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("CSQU3054384", r"container CSQU3054384: the ISO 6346 check digit is wrong \(expected 3, got 4\)"),
        ("MSKU1234567", r"container MSKU1234567: .*expected 5, got 7"),
        ("CSQ3054383", "container CSQ3054383: an ISO 6346 number is 3 owner letters"),
        ("CSQX3054383", "category letter U, J or Z"),
        ("", "an ISO 6346 number"),
    ],
)
def test_invalid_containers_are_named(value: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        check_container(value)


@pytest.mark.parametrize(
    ("text", "kind", "province", "serial", "electric"),
    [
        ("桂A12345", PlateKind.ORDINARY, "桂", "12345", None),
        ("京AF0236", PlateKind.ORDINARY, "京", "F0236", None),
        ("沪 B·8Z9X1", PlateKind.ORDINARY, "沪", "8Z9X1", None),
        ("粤BD12345", PlateKind.NEW_ENERGY_SMALL, "粤", "D12345", True),
        ("粤BDA1234", PlateKind.NEW_ENERGY_SMALL, "粤", "DA1234", True),
        ("苏AF12345", PlateKind.NEW_ENERGY_SMALL, "苏", "F12345", False),
        ("浙AA12345", PlateKind.NEW_ENERGY_SMALL, "浙", "A12345", True),
        ("川AK12345", PlateKind.NEW_ENERGY_SMALL, "川", "K12345", False),
        ("粤B12345D", PlateKind.NEW_ENERGY_LARGE, "粤", "12345D", True),
        ("鲁A12345F", PlateKind.NEW_ENERGY_LARGE, "鲁", "12345F", False),
        ("桂A1234挂", PlateKind.TRAILER, "桂", "1234", None),
        ("京A1234学", PlateKind.COACH, "京", "1234", None),
        ("京A0001警", PlateKind.POLICE, "京", "0001", None),
        ("沪A1234领", PlateKind.CONSULATE, "沪", "1234", None),
        ("粤Z1234港", PlateKind.HONG_KONG_MACAO, "粤", "1234", None),
        ("粤ZA123澳", PlateKind.HONG_KONG_MACAO, "粤", "A123", None),
        ("京A1234应急", PlateKind.EMERGENCY, "京", "1234", None),
        ("使123456", PlateKind.EMBASSY, None, "123456", None),
    ],
)
def test_valid_plates(
    text: str, kind: PlateKind, province: str | None, serial: str, electric: bool | None
) -> None:
    plate = check_plate(text)
    assert (plate.kind, plate.province, plate.serial, plate.battery_electric) == (
        kind,
        province,
        serial,
        electric,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A12345", "begins with a province abbreviation"),
        ("港A12345", "begins with a province abbreviation"),
        ("京AI2345", "I and O are not used"),
        ("京AO2345", "I and O are not used"),
        ("京A1234", "ordinary plate has 7 characters"),
        ("京A123456", "new-energy plate has D/F"),  # 8 characters without D/F
        ("粤BL12345", "new-energy plate has D/F"),  # L is not a new-energy letter
        ("粤BDA12X4", "new-energy plate"),  # last 4 must be digits
        ("粤B1234DD", "new-energy plate"),
        ("京A1234港", "港/澳 plates are issued as 粤Z"),
        ("", "province abbreviation"),
    ],
)
def test_invalid_plates_say_why(text: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        check_plate(text)


@pytest.mark.parametrize(("value", "compact"), [("CNSHA", "CNSHA"), ("cn qzh", "CNQZH"), ("NLRTM", "NLRTM")])
def test_valid_unlocodes(value: str, compact: str) -> None:
    assert check_unlocode(value) == compact


@pytest.mark.parametrize("value", ["CNSH", "CNSHA1", "C1SHA", "CNSH0", "CNSH1", ""])
def test_invalid_unlocodes(value: str) -> None:
    with pytest.raises(IdentifierError, match="UN/LOCODE"):
        check_unlocode(value)


@pytest.mark.parametrize(
    ("value", "ok"), [("450702", True), ("110000", True), ("990000", False), ("45070", False)]
)
def test_division_codes(value: str, ok: bool) -> None:
    if ok:
        assert check_division_code(value) == value
    else:
        with pytest.raises(IdentifierError, match="division code"):
            check_division_code(value)


@pytest.mark.parametrize(
    ("value", "result"),
    [("CNQZH", "CNQZH"), ("cn nng", "CNNNG"), ("450702", "450702"), ("QZH", None), ("123", None)],
)
def test_handover_points(value: str, result: str | None) -> None:
    if result is not None:
        assert check_handover_point(value) == result
    else:
        with pytest.raises(IdentifierError):
            check_handover_point(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # ISO 6346 equipment categories are U, J and Z only; R marks a reefer in the size-type code.
        (container_with_check_digit("CSQR305438"), r"equipment category .*U, J or Z.* got 'R'"),
        (container_with_check_digit("123U305438"), r"owner code .*3 Latin capital letters A-Z.* got '123'"),
        (container_with_check_digit("C5QU305438"), r"owner code .* got 'C5Q'"),
        ("ÄBCU3054383", r"container ÄBCU3054383: the owner code .*3 Latin capital letters A-Z.* got 'ÄBC'"),
        ("CSQU30543É3", r"serial number .*6 digits"),
        ("CSQU305438X", r"check digit .*a digit"),
    ],
)
def test_each_part_of_a_container_number_is_checked(value: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        check_container(value)
