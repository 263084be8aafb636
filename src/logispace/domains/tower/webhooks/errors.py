"""Webhook errors (推送地址错误): each names the field at fault."""

from __future__ import annotations

from logispace.core.errors import DomainError, NotFound


class WebhookUrlRefused(DomainError):
    """The URL is not http(s) or leads to an address inside the platform's network (SSRF)."""

    status = 422
    code = "webhook-url-refused"
    title = "Webhook URL refused"


class WebhookNotFound(NotFound):
    code = "webhook-not-found"
    title = "Webhook not found"
