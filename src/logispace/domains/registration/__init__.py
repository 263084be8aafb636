"""Public data resource registration (公共数据资源登记), policy-spec §1.

The rules are data (:mod:`.rules`): state machine A (application), state machine B (record), required
materials; deadlines from :mod:`logispace.core.deadlines`. Applications, attachments, step history,
objections, overrun explanations, records, certificates, renewal requests and accounts are persisted
(:mod:`.models`); :func:`.workflow.take_step` is the only way an application changes state, each change a
ledger entry of the same transaction. One package per sub-feature, each with its API and pages:

- :mod:`.applications` (登记申请): the subject's file, joint applications (共同申请, 004:771), the reads,
  the zip export of a whole file that ``logispace verify`` checks offline;
- :mod:`.review` (登记审核): the authority's steps, one action table for the API and the review page,
  objections and overrun explanations;
- :mod:`.certificates` (登记证书, 一证一码): code and statement signed by the issuer (national: the
  registration authority; inner_mongolia: the data authority, 004:5452), public verification, expiry
  with public notice and revocation;
- :mod:`.renewals` (续展): the holder's renewal request and the authority's decision;
- :mod:`.registry` (公示与查询): the public registry, the publicity list, an interested party's correction;
- :mod:`.statistics` (统计季报): the quarterly report as JSON, page and CSV;
- :mod:`.accounts` (登记账户, 004:5444): one per subject, issued by the authority, required to apply under
  inner_mongolia.

Commands are in :mod:`.cli`; templates under ``templates/registration``, page strings in :mod:`.i18n`.
"""

from pathlib import Path

from fastapi import APIRouter

from logispace.domains.registration import i18n
from logispace.domains.registration.accounts.api import router as _account_api_router
from logispace.domains.registration.accounts.pages import router as _account_pages_router
from logispace.domains.registration.applications import export as export_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.applications.api import router as _applications_api_router
from logispace.domains.registration.applications.material_pages import router as _material_pages_router
from logispace.domains.registration.applications.pages import router as _application_pages_router
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.certificates.api import router as _certificates_api_router
from logispace.domains.registration.certificates.pages import router as _certificate_pages_router
from logispace.domains.registration.cli import app as cli
from logispace.domains.registration.enums import ApplicationType, SubjectKind
from logispace.domains.registration.registry.correction import router as _correction_pages_router
from logispace.domains.registration.registry.pages import router as _registry_pages_router
from logispace.domains.registration.renewals.api import router as _renewals_api_router
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.review.actions import offered as _review_offers
from logispace.domains.registration.review.api import router as _review_api_router
from logispace.domains.registration.review.deadlines import subscribe
from logispace.domains.registration.review.pages import router as _review_pages_router
from logispace.domains.registration.rules.actors import takes_review_steps
from logispace.domains.registration.schemas import ApplicationCreate
from logispace.domains.registration.statistics.api import router as stats_api_router
from logispace.domains.registration.statistics.pages import router as _statistics_pages_router
from logispace.domains.registration.workflow import Clock
from logispace.web.parts import WebParts
from logispace.web.routing import page_router

api_router = APIRouter()
api_router.include_router(_applications_api_router)
api_router.include_router(_review_api_router)
api_router.include_router(_account_api_router)

certificates_api_router = APIRouter()
certificates_api_router.include_router(_certificates_api_router)
certificates_api_router.include_router(_renewals_api_router)

pages_router = page_router()
pages_router.include_router(_application_pages_router)
pages_router.include_router(_material_pages_router)
pages_router.include_router(_account_pages_router)
pages_router.include_router(_review_pages_router)
pages_router.include_router(_registry_pages_router)
pages_router.include_router(_statistics_pages_router)
pages_router.include_router(_certificate_pages_router)
pages_router.include_router(_correction_pages_router)

WEB = WebParts(
    routers=(api_router, stats_api_router, certificates_api_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={
        "REGISTRATION_LABELS": i18n.REGISTRATION_LABELS,
        "review_offers": _review_offers,
        "takes_review_steps": takes_review_steps,
    },
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "ApplicationCreate",
    "ApplicationType",
    "Clock",
    "SubjectKind",
    "api_router",
    "application_service",
    "certificate_service",
    "certificates_api_router",
    "cli",
    "export_service",
    "pages_router",
    "read_service",
    "review_service",
    "stats_api_router",
    "subscribe",
    "takes_review_steps",
]
