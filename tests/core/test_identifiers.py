"""统一社会信用代码 checks: valid codes pass, each kind of defect is named."""

import pytest

from logispace.core.identifiers import IdentifierError, check_uscc, uscc_with_check_character


@pytest.mark.parametrize(
    "code",
    [
        "91110108771413046R",  # a published enterprise code
        "91450700MA0000004N",
        " 9145 0700MA0000004N ",  # spaces are tolerated
        uscc_with_check_character("12450000MB0000002"),
    ],
)
def test_valid_codes(code: str) -> None:
    assert check_uscc(code) == code.replace(" ", "").strip()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91450700MA0000004A", "check character of unified social credit code 91450700MA0000004A is wrong"),
        ("91450700MA0000004", "18 characters"),
        ("91450700MA0000004NN", "18 characters"),
        ("91450700MA000000IN", "letters"),
    ],
)
def test_invalid_codes_say_why(code: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        check_uscc(code)


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(IdentifierError, match=r"expected N, got A"):
        check_uscc("91450700MA0000004A")
