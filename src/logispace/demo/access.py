"""Demo usage control (演示数据使用授权): the bank asks to use the carrier's multimodal waybills for
供应链金融贸易真实性核验; the carrier (holder) and the data authority approve; the bank runs a few
sandbox queries and one refused query (row-level output), all through the services.

Idempotent: nothing is done when the bank has a request for the scenario already. The carrier's waybill
resource gets generated data (version 1) first if it has none: made-up, deterministic rows.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import DomainError
from logispace.domains.access import DecisionCreate, RequestCreate, SqlCreate, request_service, usage_service
from logispace.domains.catalog import resource_distributions
from logispace.domains.catalog import service as catalog_service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM, Principal
from logispace.storage import LocalObjectStore, UploadFormat

SCENARIO = "supply_chain_finance"
WAYBILL_RESOURCE = "多式联运一单制运单"
ROWS = 5_000
SHIPPERS = [
    f"{city}{word}贸易有限公司"
    for city in ("南宁", "钦州", "重庆", "成都", "柳州")
    for word in ("远航", "恒达", "金桥")
]
CONSIGNEES = ["新加坡示范进口商", "海防示范贸易公司", "杜伊斯堡示范物流", "曼谷示范商行", "胡志明示范公司"]
QUERIES = (
    "SELECT legs, COUNT(*) AS waybills FROM waybills GROUP BY legs ORDER BY legs",
    "SELECT legs, COUNT(DISTINCT shipper) AS shippers, COUNT(*) AS waybills FROM waybills GROUP BY legs",
    "SELECT COUNT(*) AS waybills, COUNT(DISTINCT waybill_no) AS distinct_numbers FROM waybills",
)
REFUSED_QUERY = "SELECT waybill_no, shipper, consignee FROM waybills WHERE legs = 3"


def waybill_rows() -> bytes:
    """The carrier's multimodal waybills of the demo (made up, seeded)."""
    rng = random.Random(20261207)  # noqa: S311 - made-up demo rows, reproducible
    start = utcnow().replace(microsecond=0) - timedelta(days=180)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["waybill_no", "shipper", "consignee", "legs", "issued_at"])
    for n in range(ROWS):
        issued = start + timedelta(minutes=rng.randrange(180 * 24 * 60))
        writer.writerow(
            [
                f"LHX-2026-{n + 1:06d}",
                rng.choice(SHIPPERS),
                rng.choice(CONSIGNEES),
                rng.choice((2, 2, 3, 3, 3, 4)),
                issued.strftime("%Y-%m-%dT%H:%M:%S"),
            ]
        )
    return out.getvalue().encode("utf-8")


def load(session: Session, settings: Settings, principals: dict[str, Principal]) -> None:
    """The bank's request, its joint review, the live grant, its queries and one refusal."""
    bank, carrier, authority = principals["bank"], principals["carrier"], principals["authority"]
    if any(r.scenario_code == SCENARIO for r in request_service.list_requests(session, bank)):
        return
    resource = catalog_service.resource_by_holder_and_name(session, carrier.party_id, WAYBILL_RESOURCE)  # type: ignore[arg-type]
    if resource is None:
        return
    code = resource.catalog_code
    _, dists = resource_distributions(session, SYSTEM, code)
    if not dists:
        distribution_service.upload(
            session,
            SYSTEM,
            code,
            io.BytesIO(waybill_rows()),
            fmt=UploadFormat.CSV,
            store=LocalObjectStore.from_settings(settings),
            max_bytes=settings.max_upload_bytes,
        )
    now = utcnow()
    body = RequestCreate.model_validate(
        {
            "scenario": SCENARIO,
            "title": "应收账款融资贸易真实性核验",
            "purpose": "核验中小外贸企业融资申请所附多式联运运单与实际运输是否一致，判断贸易背景真实性。",
            "expected_value": "规范发展基于真实贸易的供应链金融，缩短中小企业融资审核时间，降低欺诈风险。",
            "period_start": (now - timedelta(days=1)).isoformat(),
            "period_end": (now + timedelta(days=365)).isoformat(),
            "output_mode": "aggregate",
            "min_group_size": 10,
            "epsilon": 3.0,
            "resources": [
                {
                    "catalog_code": code,
                    "fields": ["waybill_no", "shipper", "consignee", "legs", "issued_at"],
                    "table_name": "waybills",
                }
            ],
        }
    )
    request = request_service.create_request(session, bank, body, settings)
    request_service.submit_request(session, bank, request.id, settings)
    request_service.decide_request(
        session,
        carrier,
        request.id,
        DecisionCreate(
            decision="approve", reasons="场景明确，字段为核验所必需；仅在沙箱内统计，不提供原始数据。"
        ),
        settings,
    )
    request_service.decide_request(
        session,
        authority,
        request.id,
        DecisionCreate(decision="approve", reasons="符合一场景一清单一审定和最小必要原则，同意授权一年。"),
        settings,
    )
    grant = request_service.list_grants(session, bank)[0]
    for query in QUERIES:
        usage_service.run_sql(session, bank, grant.id, SqlCreate(sql=query), settings)
    try:
        usage_service.run_sql(session, bank, grant.id, SqlCreate(sql=REFUSED_QUERY), settings)
    except DomainError as refused:  # nothing changed: keep only its audit record
        usage_service.record_refusal(
            session, bank, subject=f"access-grant:{grant.id}", action="sql", error=refused, grant_id=grant.id,
            settings=settings,
        )  # fmt: skip
