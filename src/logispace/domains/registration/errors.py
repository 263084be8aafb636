"""Registration rule errors (登记规则错误): 409 for an action out of order, 403 for the wrong actor, 422 for
a malformed objection or refusal; each detail names the state and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from logispace.core.errors import Conflict, InvalidInput, PermissionDenied

ACCOUNT_RULE = "V-REG-03"
ACCOUNT_SOURCE = "004:5444"
HOW_TO_GET_AN_ACCOUNT = (
    "request one with POST /api/v1/registration/account (or the 登记账户 page, /registration/account) "
    "and wait for the registration authority to issue it (核发)"
)


def _names(values: Iterable[str]) -> str:
    listed = sorted(set(values))
    return ", ".join(listed) if listed else "none"


class ActionNotAllowed(Conflict):
    """Action out of order (操作与当前状态不符): 409 naming the current state and the allowed actions."""

    code = "registration-action-not-allowed"
    title = "This action is not allowed in the current state"

    def __init__(self, action: str, state: str, allowed: Iterable[str], reason: str = "", **ext: Any) -> None:
        allowed_list = sorted(set(allowed))
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"{action} is not allowed in state {state}{why}; allowed actions: {_names(allowed_list)}",
            state=state,
            action=action,
            allowed_actions=allowed_list,
            **ext,
        )


class ActorNotAllowed(PermissionDenied):
    """Wrong actor (无权执行): the action exists in this state but another role performs it (403)."""

    code = "registration-actor-not-allowed"
    title = "Another role performs this action"

    def __init__(
        self, action: str, state: str, role: str, roles: Iterable[str], allowed: Iterable[str]
    ) -> None:
        allowed_list = sorted(set(allowed))
        super().__init__(
            f"{role} may not {action} in state {state}; performed by: {_names(roles)}; "
            f"allowed actions for {role}: {_names(allowed_list)}",
            state=state,
            action=action,
            allowed_actions=allowed_list,
        )


class InitialRegistrationRequired(ActionNotAllowed):
    """Change, correction and cancellation need an initial registration (需先办理首次登记, 004:5347)."""

    code = "registration-initial-required"
    title = "An initial registration is required first"


class MaterialsIncomplete(ActionNotAllowed):
    """The file is incomplete (材料不齐全): it cannot be accepted; the notice lists every missing item."""

    code = "registration-materials-incomplete"
    title = "The registration file is incomplete"


class RegistrationInputInvalid(InvalidInput):
    """A registration input lacks a required field (422, naming each field)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        errors = [{"loc": ["body", name], "msg": msg, "type": "missing"} for name, msg in problems]
        named = "; ".join(f"{name}: {msg}" for name, msg in problems)
        super().__init__(f"invalid request: {named}", errors=errors)


class DuplicateRegistration(Conflict):
    """Duplicate registration (重复登记, 004:5424; V-REG-08): same content hash and holder, still active."""

    code = "registration-duplicate"
    title = "This resource is already registered by this holder"


class EvidenceNotCommitted(Conflict):
    """The cited ledger entry does not commit to the content hash (存证不符, 004:773; 004:5323)."""

    code = "registration-evidence-mismatch"
    title = "The evidence receipt does not commit to the content hash"


class NothingToRegister(Conflict):
    """The subject has no content to hash yet (no data uploaded), or the registration is not live."""

    code = "registration-subject-not-ready"
    title = "The subject cannot be registered in its current state"


class AccountRequired(Conflict):
    """No issued registration account (未开设登记账户): inner_mongolia files through it (004:5444)."""

    code = "registration-account-required"
    title = "An issued registration account is required first"
