"""Multimodal waybill errors (多式联运运单错误): rule violations of the waybill policy."""

from __future__ import annotations

from logispace.core.errors import Conflict, NotFound, PermissionDenied


class WaybillActionNotAllowed(Conflict):
    """The action is not allowed in the waybill's current state (运单状态不允许该操作)."""

    code = "waybill-action-not-allowed"
    title = "The action is not allowed in the waybill's current state"


class WaybillActorNotAllowed(PermissionDenied):
    """The party is not the one who may take this action (非指定承运人/当事人)."""

    code = "waybill-actor-not-allowed"
    title = "This party may not take the action"


class ContainerInTransit(Conflict):
    """The container is in transit on another waybill (集装箱在途占用)."""

    code = "container-in-transit"
    title = "The container is in transit on another waybill"


class WaybillNotFound(NotFound):
    """No such waybill, or the caller's party is not on it (运单不存在)."""

    code = "waybill-not-found"
    title = "Waybill not found"


class WaybillNumberTaken(Conflict):
    """A waybill with this number exists already (运单号已存在)."""

    code = "waybill-number-taken"
    title = "The waybill number is taken"


class WaybillStepTimeInvalid(Conflict):
    """The step's time is in the future or before the waybill's previous step (运单流转时间无效)."""

    code = "waybill-step-time-invalid"
    title = "The step's time is not between the previous step and now"


class WaybillCustodyBroken(Conflict):
    """The waybill's chain of custody does not match the ledger (运单流转链与存证不符): no action is
    taken on it until the stored steps are restored."""

    code = "waybill-custody-broken"
    title = "The waybill's chain of custody is broken"
