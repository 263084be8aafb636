"""Waybill share errors (运单共享错误)."""

from __future__ import annotations

from logispace.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class ShareNotFound(NotFound):
    """No such share, or not one the caller granted (共享授权不存在)."""

    code = "waybill-share-not-found"
    title = "Waybill share not found"


class ShareNotAllowed(PermissionDenied):
    """Only the waybill's consignor, consignee or creator may share it (无权共享运单)."""

    code = "waybill-share-not-allowed"
    title = "This party may not share the waybill"


class ShareRecipientInvalid(InvalidInput):
    """The recipient is not a platform party other than the granting one (共享对象无效)."""

    code = "waybill-share-recipient-invalid"
    title = "The share's recipient is not valid"


class SharePeriodInvalid(InvalidInput):
    """The period is empty, already over, or longer than the longest allowed (共享期限无效)."""

    code = "waybill-share-period-invalid"
    title = "The share's period is not valid"


class ShareEnded(Conflict):
    """The share has been revoked already (共享授权已撤销)."""

    code = "waybill-share-revoked"
    title = "The share has been revoked already"
