"""网络货运 electronic waybill (网络货运电子运单) -> multimodal waybill draft.

The field names follow the electronic waybill message of the 交通运输部 部网络货运信息交互系统
(网络平台道路货物运输 data exchange; camelCase names such as ``shippingNoteNumber``,
``transportTypeCode``, ``consignorInfo``, ``vehicleInfo``, ``actualCarrierInfo``), written from
memory: the standard text was not at hand in this session, so the names and especially the
transport type codes below must be checked against the published 接入指南 before production use.

Transport type codes (运输组织类型代码) as understood here, road always included because the
platform carries road freight: 1 公路运输 road; 2 公铁联运 road-rail; 3 公水联运 road-water;
4 公空联运 road-air; 5 公铁水联运; 6 公铁空联运; 7 公水空联运; 8 公铁水空联运.

The e-waybill describes the road leg only. The mapping gives a draft with that leg (carrier =
the actual carrier, 实际承运人; origin and destination = the GB/T 2260 division codes of loading
and receipt, the platform location codes) and reports, as warnings, the other modes the
transport type code declares, which the platform must add as legs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import Plate, check_plate
from logispace.domains.logistics.waybills.policies import TransportMode, WaybillDraft

R, RA, W, AI = TransportMode.ROAD, TransportMode.RAIL, TransportMode.WATER, TransportMode.AIR
TRANSPORT_TYPE_MODES: dict[str, tuple[TransportMode, ...]] = {
    "1": (R,),
    "2": (R, RA),
    "3": (R, W),
    "4": (R, AI),
    "5": (R, RA, W),
    "6": (R, RA, AI),
    "7": (R, W, AI),
    "8": (R, RA, W, AI),
}


@dataclass
class EWaybillMapping:
    """The draft, the modes the transport type code declares, the vehicle plate and warnings."""

    draft: WaybillDraft | None
    modes: tuple[TransportMode, ...] = ()
    plate: Plate | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _get(data: dict[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _cargo(vehicle: dict[str, Any]) -> list[dict[str, Any]]:
    lines = []
    goods_info = vehicle.get("goodsInfo") or []
    if not isinstance(goods_info, list):
        raise TypeError("a list of goods is expected")
    for goods in goods_info:
        lines.append(
            {
                "description": goods.get("descriptionOfGoods") or "",
                "packages": int(goods.get("totalNumberOfPackages") or 1),
                "gross_weight_kg": float(goods.get("goodsItemGrossWeight") or 0),
                "volume_m3": float(goods["cube"]) if goods.get("cube") else None,
            }
        )
    return lines


def map_ewaybill(data: dict[str, Any]) -> EWaybillMapping:
    """One 网络货运 e-waybill as a :class:`WaybillDraft`; every problem is listed, nothing raised."""
    out = EWaybillMapping(draft=None)
    code = str(data.get("transportTypeCode") or "")
    modes = TRANSPORT_TYPE_MODES.get(code)
    if modes is None:
        out.errors.append(f"transportTypeCode {code!r} is not one of 1-8")
    else:
        out.modes = modes
        for mode in modes[1:]:
            out.warnings.append(
                f"transportTypeCode {code} declares a {mode} leg that the e-waybill does not describe"
            )
    vehicle = _get(data, "vehicleInfo") or {}
    if isinstance(vehicle, list):
        vehicle = vehicle[0] if vehicle else {}
    if not isinstance(vehicle, dict):
        out.errors.append("vehicleInfo: an object (or a list of objects) is expected")
        vehicle = {}
    try:
        out.plate = check_plate(str(vehicle.get("vehicleNumber") or ""))
    except IdentifierError as exc:
        out.errors.append(str(exc))
    fields = {
        "waybill_no": str(data.get("shippingNoteNumber") or "").upper(),
        "consignor_uscc": _get(data, "consignorInfo", "consignorID"),
        "consignee_uscc": _get(data, "consigneeInfo", "consigneeID"),
        "legs": [
            {
                "mode": "road",
                "carrier_uscc": _get(data, "actualCarrierInfo", "actualCarrierID"),
                "origin": vehicle.get("loadingCountrySubdivisionCode")
                or _get(data, "consignorInfo", "countrySubdivisionCode"),
                "destination": vehicle.get("receiptCountrySubdivisionCode")
                or _get(data, "consigneeInfo", "countrySubdivisionCode"),
            }
        ],
    }
    try:
        fields["cargo"] = _cargo(vehicle)
        out.draft = WaybillDraft.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"])
            out.errors.append(f"{loc}: {error['msg']}" if loc else str(error["msg"]))
    except (TypeError, ValueError, AttributeError) as exc:
        out.errors.append(f"vehicleInfo.goodsInfo: {exc}")
    if out.errors:
        out.draft = None
    return out
