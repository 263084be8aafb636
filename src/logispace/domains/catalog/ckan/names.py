"""CKAN organization names (CKAN 组织名称): a holder party's unified social credit code in lower case.

CKAN names are lower-case ASCII letters, digits, ``-`` and ``_``, 2 to 100 characters. The name a
party had before 2026-12-07 (``org-`` and 12 hex digits of its id) and its id are still accepted
wherever a name is (``organization_show``, ``organization_list``'s ``organizations``, ``fq``).
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from logispace.domains.catalog import repository
from logispace.domains.identity import party_usccs

_CKAN_NAME = re.compile(r"[a-z0-9_-]{2,100}")


def legacy_organization_name(party_id: uuid.UUID) -> str:
    """The name organizations had before 2026-12-07: ``org-`` and the first 12 hex digits of the
    party id. Still accepted wherever a name is, as is the party id."""
    return f"org-{party_id.hex[:12]}"


def organization_name(party_id: uuid.UUID, uscc: str | None) -> str:
    """An organization's CKAN name: its unified social credit code (统一社会信用代码) in lower case,
    e.g. ``91450000198230256h``. Readable (the code printed on its business licence), stable (a
    party's code is set when it registers and never changes, renames leave it), unique (one party per
    code) and a valid CKAN name (18 of ``0-9a-z``). A code that is not a valid CKAN name falls back to
    the legacy name."""
    slug = (uscc or "").strip().lower()
    return slug if _CKAN_NAME.fullmatch(slug) else legacy_organization_name(party_id)


def organization_names(session: Session, party_ids: set[uuid.UUID] | list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The CKAN names of parties by id (one query)."""
    usccs = party_usccs(session, party_ids)
    return {pid: organization_name(pid, usccs.get(pid)) for pid in party_ids}


def organization_ids(session: Session) -> dict[str, str]:
    """Every name a holder of published resources is found by (its name, legacy name and id) -> id."""
    holders = [pid for pid, _, _ in repository.published_holders(session)]
    found: dict[str, str] = {}
    for pid, name in organization_names(session, holders).items():
        found.update({name: str(pid), legacy_organization_name(pid): str(pid), str(pid): str(pid)})
    return found
