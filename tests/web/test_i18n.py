"""Every Chinese UI string has its English translation."""

import re

from logispace.web import i18n
from logispace.web.templates import TEMPLATE_DIR

CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")


def test_every_template_string_has_english() -> None:
    missing = []
    for path in TEMPLATE_DIR.rglob("*.html"):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            text = match.group(2)
            if text not in i18n.ENGLISH:
                missing.append(f"{path.name}: {text}")
    assert missing == []


def test_every_label_has_english() -> None:
    for labels in (
        i18n.PARTY_TYPE_LABELS,
        i18n.ROLE_LABELS,
        i18n.STATUS_LABELS,
        *i18n.CATALOG_LABELS.values(),
        *i18n.TRACE_LABELS.values(),
        *i18n.REGISTRATION_LABELS.values(),
    ):
        assert [v for v in labels.values() if v not in i18n.ENGLISH] == []


def test_translator() -> None:
    assert i18n.translator("zh")("登录") == "登录"
    assert i18n.translator("en")("登录") == "Log in"
    assert i18n.translator("en")("共 {n} 条", n=3) == "3 in all"
    assert i18n.pick_language("fr") == "zh"
