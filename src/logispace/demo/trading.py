"""Demo data trading (演示数据流通交易), all through the services: the operator's paid public data product
(公路运力供需指数接口, registered and certified, capped by its authorized-operation cap) and the carrier's
enterprise dataset (multimodal waybills) listed; the bank's completed purchase of the carrier's dataset,
delivered, settled and vouchered; a shipper's negotiation on the public product still in progress; and
the port's object refused by the exchange's review on a prohibited ground.

Idempotent: nothing is done when the carrier has registered for trading already.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from logispace.core.calendar import calendar_from_settings
from logispace.core.config import RuleProfile, Settings
from logispace.domains.catalog import service as catalog_service
from logispace.domains.identity import Principal, party_name
from logispace.domains.ledger import document_service
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.operation import products as operation_products
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.enums import AccountState, ApplicationType, SubjectKind
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.rules.materials import ATTACHMENT, required_materials
from logispace.domains.registration.schemas import ApplicationCreate, BasicInfo
from logispace.domains.registration.workflow import Clock
from logispace.domains.trading import (
    listing_service,
    negotiation_service,
    settlement_service,
    trading_service,
)
from logispace.domains.trading import reads as trading_reads
from logispace.domains.trading.errors import TradingNotFound
from logispace.domains.trading.schemas import (
    ListingCreate,
    NegotiationCreate,
    NegotiationStep,
    SettlementCreate,
    TradeObjectCreate,
    TradeObjectRead,
    TradeObjectReview,
    TradingPartyCreate,
)

BEIJING = ZoneInfo("Asia/Shanghai")
PRODUCT = "公路运力供需指数接口"
WAYBILLS = "多式联运一单制运单"
WAYBILL_FIELDS = ["waybill_no", "shipper", "consignee", "legs", "issued_at"]
ATTESTATIONS = {
    "provider": {"source_statement": True, "follows_rules": True},
    "demander": {"uses_as_agreed": True, "protection_capability": True},
}
TERMS = {
    "data_content": "陆海新通道示范物流有限公司2026年多式联运一单制运单明细（脱敏），5000条",
    "quality": "字段完整率不低于99%，运单号唯一，按月更新",
    "method": "场内协商交易，在数据使用沙箱内以统计方式使用，不导出明细",
    "security_duties": "需求方在安全可控环境中使用，仅用于供应链金融贸易真实性核验，不得转授权或再分发",
    "confidentiality": "双方对交易内容和价格保密五年",
}
# the operator's product registration, on these days of 2026 (submitted, accepted, passed)
PRODUCT_DAYS = (date(2026, 10, 19), date(2026, 10, 20), date(2026, 10, 27))


def load(session: Session, settings: Settings, principals: dict[str, Principal]) -> None:
    """Register the parties, certify the operator's product, list, trade, negotiate and refuse."""
    carrier, bank, operator = principals["carrier"], principals["bank"], principals["operator"]
    shipper, port, authority = principals["shipper01"], principals["port"], principals["authority"]
    if carrier.party_id is None or _registered(session, carrier):
        return
    waybills = catalog_service.resource_by_holder_and_name(session, carrier.party_id, WAYBILLS)
    product = next(
        (x for x in operation_products.list_products(session, operator) if x.name == PRODUCT), None
    )
    if waybills is None or product is None:
        return
    for who, roles in ((carrier, ["provider"]), (operator, ["provider"]), (port, ["provider"])):
        _register(session, settings, who, roles)
    for who in (bank, shipper):
        _register(session, settings, who, ["demander"])
    certificate = _certify_product(session, settings, operator, principals["registrar"])

    dataset = _registered_object(
        session,
        settings,
        carrier,
        authority,
        {
            "name": "多式联运一单制运单明细数据集（2026年）",
            "description": "陆海新通道多式联运一单制运单明细，含托运人、收货人、运输段数和签发时间，已脱敏。",
            "category": "data_product_service",
            "subtype": "dataset",
            "delivery_mode": "dataset",
            "public_data_product": False,
            "compliance_report": "示范律师事务所数据合规评估报告〔2026〕12号",
            "catalog_code": waybills.catalog_code,
            "fields": WAYBILL_FIELDS,
        },
    )
    offered = listing_service.create_listing(
        session,
        carrier,
        ListingCreate.model_validate(
            {
                "object_id": str(dataset.id),
                "title": "多式联运一单制运单明细数据集（供应链金融）",
                "price": "260000.00",
                "pricing_method": "negotiated",
                "purposes": ["supply_chain_finance", "logistics_cost"],
                "duration_days": 365,
            }
        ),
        settings,
    )
    public = _registered_object(
        session,
        settings,
        operator,
        authority,
        {
            "name": "公路运力供需指数接口（十万次调用）",
            "description": "按日发布的公路货运运力供需指数，接口调用十万次，依托授权运营平台提供。",
            "category": "data_product_service",
            "subtype": "api",
            "delivery_mode": "api",
            "public_data_product": True,
            "certificate_code": certificate,
            "operation_product_id": str(product.id),
            "units": 100_000,
            "compliance_report": "授权运营平台安全评估报告〔2026〕3号",
        },
    )
    capped = listing_service.create_listing(
        session,
        operator,
        ListingCreate.model_validate(
            {
                "object_id": str(public.id),
                "title": "公路运力供需指数接口（十万次调用）",
                "price": "40000.00",
                "pricing_method": "pricing_tool",
                "purposes": ["capacity_matching", "logistics_cost"],
                "duration_days": 365,
            }
        ),
        settings,
    )
    _complete_trade(session, settings, carrier, bank, offered.id)
    # a negotiation in progress: the shipper asks less, the operator counters within the cap
    thread = negotiation_service.open_negotiation(
        session,
        shipper,
        NegotiationCreate.model_validate(
            {
                "listing_id": str(capped.id),
                "price": "32000.00",
                "purpose": "capacity_matching",
                "note": "首年试用",
            }
        ),
        settings,
    )
    settlement_service.step_negotiation(
        session,
        operator,
        thread.id,
        NegotiationStep.model_validate({"action": "offer", "price": "38000.00", "note": "含接口技术支持"}),
        settings,
    )
    # refused by the exchange's review: the berth crews' data identifies persons without their consent
    refused = trading_service.register_object(
        session,
        port,
        TradeObjectCreate.model_validate(
            {
                "name": "港口作业人员排班与考勤数据",
                "description": "码头作业人员排班、考勤与岗位记录。",
                "category": "data_product_service",
                "subtype": "dataset",
                "delivery_mode": "dataset",
                "public_data_product": False,
                "compliance_report": "未提供个人信息处理同意材料",
            }
        ),
        settings,
    )
    trading_service.review_object(
        session,
        authority,
        refused.id,
        TradeObjectReview.model_validate(
            {
                "passed": False,
                "note": "含可直接识别作业人员身份的数据，未取得本人同意，不予登记。",
                "ground": "personal_data_without_consent",
            }
        ),
        settings,
    )


def _registered(session: Session, who: Principal) -> bool:
    try:
        trading_service.get_party(session, who, who.party_id)  # type: ignore[arg-type]
    except TradingNotFound:
        return False
    return True


def _register(session: Session, settings: Settings, who: Principal, roles: list[str]) -> None:
    body = {"kind": "legal_person", "roles": roles, "attestations": {r: ATTESTATIONS[r] for r in roles}}
    trading_service.register_party(session, who, TradingPartyCreate.model_validate(body), settings)


def _registered_object(
    session: Session, settings: Settings, provider: Principal, exchange: Principal, body: dict[str, object]
) -> TradeObjectRead:
    created = trading_service.register_object(
        session, provider, TradeObjectCreate.model_validate(body), settings
    )
    review = TradeObjectReview(passed=True, note="形式审查通过，出具登记凭证。")
    return trading_reads.object_read(
        session, trading_service.review_object(session, exchange, created.id, review, settings)
    )


def _complete_trade(
    session: Session, settings: Settings, carrier: Principal, bank: Principal, listing_id: object
) -> None:
    """The bank asks, the carrier counters, the bank accepts; contract, signatures, delivery, release."""
    thread = negotiation_service.open_negotiation(
        session,
        bank,
        NegotiationCreate.model_validate(
            {"listing_id": str(listing_id), "price": "240000.00", "purpose": "supply_chain_finance"}
        ),
        settings,
    )
    for who, step in (
        (carrier, {"action": "offer", "price": "250000.00", "note": "含一年按月更新"}),
        (bank, {"action": "accept"}),
        (carrier, {"action": "agree", "terms": TERMS}),
        (bank, {"action": "verify"}),
        (carrier, {"action": "finalize"}),
    ):
        settlement_service.step_negotiation(
            session, who, thread.id, NegotiationStep.model_validate(step), settings
        )
    contract_id = trading_reads.negotiation_read(session, bank, thread).contract_id
    if contract_id is None:  # pragma: no cover - agreed above
        return
    settlement_service.deliver(session, carrier, contract_id, [], settings)
    settlement_service.settle(
        session, bank, contract_id, SettlementCreate.model_validate({"outcome": "release"}), settings
    )


def _certify_product(session: Session, settings: Settings, operator: Principal, registrar: Principal) -> str:
    """The operator registers its product (公共数据产品登记) through the registration workflow: the product's
    description notarized as the evidence, filed, accepted, passed, publicized and issued."""
    description = {
        "type": "public_data_product",
        "name": PRODUCT,
        "form": "api",
        "billing_unit": "call",
        "scenario": "物流企业运力调度与车货匹配",
    }
    content = document_service.json_content(description)
    notarized = document_service.notarize(
        session,
        operator,
        settings,
        content,
        DocumentFields(title=f"{PRODUCT}产品说明", reference="CP-2026-001"),
    )
    calendar = calendar_from_settings(settings)
    submitted, accepted, passed = PRODUCT_DAYS
    if settings.rule_profile is RuleProfile.INNER_MONGOLIA:
        account = account_service.account_of(session, operator.party_id)
        if account is None:
            account = account_service.request_account(session, operator, settings)
        if account.state is not AccountState.ISSUED:
            account_service.issue_account(session, registrar, settings, account.id)
    draft = application_service.create_application(
        session,
        operator,
        settings,
        ApplicationCreate(
            application_type=ApplicationType.INITIAL,
            subject_kind=SubjectKind.PRODUCT,
            product_name=PRODUCT,
            content_sha256=content.sha256,
            evidence_ledger_index=notarized.ledger_index,
            internal_business_review_done=True,
            interested_parties_consensus=True,
            content_summary=f"{PRODUCT}：物流企业运力调度与车货匹配（演示登记）",
            info=BasicInfo(
                name=PRODUCT,
                data_structure="日期、区域、运力指数、需求指数、供需比",
                data_scale="每日 300 条",
                generation_frequency="daily",
                holder_info=(party_name(session, operator.party_id) if operator.party_id else None) or "",
                right_type="product_operation",
                right_term="2026-11-01 ~ 2029-10-31",
                data_quality="按日校验，完整率 99% 以上",
                industry="交通运输",
                application_scenarios=["物流企业运力调度与车货匹配"],
            ),
        ),
        created_at=datetime.combine(submitted, time(9, 0), tzinfo=BEIJING),
    )
    for requirement in required_materials(draft.application_type, draft.subject_kind, draft.rule_profile):
        if requirement.kind != ATTACHMENT:
            continue
        title = requirement.title.split(" (")[0]
        application_service.add_attachment(
            session,
            operator,
            settings,
            draft.id,
            io.BytesIO(f"%PDF-1.7\n% 演示材料: {title} / {PRODUCT}\n".encode()),
            material=requirement.names[0],
            media_type="application/pdf",
            filename=f"{title}.pdf",
        )
    application_service.submit(session, operator, Clock(submitted, calendar, settings), draft.id)
    review_service.accept(session, registrar, Clock(accepted, calendar, settings), draft.id)
    done = review_service.pass_review(session, registrar, Clock(passed, calendar, settings), draft.id)
    if done.publicity_end is None:  # pragma: no cover - a passed initial registration is publicized
        raise RuntimeError("the product's registration was not publicized")
    issue_day = calendar.next_working_day(done.publicity_end)
    clock = Clock(issue_day, calendar, settings)
    issued = review_service.issue(session, registrar, clock, draft.id)
    record_id = read_service.application_read(session, operator, clock, issued).registration_id
    record = read_service.get_record(session, operator, record_id) if record_id else None
    code = read_service.record_reads(session, [record])[0].certificate_code if record else None
    if not code:
        raise RuntimeError("the product's registration certificate was not issued")
    return str(code)
