"""Tables as files (表格导出): the KPI report, a waybill's ETA and the volume forecasts as CSV or XLSX,
with English column names or, on request, Chinese ones, and the download response that carries them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi import Response
from openpyxl import Workbook

from logispace.domains.tower.eta.schemas import EtaRead
from logispace.domains.tower.kpis.schemas import FileFormat, HeaderLanguage, KpiReport

Row = Sequence[object]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


MEDIA_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KPI_COLUMNS = (
    ("corridor", "通道"),
    ("mode", "运输方式"),
    ("day", "日期"),
    ("node", "节点"),
    ("kpi", "指标"),
    ("kpi_label", "指标名称"),
    ("unit", "单位"),
    ("measure", "度量"),
    ("value", "数值"),
)
ETA_COLUMNS = (
    ("leg", "区段"),
    ("mode", "运输方式"),
    ("origin", "起点"),
    ("destination", "终点"),
    ("departed_at", "发车时间"),
    ("arrived_at", "到达时间"),
    ("predicted_arrival", "预计到达时间"),
    ("method", "预测方法"),
)


def headers(columns: Sequence[tuple[str, str]], language: HeaderLanguage) -> list[str]:
    return [zh if language is HeaderLanguage.ZH else en for en, zh in columns]


def kpi_rows(report: KpiReport) -> list[Row]:
    """The report in long form: one row per group, KPI and value."""
    rows: list[Row] = []
    for group in report.groups:
        dims = [group.group.get(d) for d in ("corridor", "mode", "day", "node")]
        for kpi in group.kpis:
            for measure, value in kpi.values.items():
                rows.append([*dims, kpi.name.value, kpi.label, kpi.unit, measure, value])
    return rows


def eta_rows(read: EtaRead) -> list[Row]:
    return [
        [
            leg.sequence,
            leg.mode,
            leg.origin,
            leg.destination,
            leg.departed_at,
            leg.arrived_at,
            leg.predicted_arrival,
            leg.method,
        ]
        for leg in read.legs
    ]


def _cell(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_bytes(header: Sequence[str], rows: Sequence[Row], fmt: FileFormat) -> bytes:
    """The table as a CSV (UTF-8 with a byte-order mark, which spreadsheet programs need for Chinese)
    or an XLSX workbook of one sheet; text that a spreadsheet would run as a formula is quoted."""
    cells = [[_cell(v) for v in row] for row in rows]
    if fmt is FileFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(cells)
        return out.getvalue().encode("utf-8-sig")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(header))
    for row in cells:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FILE_RESPONSES = {
    200: {
        "content": {
            m.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for m in MEDIA_TYPES.values()
        },
        "description": "the table as a file",
    }
}


def file_response(body: bytes, fmt: FileFormat, name: str) -> Response:
    """A table's bytes as a download named ``name`` with the format's suffix."""
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt.value}"'},
    )
