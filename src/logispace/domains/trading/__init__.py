"""Data circulation and trading (数据流通交易), policy-spec §4: state machine J on the exchange.

Parties register their trading roles with attestations (J1); objects are registered with their
category, delivery mode, compliance report and registration certificate or data asset registration,
refused on any prohibited ground or the prohibited list, and formally reviewed into a registration
voucher (J2, J2a, I-5); listings carry their terms as ODRL usage policies of the access domain (J3);
negotiation is bilateral, offers and counter-offers in the Dataspace Protocol's states (J4-J5), priced
within a public data product's government-guided cap by the operation domain's pricing engine (I-6);
the contract carries its mandatory contents (J6); settlement is double entry through the exchange with
escrow, release and refund, delivery a grant of the access domain (J7); the trade voucher is signed by the
platform and notarized in the ledger, with the §4.6 buyer subsidy (J8). There is no auction, order book,
matching, anonymous trading or market-making path (X-8).

Layout: :mod:`.policies` (pure rules), :mod:`.service` (J1-J2 and the shared helpers), :mod:`.listings`
(J3), :mod:`.negotiation` (J4-J5), :mod:`.settlement` (J6-J8),
:mod:`.reads`, :mod:`.audit` (refusal records), :mod:`.api`, :mod:`.pages` (templates under
``templates/trading``, strings in :mod:`.i18n`); the Dataspace Protocol in :mod:`.dsp`, :mod:`.dsp_api`,
:mod:`.dsp_messages` (JSON-LD checks) and :mod:`.callbacks` (messages to consumers' callbacks, sent by
``logispace trading dsp-callbacks``).
"""

from pathlib import Path

from logispace.domains.trading import i18n, policies
from logispace.domains.trading import listings as listing_service
from logispace.domains.trading import negotiation as negotiation_service
from logispace.domains.trading import service as trading_service
from logispace.domains.trading import settlement as settlement_service
from logispace.domains.trading.api import router as api_router
from logispace.domains.trading.cli import app as cli
from logispace.domains.trading.dsp_api import router as dsp_router
from logispace.domains.trading.pages import router as pages_router
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, dsp_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={"TRADING_LABELS": i18n.TRADING_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "api_router",
    "cli",
    "listing_service",
    "negotiation_service",
    "pages_router",
    "policies",
    "settlement_service",
    "trading_service",
]
