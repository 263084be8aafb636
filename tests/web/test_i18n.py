"""Every Chinese UI string has its English translation, in every template folder the app registers."""

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

import logispace.domains
from logispace.domains.access.i18n import ACCESS_LABELS
from logispace.domains.catalog.i18n import CATALOG_LABELS
from logispace.domains.identity.i18n import PARTY_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS
from logispace.domains.logistics.i18n import TRACE_LABELS
from logispace.domains.registration.i18n import REGISTRATION_LABELS
from logispace.web import i18n
from logispace.web.templates import TEMPLATE_DIR, template_folders

CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")


def test_every_template_string_has_english(process_app: FastAPI) -> None:
    folders = template_folders()
    assert folders[0] == TEMPLATE_DIR
    domains = Path(logispace.domains.__file__).parent
    # the shell, the app's composed pages and every domain's templates
    assert set(folders) >= {folder for folder in domains.glob("*/templates") if folder.is_dir()}
    missing = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            for match in CALL.finditer(path.read_text(encoding="utf-8")):
                text = match.group(2)
                if text not in i18n.ENGLISH:
                    missing.append(f"{path.name}: {text}")
    assert missing == []


def test_every_label_has_english(process_app: FastAPI) -> None:
    for labels in (
        PARTY_TYPE_LABELS,
        ROLE_LABELS,
        STATUS_LABELS,
        *CATALOG_LABELS.values(),
        *ACCESS_LABELS.values(),
        *TRACE_LABELS.values(),
        *REGISTRATION_LABELS.values(),
    ):
        assert [v for v in labels.values() if v not in i18n.ENGLISH] == []


def test_translator(process_app: FastAPI) -> None:
    assert i18n.translator("zh")("登录") == "登录"
    assert i18n.translator("en")("登录") == "Log in"
    assert i18n.translator("en")("共 {n} 条", n=3) == "3 in all"
    assert i18n.pick_language("fr") == "zh"


def test_a_string_translated_two_ways_is_refused() -> None:
    with pytest.raises(ValueError, match="translated both"):
        i18n.join_english({"登录": "Log in"}, {"登录": "Sign in"})
