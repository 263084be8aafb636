"""Alert errors (预警错误)."""

from __future__ import annotations

from logispace.core.errors import Conflict, NotFound


class RuleNotFound(NotFound):
    code = "alert-rule-not-found"
    title = "Alert rule not found"


class AlertNotFound(NotFound):
    code = "alert-not-found"
    title = "Alert not found"


class AlertAlreadyResolved(Conflict):
    code = "alert-resolved"
    title = "The alert is already resolved"


class AssigneeNotFound(NotFound):
    code = "assignee-not-found"
    title = "No such user in the caller's party"
