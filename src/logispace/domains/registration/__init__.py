"""Public data resource registration (公共数据资源登记), policy-spec §1.

The rules are data: state machine A (application, :mod:`.application_policy`), state machine B
(record, :mod:`.record_policy`), required materials (:mod:`.materials`), deadlines from
:mod:`logispace.core.deadlines`. Applications, attachments, step history, objections, overrun
explanations and records are persisted (:mod:`.models`); :mod:`.application_service` (subject side)
and :mod:`.review_service` (authority side) drive them through the rules, each state change a ledger
entry of the same transaction; :mod:`.api` serves ``/api/v1/registration``.

Certificates (一证一码, :mod:`.certificate_service`): a registration code and a statement signed by the
registration authority through the ledger, renewal, expiry with public notice, revocation, and public
verification (:mod:`.certificate_api`, :mod:`.certificate_pages`); the zip export of a whole file
(:mod:`.export_service`) that ``logispace verify`` checks offline; commands in :mod:`.cli`.
"""

from logispace.domains.registration import (
    application_service,
    certificate_service,
    export_service,
    read_service,
    review_service,
)
from logispace.domains.registration.api import router as api_router
from logispace.domains.registration.certificate_api import router as certificates_api_router
from logispace.domains.registration.certificate_pages import router as certificates_pages_router
from logispace.domains.registration.cli import app as cli
from logispace.domains.registration.workflow import Clock

__all__ = [
    "Clock",
    "api_router",
    "application_service",
    "certificate_service",
    "certificates_api_router",
    "certificates_pages_router",
    "cli",
    "export_service",
    "read_service",
    "review_service",
]
