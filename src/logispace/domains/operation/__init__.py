"""Authorized operation of public data (公共数据资源授权运营), policy-spec §2 (machines C, D, E, F).

The implementing body's implementation plan with its approvals and filing (:mod:`.service`); operator
selection and the agreement (:mod:`.service`); the agreement's lifecycle, annual evaluation and exit with
its effects on access grants, platform copies and registrations (:mod:`.lifecycle`); the operator's
processing staff and the check on every use under a grant (:mod:`.staff`, subscribed to the access
domain's :class:`~logispace.domains.access.GrantUse`); products, prices and the initial registrations
they start (:mod:`.products`, prices through :mod:`.prices`); disclosure, the operation log and the
exclusion marks (:mod:`.disclosure`). Pure rules are in :mod:`.policies`; the price formation mechanism
(价格形成机制, 004:1007-1045) is the pure engine :mod:`.pricing`, called through :mod:`.prices`. API in
:mod:`.api`, pages in :mod:`.pages`, templates under ``templates/operation``, page strings in :mod:`.i18n`.
"""

from pathlib import Path

from logispace.domains.operation import disclosure, duties, i18n, lifecycle, products, reports, service, staff
from logispace.domains.operation.api import router as api_router
from logispace.domains.operation.enums import (
    AgreementState,
    AuthorizationMode,
    BillingUnit,
    PlanState,
    PriceState,
    ProductForm,
    SelectionMethod,
    UseClass,
)
from logispace.domains.operation.oversight_pages import router as _oversight_pages_router
from logispace.domains.operation.pages import router as pages_router
from logispace.domains.operation.schemas import (
    AgreementCreate,
    ApprovalCreate,
    CandidateCreate,
    CapCreate,
    DeliverCreate,
    ExpertReviewCreate,
    FilingCreate,
    PlanCreate,
    PriceCreate,
    ProductCreate,
    SelectCreate,
    SelectionCreate,
    StaffCreate,
)
from logispace.domains.operation.staff import subscribe
from logispace.domains.operation.workflow_pages import router as _workflow_pages_router
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, pages_router, _workflow_pages_router, _oversight_pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={"OPERATION_LABELS": i18n.OPERATION_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "AgreementCreate",
    "AgreementState",
    "ApprovalCreate",
    "AuthorizationMode",
    "BillingUnit",
    "CandidateCreate",
    "CapCreate",
    "DeliverCreate",
    "ExpertReviewCreate",
    "FilingCreate",
    "PlanCreate",
    "PlanState",
    "PriceCreate",
    "PriceState",
    "ProductCreate",
    "ProductForm",
    "SelectCreate",
    "SelectionCreate",
    "SelectionMethod",
    "StaffCreate",
    "UseClass",
    "api_router",
    "disclosure",
    "duties",
    "lifecycle",
    "pages_router",
    "products",
    "reports",
    "service",
    "staff",
    "subscribe",
]
