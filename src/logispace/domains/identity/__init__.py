"""Identity (主体与身份): parties, users, roles, real-name verification, sessions and API tokens.

Other domains use :data:`CurrentPrincipal` / :data:`PageUser` to know the caller and
:class:`Principal` to decide what they may see.
"""

from pathlib import Path

from logispace.domains.identity import i18n
from logispace.domains.identity.api import router as api_router
from logispace.domains.identity.auth_service import SessionPrincipal
from logispace.domains.identity.cli import app as cli
from logispace.domains.identity.dependencies import (
    CurrentPrincipal,
    MaybePrincipal,
    PageUser,
    optional_principal,
    page_session,
    require_principal,
)
from logispace.domains.identity.enums import PartyType, Role, VerificationStatus
from logispace.domains.identity.events import ALL_EVENTS as EVENTS
from logispace.domains.identity.events import IdentityEvent
from logispace.domains.identity.keys.api import router as keys_api_router
from logispace.domains.identity.keys.service import (
    PartyPublicKey,
    active_party_key,
    party_name,
    party_public_keys,
    public_key,
    rotate_party_key,
)
from logispace.domains.identity.pages import router as pages_router
from logispace.domains.identity.policies import PARTY_WRITERS, SYSTEM, Principal, own_party, party_writer
from logispace.domains.identity.service import (
    count_parties,
    data_authority_party,
    jurisdiction,
    party_ids_by_uscc,
    party_ids_in,
    party_names,
    party_names_by_uscc,
    party_type_of,
    party_uscc,
    party_usccs,
    registration_authority_party,
    user_party,
)
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, keys_api_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={
        "PARTY_TYPE_LABELS": i18n.PARTY_TYPE_LABELS,
        "ROLE_LABELS": i18n.ROLE_LABELS,
        "STATUS_LABELS": i18n.STATUS_LABELS,
    },
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "EVENTS",
    "PARTY_WRITERS",
    "SYSTEM",
    "WEB",
    "CurrentPrincipal",
    "IdentityEvent",
    "MaybePrincipal",
    "PageUser",
    "PartyPublicKey",
    "PartyType",
    "Principal",
    "Role",
    "SessionPrincipal",
    "VerificationStatus",
    "active_party_key",
    "api_router",
    "cli",
    "count_parties",
    "data_authority_party",
    "jurisdiction",
    "keys_api_router",
    "optional_principal",
    "own_party",
    "page_session",
    "pages_router",
    "party_ids_by_uscc",
    "party_ids_in",
    "party_name",
    "party_names",
    "party_names_by_uscc",
    "party_public_keys",
    "party_type_of",
    "party_uscc",
    "party_usccs",
    "party_writer",
    "public_key",
    "registration_authority_party",
    "require_principal",
    "rotate_party_key",
    "user_party",
]
