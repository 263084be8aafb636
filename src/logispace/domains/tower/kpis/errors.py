"""Control-tower errors (控制塔错误), each with its HTTP status."""

from __future__ import annotations

from logispace.core.errors import NotFound, PermissionDenied


class CorridorNotFound(NotFound):
    """No measure of this corridor (通道不存在) among those the caller may see."""

    code = "tower-corridor-not-found"
    title = "Corridor not found"


class PartyOutOfReach(PermissionDenied):
    """A party asked for another party's KPIs (只能查看本单位指标)."""

    code = "tower-party-out-of-reach"
    title = "Only the authority sees other parties' KPIs"


class EtaWaybillNotFound(NotFound):
    """No waybill of this number that the caller may see (运单不存在)."""

    code = "tower-waybill-not-found"
    title = "Waybill not found"
