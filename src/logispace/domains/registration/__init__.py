"""Public data resource registration (公共数据资源登记), policy-spec §1.

The rules are data: state machine A (application, :mod:`.application_policy`), state machine B
(record, :mod:`.record_policy`), required materials (:mod:`.materials`), deadlines from
:mod:`logispace.core.deadlines`. Applications, attachments, step history, objections, overrun
explanations and records are persisted (:mod:`.models`); :mod:`.application_service` (subject side)
and :mod:`.review_service` (authority side) drive them through the rules, each state change a ledger
entry of the same transaction; :mod:`.api` serves ``/api/v1/registration``.

Not built yet: certificates (一证一码) and QR codes, renewal/expiry/revocation endpoints, the public
registry and publicity list, statistics, the zip export of a registration file.
"""

from logispace.domains.registration import application_service, read_service, review_service
from logispace.domains.registration.api import router as api_router
from logispace.domains.registration.workflow import Clock

__all__ = ["Clock", "api_router", "application_service", "read_service", "review_service"]
