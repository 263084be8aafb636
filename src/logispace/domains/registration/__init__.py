"""Public data resource registration (公共数据资源登记), policy-spec §1.

The rules are data: state machine A (application, :mod:`.application_policy`), state machine B
(record, :mod:`.record_policy`), required materials (:mod:`.materials`), deadlines from
:mod:`logispace.core.deadlines`. Applications, attachments, step history, objections, overrun
explanations and records are persisted (:mod:`.models`); :mod:`.application_service` (subject side)
and :mod:`.review_service` (authority side) drive them through the rules, each state change a ledger
entry of the same transaction; :mod:`.api` serves ``/api/v1/registration``.

The pages (:mod:`.application_pages`, :mod:`.review_pages`, :mod:`.registry_pages`) serve the
applicant's and the authority's forms under ``/registration`` and the public registry, publicity
list and quarterly statistics under ``/registry`` (:mod:`.stats_api` serves the statistics as JSON).

Certificates (一证一码, :mod:`.certificate_service`): a registration code and a statement signed by the
issuer (national: the registration authority; inner_mongolia: the data authority, 004:5452) through
the ledger, and public verification (:mod:`.certificate_api`, :mod:`.certificate_pages`); the holder's
renewal request and the authority's decision (:mod:`.renewal_service`, :mod:`.renewal_pages`); expiry
with public notice and revocation (:mod:`.ending_service`); an interested party's correction from the
registry (:mod:`.correction_pages`); the zip export of a whole file (:mod:`.export_service`) that
``logispace verify`` checks offline; commands in :mod:`.cli`.

Registration accounts (登记账户, 004:5444, :mod:`.account_service`, :mod:`.account_api`,
:mod:`.account_pages`): one per subject, issued by the authority, required to apply under inner_mongolia.
Joint applications (共同申请, 004:771, :mod:`.joint_service`): co-subjects confirm, or the applicant proves
their agreement; either missing is an item of the one-time supplement notice.
"""

from pathlib import Path

from fastapi import APIRouter

from logispace.domains.registration import i18n
from logispace.domains.registration.accounts.api import router as _account_api_router
from logispace.domains.registration.accounts.pages import router as _account_pages_router
from logispace.domains.registration.applications import export as export_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.applications.api import router as _api_router
from logispace.domains.registration.applications.pages import router as _application_pages_router
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.certificates.api import router as certificates_api_router
from logispace.domains.registration.certificates.pages import router as _certificate_pages_router
from logispace.domains.registration.cli import app as cli
from logispace.domains.registration.registry.correction import router as _correction_pages_router
from logispace.domains.registration.registry.pages import router as _registry_pages_router
from logispace.domains.registration.renewals.pages import router as _renewal_pages_router
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.review.pages import router as _review_pages_router
from logispace.domains.registration.statistics.api import router as stats_api_router
from logispace.domains.registration.workflow import Clock
from logispace.web.parts import WebParts

api_router = APIRouter()
api_router.include_router(_api_router)
api_router.include_router(_account_api_router)

pages_router = APIRouter(include_in_schema=False)
pages_router.include_router(_application_pages_router)
pages_router.include_router(_account_pages_router)
pages_router.include_router(_review_pages_router)
pages_router.include_router(_registry_pages_router)
pages_router.include_router(_certificate_pages_router)
pages_router.include_router(_renewal_pages_router)
pages_router.include_router(_correction_pages_router)

WEB = WebParts(
    routers=(api_router, stats_api_router, certificates_api_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    template_globals={"REGISTRATION_LABELS": i18n.REGISTRATION_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "Clock",
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
]
