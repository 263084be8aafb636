"""Dispatch errors (车货匹配错误), each with its HTTP status."""

from __future__ import annotations

from logispace.core.errors import Conflict, DomainError, NotFound, PermissionDenied


class DispatchNotFound(NotFound):
    """No such vehicle, load, match run, proposal or plan visible to the caller's party."""

    code = "dispatch-not-found"
    title = "Dispatch record not found"


class DispatchNotAllowed(PermissionDenied):
    """The caller's role may not dispatch for its party."""

    code = "dispatch-not-allowed"
    title = "Not allowed to dispatch"


class DispatchConflict(Conflict):
    """The record's state forbids the action (a decided proposal, a load already carried)."""

    code = "dispatch-conflict"
    title = "Dispatch state conflict"


class DispatchInputInvalid(DomainError):
    """A vehicle, load or plan request breaks a rule that needs more than one field to state."""

    status = 422
    code = "dispatch-input-invalid"
    title = "Invalid dispatch input"
