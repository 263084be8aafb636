"""Trading errors (交易错误), each with its HTTP status and a stable code. A refusal names what and why,
and the source line of the rule; every :class:`TradingRefused` leaves a refusal record in the ledger and
changes nothing else (:mod:`.audit`)."""

from __future__ import annotations

from typing import Any

from logispace.core.errors import Conflict, NotFound, PermissionDenied


class TradingNotFound(NotFound):
    """No such record, or the caller may not see it (404, exactly like a missing one)."""

    code = "trading-not-found"
    title = "Not found"


class TradingRefused(Conflict):
    """Base of the refusals that leave a refusal record (409)."""

    code = "trading-refused"
    title = "The exchange refuses this"

    def __init__(self, detail: str, *, source: str, **extensions: Any) -> None:
        super().__init__(f"{detail} ({source})", source=source, **extensions)
        self.source = source


class NotAllowed(PermissionDenied):
    """The caller's party or roles may not take this step (403)."""

    code = "trading-not-allowed"
    title = "Not allowed"


class NotTradingParty(TradingRefused):
    """The party has not registered the trading role this step needs (J1, 004:5177)."""

    code = "trading-party-not-registered"
    title = "The party is not registered for this trading role"


class AttestationMissing(TradingRefused):
    """A role's attestation is missing (主体承诺缺失, 004:5135-5161)."""

    code = "trading-attestation-missing"
    title = "A role's attestation is missing"


class ProhibitedObject(TradingRefused):
    """A prohibited ground applies (禁止流通交易, 004:5068-5076) or the object is on the prohibited list
    (禁止交易清单, 004:5050); ``ground`` names it."""

    code = "trading-prohibited-object"
    title = "The object may not be traded"


class RegistrationMissing(TradingRefused):
    """A public data product without a valid registration certificate, or a data merchant's product without
    its data asset registration (I-5, 004:5458; 004:5150)."""

    code = "trading-registration-missing"
    title = "The object's registration is missing"


class PriceAboveGuidedCap(TradingRefused):
    """A price above the government-guided cap of a public data product (I-6, 004:5181; 004:1017)."""

    code = "trading-price-above-cap"
    title = "The price is above the government-guided cap"


class OperationProductInvalid(TradingRefused):
    """The authorized-operation product named by a public data product is not the provider's, is free, or
    has no cap (上限收费标准) yet (I-6, 004:1017; 004:5181)."""

    code = "trading-operation-product-invalid"
    title = "The operation product cannot back this object"


class StepNotAllowed(TradingRefused):
    """The record's state does not allow this step; ``state`` and ``allowed`` name them (409)."""

    code = "trading-invalid-transition"
    title = "Not allowed in the current state"

    def __init__(self, detail: str, *, state: str, allowed: list[str], source: str = "004:5175") -> None:
        super().__init__(detail, source=source, state=state, allowed=allowed)


class SettlementBeyondEscrow(TradingRefused):
    """A release or refund above what the contract's escrow holds (资金清分结算, 004:5185)."""

    code = "trading-settlement-beyond-escrow"
    title = "The settlement exceeds the escrow"
