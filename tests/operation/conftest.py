"""Operation fixtures: an implementing body holding two resources with data (and a core one), the data
authority, an operator with its administrator and a processing staff member, an outsider; helpers that
take a plan to a filed one, an agreement to one in force and a product through its prices."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM, PartyType, Role
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.operation.models import Agreement, OperationLog, OperationPlan, Product
from logispace.storage import LocalObjectStore, UploadFormat
from tests.access.conftest import FIELDS, waybill_csv
from tests.conftest import Actor, World
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party, make_token, make_user

API = "/api/v1/operation"
BEIJING = timezone(timedelta(hours=8))
TODAY = datetime.now(BEIJING).date()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        max_body_bytes=64 * 1024,
        cookie_secure=False,
        objects_dir=tmp_path / "objects",
        var_dir=tmp_path / "var",
    )


@dataclass
class Ops:
    """The parties of an operation test."""

    world: World
    authority: Actor
    body: Actor  # 实施机构 (a public agency, holder of the resources)
    operator: Actor  # 运营机构's administrator
    staff: Actor  # 运营机构's analyst (processing staff)
    outsider: Actor
    codes: list[str]  # two operable resources with data
    core: str  # a core resource
    other: str  # an operable resource outside every plan

    @property
    def operator_party(self) -> str:
        return str(self.operator.party_id)


def _actor(db: Session, party: Any, *roles: Role) -> Actor:
    user = make_user(db, party, *roles)
    return Actor(user.id, user.party_id, user.username, make_token(db, user))


@pytest.fixture
def ops(db: Session, world: World, settings: Settings) -> Ops:
    agency = make_party(db, name="测试交通运输局", party_type=PartyType.PUBLIC_AGENCY)
    operator = make_party(db, name="测试数据运营有限公司")
    outsider = make_party(db, name="丁科技公司")
    codes = []
    for _ in range(2):
        resource = make_resource(
            db, agency.id, publish=True, fields=FIELDS, grade="important", open_type="conditional"
        )
        distribution_service.upload(
            db,
            SYSTEM,
            resource.catalog_code,
            io.BytesIO(waybill_csv()),
            fmt=UploadFormat.CSV,
            store=LocalObjectStore.from_settings(settings),
            max_bytes=settings.max_upload_bytes,
        )
        codes.append(resource.catalog_code)
    core = make_resource(
        db,
        agency.id,
        publish=True,
        grade="core",
        sharing_type="not_shared",
        open_type="not_opened",
        sharing_conditions=None,
        open_conditions=None,
        sharing_basis="核心数据",
        open_basis="核心数据",
    )
    other = make_resource(db, agency.id, publish=True)
    result = Ops(
        world=world,
        authority=world.authority_admin,
        body=_actor(db, agency, Role.PARTY_ADMIN, Role.DATA_STEWARD),
        operator=_actor(db, operator, Role.PARTY_ADMIN, Role.DATA_STEWARD),
        staff=_actor(db, operator, Role.ANALYST),
        outsider=_actor(db, outsider, Role.PARTY_ADMIN, Role.DATA_STEWARD),
        codes=codes,
        core=core.catalog_code,
        other=other.catalog_code,
    )
    db.commit()
    return result


SECTIONS = {
    key: f"{title}：按实施规范要求编制。"
    for key, title in {
        "necessity_feasibility": "必要性和可行性",
        "operator_selection_criteria": "运营机构选择条件",
        "build_content": "建设内容",
        "tech_assurance": "技术保障",
        "schedule": "进度安排",
        "evaluation_criteria": "评价标准",
        "exit_mechanism": "退出机制",
        "asset_management": "资产管理",
        "cost_revenue": "成本收益测算与收益分配",
        "security_measures": "安全与隐私保护、应急处置",
        "rights_obligations": "各方权利义务",
        "supervision": "监督评价要求",
    }.items()
}


def plan_body(o: Ops, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "交通运输公共数据授权运营实施方案",
        "authorization_mode": "by_domain",
        "data_scope": list(o.codes),
        "term_years": 3,
        "sections": dict(SECTIONS),
        "products": [
            {"name": "货运场站分布指数", "use_class": "governance_welfare"},
            {"name": "公路运力供需指数接口", "use_class": "industry"},
        ],
    }
    body.update(changes)
    return body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def approval(body: str) -> dict[str, str]:
    return {"approving_body": body, "approved_on": TODAY.isoformat(), "document": "会议纪要〔2026〕1号"}


def filed_plan(client: TestClient, o: Ops) -> dict[str, Any]:
    plan = ok(client.post(f"{API}/plans", json=plan_body(o), headers=o.body.headers), 201)
    pid = plan["id"]
    ok(
        client.post(
            f"{API}/plans/{pid}/internal-approval", json=approval("局党组会议"), headers=o.body.headers
        )
    )
    ok(
        client.post(
            f"{API}/plans/{pid}/government-approval",
            json=approval("市人民政府常务会议"),
            headers=o.body.headers,
        )
    )
    filed = {"filed_on": TODAY.isoformat()}
    return ok(client.post(f"{API}/plans/{pid}/filing", json=filed, headers=o.authority.headers))


def selected(
    client: TestClient, o: Ops, plan_id: str, *, checks: dict[str, bool] | None = None
) -> dict[str, Any]:
    body = {"method": "negotiation", "notice": "交通运输公共数据授权运营单位遴选公告"}
    selection = ok(client.post(f"{API}/plans/{plan_id}/selections", json=body, headers=o.body.headers), 201)
    sid = selection["id"]
    all_pass = {"credit": True, "team": True, "experience": True, "security": True}
    candidate = {"party_id": o.operator_party, "checks": all_pass if checks is None else checks}
    ok(client.post(f"{API}/selections/{sid}/candidates", json=candidate, headers=o.body.headers), 201)
    review = {
        "experts": ["张专家", "李专家", "王专家"],
        "opinion": "综合评审通过",
        "reviewed_on": TODAY.isoformat(),
    }
    ok(client.post(f"{API}/selections/{sid}/expert-review", json=review, headers=o.body.headers))
    pick = {"party_id": o.operator_party, "selected_on": TODAY.isoformat()}
    return ok(client.post(f"{API}/selections/{sid}/selection", json=pick, headers=o.body.headers))


def agreement_body(o: Ops, selection_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "selection_id": selection_id,
        "scope": list(o.codes),
        "term_start": TODAY.isoformat(),
        "term_end": (TODAY + timedelta(days=365 * 2)).isoformat(),
        "products": ["货运场站分布指数", "公路运力供需指数接口"],
        "security_duties": "在授权运营平台内加工，原始数据不出域",
        "exit_terms": "协议终止后撤销权限并删除平台留存数据",
        "signed_on": TODAY.isoformat(),
    }
    body.update(changes)
    return body


def active_agreement(client: TestClient, o: Ops, **changes: Any) -> dict[str, Any]:
    plan = filed_plan(client, o)
    selection = selected(client, o, plan["id"])
    body = agreement_body(o, selection["id"], **changes)
    agreement = ok(
        client.post(f"{API}/plans/{plan['id']}/agreements", json=body, headers=o.body.headers), 201
    )
    filed = {"filed_on": TODAY.isoformat()}
    return ok(
        client.post(f"{API}/agreements/{agreement['id']}/filing", json=filed, headers=o.authority.headers)
    )


def product_body(agreement_id: str, o: Ops, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agreement_id": agreement_id,
        "name": "公路运力供需指数接口",
        "form": "api",
        "use_class": "industry",
        "scenario": "物流企业运力调度",
        "resources": [o.codes[0]],
        "billing_unit": "call",
    }
    body.update(changes)
    return body


def make_product(client: TestClient, o: Ops, agreement_id: str, **changes: Any) -> dict[str, Any]:
    body = product_body(agreement_id, o, **changes)
    return ok(client.post(f"{API}/products", json=body, headers=o.operator.headers), 201)


@dataclass(frozen=True)
class Counts:
    plans: int
    agreements: int
    products: int
    logs: int
    ledger: int


def counts(db: Session) -> Counts:
    def n(model: Any) -> int:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)

    return Counts(n(OperationPlan), n(Agreement), n(Product), n(OperationLog), n(LedgerEntry))
