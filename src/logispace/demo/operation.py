"""Demo authorized operation (演示授权运营): the city transport bureau's approved and filed plan for
交通运输公共数据, the operator selected by negotiation, an agreement in force, two delivered products
(a free one for public governance, a paid one with its cap and trial price) and so a filled disclosure
page, all through the operation domain's services.

Idempotent: nothing is done when the transport bureau has a plan of that name already.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from logispace.core.calendar import add_years
from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.catalog import service as catalog_service
from logispace.domains.identity import Principal
from logispace.domains.operation import (
    AgreementCreate,
    ApprovalCreate,
    CandidateCreate,
    CapCreate,
    DeliverCreate,
    ExpertReviewCreate,
    FilingCreate,
    PlanCreate,
    PriceCreate,
    ProductCreate,
    SelectCreate,
    SelectionCreate,
    lifecycle,
    products,
    service,
)

CHINA = ZoneInfo("Asia/Shanghai")
PLAN_NAME = "示范市交通运输公共数据授权运营实施方案"
RESOURCES = ("公路货运运力统计", "国家物流枢纽与货运场站名录")
SECTIONS = {
    "necessity_feasibility": "物流降本增效需要路网、运力和场站数据；市场对运力供需指数需求明确，风险可控。",
    "operator_selection_criteria": "具备数据加工运营能力、经营和信用状况良好、符合国家数据安全保护要求。",
    "build_content": "依托授权运营平台建设运力供需指数、货运场站分布指数等产品。",
    "tech_assurance": "平台通过网络安全等级保护三级测评，原始数据不出域、可用不可见。",
    "schedule": "第一年上线两项产品，第二年扩展至多式联运场景。",
    "evaluation_criteria": "按年度考核评估产品质量、安全合规和服务成效。",
    "exit_mechanism": "协议终止或撤销后撤销数据使用权限，删除平台留存数据。",
    "asset_management": "平台软硬件归实施机构所有，产品和服务按协议约定处置。",
    "cost_revenue": "运营成本单独核算，收益按协议约定分配。",
    "security_measures": "落实数据分类分级保护、隐私保护和应急处置，定期开展应急演练。",
    "rights_obligations": "实施机构负责授权与监督，运营机构负责产品开发与安全主体责任。",
    "supervision": "接受数据主管部门和社会监督，定期披露授权运营情况。",
}


def load(session: Session, settings: Settings, principals: dict[str, Principal]) -> None:
    """The plan, its approvals and filing, the selection, the agreement, the two delivered products."""
    body, authority, operator = principals["transport"], principals["authority"], principals["operator"]
    if (
        operator.party_id is None
        or body.party_id is None
        or any(plan.name == PLAN_NAME for plan in service.list_plans(session, body))
    ):
        return
    codes = []
    for name in RESOURCES:
        resource = catalog_service.resource_by_holder_and_name(session, body.party_id, name)
        if resource is None:
            return
        codes.append(resource.catalog_code)
    start = utcnow().astimezone(CHINA).date() - timedelta(days=30)
    plan = service.create_plan(
        session,
        body,
        PlanCreate.model_validate(
            {
                "name": PLAN_NAME,
                "authorization_mode": "by_domain",
                "data_scope": codes,
                "term_years": 3,
                "sections": SECTIONS,
                "products": [
                    {"name": "货运场站分布指数", "use_class": "governance_welfare"},
                    {"name": "公路运力供需指数接口", "use_class": "industry"},
                ],
            }
        ),
        settings,
    )
    for step, approver, document in (
        ("approve_internal", "示范市交通运输局党组会议", "党组会议纪要〔2026〕3号"),
        ("approve_government", "示范市人民政府常务会议", "市政府常务会议纪要〔2026〕5号"),
    ):
        approval = ApprovalCreate(
            approving_body=approver, approved_on=start - timedelta(days=20), document=document
        )
        service.approve_plan(session, body, plan.id, step, approval, settings)
    service.file_plan(
        session, authority, plan.id, FilingCreate(filed_on=start - timedelta(days=15)), settings
    )
    notice = "示范市交通运输公共数据授权运营单位遴选公告"
    selection = service.create_selection(
        session, body, plan.id, SelectionCreate(method="negotiation", notice=notice), settings
    )
    checks = {"credit": True, "team": True, "experience": True, "security": True}
    service.add_candidate(
        session, body, selection.id, CandidateCreate(party_id=operator.party_id, checks=checks), settings
    )
    review = ExpertReviewCreate(
        experts=["交通运输数据专家", "数据安全专家", "价格管理专家"],
        opinion="申请单位具备数据加工运营能力，安全保障措施完备，同意推荐。",
        reviewed_on=start - timedelta(days=10),
    )
    service.record_expert_review(session, body, selection.id, review, settings)
    pick = SelectCreate(party_id=operator.party_id, selected_on=start - timedelta(days=8))
    service.select_operator(session, body, selection.id, pick, settings)
    agreement = service.create_agreement(
        session,
        body,
        plan.id,
        AgreementCreate(
            selection_id=selection.id,
            scope=codes,
            term_start=start,
            term_end=add_years(start, 3) - timedelta(days=1),
            products=["货运场站分布指数", "公路运力供需指数接口"],
            security_duties="在授权运营平台内加工处理，原始数据不出域，数据加工人员实名认证并签订保密协议。",
            exit_terms="协议终止或撤销后及时撤销数据申请和使用权限，删除平台留存数据。",
            signed_on=start,
        ),
        settings,
    )
    lifecycle.file_agreement(
        session, authority, agreement.id, FilingCreate(filed_on=start + timedelta(days=2)), settings
    )
    free = products.create_product(
        session,
        operator,
        ProductCreate.model_validate(
            {
                "agreement_id": str(agreement.id),
                "name": "货运场站分布指数",
                "form": "indicator",
                "use_class": "governance_welfare",
                "scenario": "物流枢纽布局规划与行业监管",
                "resources": [codes[1]],
            }
        ),
        settings,
    )
    paid = products.create_product(
        session,
        operator,
        ProductCreate.model_validate(
            {
                "agreement_id": str(agreement.id),
                "name": "公路运力供需指数接口",
                "form": "api",
                "use_class": "industry",
                "scenario": "物流企业运力调度与车货匹配",
                "resources": [codes[0]],
                "billing_unit": "call",
            }
        ),
        settings,
    )
    products.set_cap(session, body, paid.id, CapCreate(price_cap_fen=50, billing_unit="call"), settings)
    products.set_price(session, operator, paid.id, PriceCreate(price_fen=40), settings)
    for product, day in ((free, 5), (paid, 12)):
        products.deliver(
            session, operator, product.id, DeliverCreate(delivered_on=start + timedelta(days=day)), settings
        )
