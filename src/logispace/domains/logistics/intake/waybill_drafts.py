"""网络货运 electronic waybill intake (网络货运电子运单接入): e-waybills onto multimodal waybill drafts.

Each e-waybill is mapped by :func:`.adapters.ewaybill.map_ewaybill`. A file or body holds one
e-waybill (a JSON object) or several (a list). Any row with an error refuses the whole intake
(422 naming each bad row); otherwise each row becomes a waybill draft created by the caller,
all in one transaction, unless it is a dry run.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.logistics.intake.adapters.ewaybill import map_ewaybill
from logispace.domains.logistics.intake.schemas import EWaybillIntake, EWaybillRow
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.policies import WaybillDraft

SOURCE = "ewaybill"
MAX_ROWS = 500


def map_rows(data: Any) -> list[EWaybillRow]:
    """Every e-waybill of ``data`` (an object or a list of objects), mapped, problems named."""
    items = data if isinstance(data, list) else [data]
    rows: list[EWaybillRow] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            rows.append(
                EWaybillRow(
                    index=index,
                    waybill_no=None,
                    draft=None,
                    modes=[],
                    plate=None,
                    warnings=[],
                    errors=["an e-waybill is a JSON object"],
                )
            )
            continue
        mapped = map_ewaybill(item)
        number = item.get("shippingNoteNumber")
        rows.append(
            EWaybillRow(
                index=index,
                waybill_no=str(number).upper() if isinstance(number, (str, int)) else None,
                draft=mapped.draft.model_dump(mode="json") if mapped.draft is not None else None,
                modes=list(mapped.modes),
                plate=mapped.plate.text if mapped.plate is not None else None,
                warnings=list(mapped.warnings),
                errors=list(mapped.errors),
            )
        )
    return rows


def bad_rows(rows: list[EWaybillRow]) -> list[dict[str, Any]]:
    """Field errors naming the row (index and 托运单号) of each problem."""
    return [
        {"loc": ["body", row.index], "msg": f"e-waybill {row.index} ({row.waybill_no or '?'}): {error}"}
        for row in rows
        for error in row.errors
    ]


def intake(session: Session, p: Principal, settings: Settings, data: Any, *, dry_run: bool) -> EWaybillIntake:
    """Map the e-waybills and (unless ``dry_run``) create their drafts; 422 naming bad rows."""
    if isinstance(data, list) and not 1 <= len(data) <= MAX_ROWS:
        raise InvalidInput(
            f"send 1 to {MAX_ROWS} e-waybills",
            errors=[{"loc": ["body"], "msg": f"1 to {MAX_ROWS} e-waybills"}],
        )
    rows = map_rows(data)
    errors = bad_rows(rows)
    if errors:
        raise InvalidInput(
            f"{len({e['loc'][1] for e in errors})} of {len(rows)} e-waybills cannot be mapped: "
            + "; ".join(e["msg"] for e in errors[:5]),
            errors=errors,
        )
    created: list[str] = []
    if not dry_run:
        for row in rows:
            draft = WaybillDraft.model_validate(row.draft)  # every row has a draft: no row has errors
            created.append(waybill_service.create_draft(session, p, settings, draft, source=SOURCE).number)
    return EWaybillIntake(rows=rows, created=created)
