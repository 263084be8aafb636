"""Usage control (使用控制): scenario data requests, grants and use under a grant, 可用不可见.

A closed resource is used under a grant: a data user drafts a scenario data request (一场景一清单一审定,
004:5623-5629, policy-spec §2.7) naming the scenario, the resources and the exact fields; minimum
necessity is checked against each field's grade; the holders and the data authority review it jointly;
approval creates a grant whose usage policy is ODRL 2.2 under the LogiSpace profile (:mod:`.odrl`,
``docs/access-odrl-profile.md``), decided by a pure engine (:mod:`.policies`). Data is used under the grant
through the delivery engine (:mod:`.delivery`: API queries, desensitized; sandbox SQL, aggregates only),
metered per grant and certified in the ledger (:mod:`.usage`); refusals leave an audit record only
(:mod:`.audit`).

Layout: :mod:`.service` (requests, reviews, grant steps), :mod:`.contracts` (grants for trade contracts),
:mod:`.usage` (delivery and meter),
:mod:`.reads` (bodies), :mod:`.api`, :mod:`.pages` and :mod:`.cli`; templates under ``templates/access``,
page strings in :mod:`.i18n`. :mod:`.delivery` is the delivery engine (DuckDB, Spark).
"""

from pathlib import Path

from logispace.domains.access import i18n
from logispace.domains.access import service as request_service
from logispace.domains.access import usage as usage_service
from logispace.domains.access.api import router as api_router
from logispace.domains.access.cli import app as cli
from logispace.domains.access.contracts import grant_for_contract
from logispace.domains.access.enums import Decision, DeliveryMode, GrantState, OutputMode, RequestState
from logispace.domains.access.odrl import PROFILE as ODRL_PROFILE
from logispace.domains.access.odrl import parse_policy
from logispace.domains.access.pages import router as pages_router
from logispace.domains.access.policies import SCENARIOS, decide
from logispace.domains.access.reads import grant_read, request_read, usage_read
from logispace.domains.access.schemas import DecisionCreate, QueryCreate, RequestCreate, SqlCreate
from logispace.domains.access.usage import GrantUse
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={"ACCESS_LABELS": i18n.ACCESS_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "ODRL_PROFILE",
    "SCENARIOS",
    "WEB",
    "Decision",
    "DecisionCreate",
    "DeliveryMode",
    "GrantState",
    "GrantUse",
    "OutputMode",
    "QueryCreate",
    "RequestCreate",
    "RequestState",
    "SqlCreate",
    "api_router",
    "cli",
    "decide",
    "grant_for_contract",
    "grant_read",
    "pages_router",
    "parse_policy",
    "request_read",
    "request_service",
    "usage_read",
    "usage_service",
]
