"""Identity (主体与身份): parties, users, roles, real-name verification, sessions and API tokens.

Other domains use :data:`CurrentPrincipal` / :data:`PageUser` to know the caller and
:class:`Principal` to decide what they may see.
"""

from logispace.domains.identity.api import router as api_router
from logispace.domains.identity.auth_service import SessionPrincipal
from logispace.domains.identity.cli import app as cli
from logispace.domains.identity.dependencies import (
    CurrentPrincipal,
    MaybePrincipal,
    PageUser,
    optional_principal,
    require_principal,
)
from logispace.domains.identity.enums import PartyType, Role, VerificationStatus
from logispace.domains.identity.pages import router as pages_router
from logispace.domains.identity.policies import SYSTEM, Principal
from logispace.domains.identity.service import party_names

__all__ = [
    "SYSTEM",
    "CurrentPrincipal",
    "MaybePrincipal",
    "PageUser",
    "PartyType",
    "Principal",
    "Role",
    "SessionPrincipal",
    "VerificationStatus",
    "api_router",
    "cli",
    "optional_principal",
    "pages_router",
    "party_names",
    "require_principal",
]
