"""Access errors, each with its HTTP status and a stable code; refusals name what and why (and the source
line of the rule). Every :class:`AccessRefused` is recorded in the ledger as an audit entry and changes
nothing else (:mod:`.usage`)."""

from __future__ import annotations

from typing import Any

from logispace.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class PolicyInvalid(InvalidInput):
    """A usage policy that the LogiSpace ODRL profile does not allow (422, naming each bad term)."""

    code = "access-policy-invalid"
    title = "The usage policy is not valid"

    def __init__(self, problems: list[tuple[list[str | int], str]]) -> None:
        errors = [{"loc": loc, "msg": msg, "type": "odrl"} for loc, msg in problems]
        named = "; ".join(f"{'.'.join(str(p) for p in loc) or 'policy'}: {msg}" for loc, msg in problems)
        super().__init__(f"invalid usage policy: {named}", errors=errors)


class RequestNotFound(NotFound):
    """No such scenario data request, or the caller is not part of it (404)."""

    code = "access-request-not-found"
    title = "Scenario data request not found"


class GrantNotFound(NotFound):
    """No such grant, or the caller is not part of it (404)."""

    code = "access-grant-not-found"
    title = "Grant not found"


class AccessRefused(PermissionDenied):
    """Base of the refusals that leave an audit record in the ledger."""

    code = "access-refused"
    title = "Access refused"


class NotReviewer(AccessRefused):
    """A review by a party that is neither a holder of the requested resources nor the authority (403)."""

    code = "access-not-reviewer"
    title = "Only the data holders and the data authority review a scenario data request"


class NotAllowed(AccessRefused):
    """The caller's party or roles may not take this step (403)."""

    code = "access-not-allowed"
    title = "Not allowed"


class StateConflict(Conflict):
    """The request or grant does not allow this step in its current state (409)."""

    code = "access-invalid-transition"
    title = "Not allowed in the current state"

    def __init__(self, detail: str, *, state: str, allowed: list[str] | None = None) -> None:
        super().__init__(detail, state=state, allowed=allowed or [])


class FieldsExceedScenario(Conflict):
    """Minimum necessity (最小必要, 004:5627): fields graded above the scenario (409, each named)."""

    code = "access-fields-exceed-scenario"
    title = "Fields exceed what the scenario allows"

    def __init__(self, violations: list[dict[str, str]]) -> None:
        detail = "; ".join(v["message"] for v in violations)
        super().__init__(detail, violations=violations, source="004:5627")


class GrantInactive(AccessRefused):
    """The grant does not allow use now (403)."""

    code = "access-grant-inactive"
    title = "The grant is not active"


class GrantExpired(GrantInactive):
    code = "access-grant-expired"
    title = "The grant has expired"


class GrantSuspended(GrantInactive):
    code = "access-grant-suspended"
    title = "The grant is suspended"


class GrantRevoked(GrantInactive):
    code = "access-grant-revoked"
    title = "The grant has been revoked"


class BudgetExhausted(AccessRefused):
    """The grant's differential-privacy budget ε is spent (403)."""

    code = "access-budget-exhausted"
    title = "The privacy budget of the grant is exhausted"


class PolicyRefused(AccessRefused):
    """The usage policy refuses the use; ``constraint`` and ``source`` name the rule (403)."""

    code = "access-policy-refused"
    title = "The usage policy does not allow this use"

    def __init__(self, detail: str, *, constraint: str, source: str, **extensions: Any) -> None:
        super().__init__(detail, constraint=constraint, source=source, **extensions)
