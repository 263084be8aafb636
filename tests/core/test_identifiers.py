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


# GB 32100-2015 附录 A: every registration department (登记管理部门代码) with its organisation categories
# (机构类别代码). The first character may be a letter (A, N, Y), which the 8-digit prefix of earlier
# checks refused with a message about letters.
VALID_PAIRS = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级、村级、乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


@pytest.mark.parametrize(
    "first17",
    [f"{dept}{cat}110000MA0000001" for dept, cats in VALID_PAIRS.items() for cat in cats],
)
def test_every_department_and_category_of_the_standard_is_accepted(first17: str) -> None:
    code = uscc_with_check_character(first17)
    assert check_uscc(code) == code


@pytest.mark.parametrize(
    ("first17", "message"),
    [
        ("01110000MA0000001", r"registration department code \(登记管理部门代码\) '0' .* 1-9, A, N or Y"),
        ("B1110000MA0000001", r"registration department code \(登记管理部门代码\) 'B'"),
        ("94110000MA0000001", r"organisation category code \(机构类别代码\) '4' .*department 9 .* 1, 2 or 3"),
        ("Y2110000MA0000001", r"category code \(机构类别代码\) '2' .*department Y .* 1$"),
        ("A3110000MA0000001", r"category code .* '3' .*department A .* 1 or 9"),
        ("9A110000MA0000001", r"category code .* 'A' .*department 9"),
        ("91A10000MA0000001", r"characters 3-8 .*administrative division code .* six digits"),
    ],
)
def test_invalid_departments_categories_and_divisions_say_which(first17: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        check_uscc(uscc_with_check_character(first17))
