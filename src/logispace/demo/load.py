"""Demo data (演示数据): parties, users, the data catalogue and notarized documents of a small
logistics data space, loaded idempotently. The catalogue's resources are data in
:mod:`logispace.demo.catalog`.

The unified social credit codes, waybills, bills of lading and declarations are made up for the
demo; the codes carry valid check characters.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings, get_settings
from logispace.core.identifiers import uscc_with_check_character
from logispace.demo import access as access_demo
from logispace.demo import alerts as alerts_demo
from logispace.demo import catalog as catalog_demo
from logispace.demo import dispatch as dispatch_demo
from logispace.demo import open_data as open_data_demo
from logispace.demo import operation as operation_demo
from logispace.demo import registration as registration_demo
from logispace.demo import tower as tower_demo
from logispace.demo import trading as trading_demo
from logispace.demo import traffic as traffic_demo
from logispace.demo import waybills as waybill_demo
from logispace.domains import tower
from logispace.domains.catalog import service as catalog_service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.catalog.lists import service as catalog_lists
from logispace.domains.catalog.schemas import DataItemCreate, ListVersionCreate, ResourceCreate
from logispace.domains.identity import SYSTEM, PartyType, Principal, Role, VerificationStatus
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.schemas import PartyCreate, UserCreate, VerificationDecision
from logispace.domains.ledger import document_service
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.logistics.epcis import service as logistics_service
from logispace.domains.logistics.intake.adapters import epcis_document
from logispace.storage import LocalObjectStore, UploadFormat


@dataclass(frozen=True)
class DemoParty:
    key: str
    name: str
    party_type: PartyType
    uscc17: str
    verified: bool


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    party: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    party: str
    roles: tuple[str, ...]


PARTIES = (
    DemoParty("authority", "示范省数据局", PartyType.DATA_AUTHORITY, "11450000MB0000001", True),
    DemoParty(
        "registrar", "示范省公共数据登记中心", PartyType.REGISTRATION_AUTHORITY, "12450000MB0000002", True
    ),
    DemoParty("transport", "示范市交通运输局", PartyType.PUBLIC_AGENCY, "11450700MB0000003", True),
    DemoParty("port", "北部湾国际港务示范集团有限公司", PartyType.ENTERPRISE, "91450700MA0000004", True),
    DemoParty("carrier", "陆海新通道示范物流有限公司", PartyType.ENTERPRISE, "91500000MA0000005", False),
    DemoParty(
        "bank", "示范农村商业银行股份有限公司", PartyType.FINANCIAL_INSTITUTION, "91450100MA0000006", False
    ),
    DemoParty("rail", "中国铁路示范局集团有限公司", PartyType.ENTERPRISE, "91450000MA0000007", True),
    DemoParty("customs", "示范海关", PartyType.PUBLIC_AGENCY, "11450000MB0000008", True),
    DemoParty("maritime", "示范海事局", PartyType.PUBLIC_AGENCY, "11450000MB0000009", True),
    DemoParty("road", "示范省公路发展中心", PartyType.PUBLIC_INSTITUTION, "12450000MB0000010", True),
    DemoParty("shipping", "北部湾示范航运有限公司", PartyType.ENTERPRISE, "91450700MA0000011", True),
    DemoParty("operator", "示范交通数据运营有限公司", PartyType.ENTERPRISE, "91450700MA0000012", True),
    # The consignors and consignees of the demo week's waybills (托运人/收货人), who sign their steps.
    *(
        DemoParty(f"shipper{n:02d}", name, PartyType.ENTERPRISE, uscc17, True)
        for n, (name, uscc17) in enumerate(traffic_demo.SHIPPERS, start=1)
    ),
)

USERS = (
    DemoUser("admin", "数据局管理员", "authority", (Role.AUTHORITY_ADMIN,)),
    DemoUser("reviewer", "数据局审核员", "authority", (Role.REVIEWER,)),
    DemoUser("registrar", "登记中心审核员", "registrar", (Role.REVIEWER,)),
    DemoUser("transport", "交通运输局数据管理员", "transport", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("port", "港务集团管理员", "port", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("carrier", "物流公司管理员", "carrier", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("bank", "银行数据分析员", "bank", (Role.ANALYST,)),
    DemoUser("rail", "铁路局数据管理员", "rail", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("customs", "海关数据管理员", "customs", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("maritime", "海事局数据管理员", "maritime", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("road", "公路发展中心数据管理员", "road", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("shipping", "航运公司调度员", "shipping", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("operator", "数据运营公司管理员", "operator", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    *(
        DemoUser(party.key, f"{party.name}管理员", party.key, (Role.PARTY_ADMIN,))
        for party in PARTIES
        if party.key.startswith("shipper")
    ),
)


@dataclass(frozen=True)
class DemoDocument:
    """A JSON document a demo user notarizes for their party (存证单证)."""

    username: str
    title: str
    reference: str
    document: dict[str, Any]


DOCUMENTS = (
    DemoDocument(
        "carrier",
        "多式联运运单",
        "LHX-2026-000128",
        {
            "type": "multimodal_waybill",
            "waybill_no": "LHX-2026-000128",
            "carrier": "陆海新通道示范物流有限公司",
            "shipper": "重庆示范电子科技有限公司",
            "consignee": "Singapore Demo Trading Pte. Ltd.",
            "route": [
                {"mode": "rail", "from": "重庆团结村", "to": "钦州港东站"},
                {"mode": "sea", "from": "钦州港", "to": "Singapore"},
            ],
            "containers": ["TGHU8883590"],
            "goods": "笔记本电脑",
            "packages": 640,
            "gross_weight_kg": 9820.5,
            "issued_on": "2026-11-02",
        },
    ),
    DemoDocument(
        "port",
        "海运提单",
        "BBW2026SH0457",
        {
            "type": "bill_of_lading",
            "bl_no": "BBW2026SH0457",
            "vessel": "DEMO STAR",
            "voyage": "2611E",
            "port_of_loading": "CNQZH",
            "port_of_discharge": "SGSIN",
            "shipper": "重庆示范电子科技有限公司",
            "consignee": "TO ORDER",
            "containers": [{"no": "TGHU8883590", "seal": "QZ204411", "type": "40HC"}],
            "freight": "prepaid",
            "shipped_on_board": "2026-11-05",
        },
    ),
    DemoDocument(
        "port",
        "出口报关单",
        "450720260000123456",
        {
            "type": "customs_declaration",
            "declaration_no": "450720260000123456",
            "customs_office": "钦州港海关",
            "trade_mode": "一般贸易 0110",
            "transport_mode": "水路运输",
            "bl_no": "BBW2026SH0457",
            "hs_code": "8471300000",
            "quantity": 640,
            "unit": "台",
            "declared_value": {"currency": "USD", "amount": 512000},
            "declared_on": "2026-11-04",
        },
    ),
    DemoDocument(
        "carrier",
        "公路运单",
        "LHX-2026-000131",
        {
            "type": "road_waybill",
            "waybill_no": "LHX-2026-000131",
            "vehicle_plate": "桂N·D2031",
            "from": "钦州港",
            "to": "南宁国际物流园",
            "containers": ["MSKU7012468"],
            "gross_weight_kg": 18400,
            "issued_on": "2026-11-08",
        },
    ),
)


def load_documents(session: Session, settings: Settings) -> None:
    """Notarize the demo documents that their party has not notarized yet (by reference)."""
    for demo_document in DOCUMENTS:
        user = identity_service.user_by_username(session, demo_document.username)
        if user is None:
            raise RuntimeError(f"the demo user {demo_document.username} was not created")
        principal = identity_service.principal_of_user(session, user)
        if document_service.find_by_reference(session, user.party_id, demo_document.reference) is None:
            document_service.notarize(
                session,
                principal,
                settings,
                document_service.json_content(demo_document.document),
                DocumentFields(title=demo_document.title, reference=demo_document.reference),
            )


def load(session: Session, password: str, settings: Settings | None = None) -> list[DemoLogin]:
    """Create whatever of the demo parties, users and documents is missing; return the demo logins."""
    parties = {}
    for demo_party in PARTIES:
        uscc = uscc_with_check_character(demo_party.uscc17)
        party = identity_service.party_by_uscc(session, uscc)
        if party is None:
            party = identity_service.create_party(
                session,
                SYSTEM,
                PartyCreate(name=demo_party.name, party_type=demo_party.party_type, uscc=uscc),
            )
        parties[demo_party.key] = party
    for demo_user in USERS:
        if identity_service.user_by_username(session, demo_user.username) is None:
            identity_service.create_user(
                session,
                SYSTEM,
                UserCreate(
                    party_id=parties[demo_user.party].id,
                    username=demo_user.username,
                    display_name=demo_user.display_name,
                    password=password,
                    roles=list(demo_user.roles),
                ),
            )
    admin = identity_service.user_by_username(session, "admin")
    if admin is None:
        raise RuntimeError("the demo administrator was not created")
    reviewer = identity_service.principal_of_user(session, admin)
    for demo_party in PARTIES:
        party = parties[demo_party.key]
        if demo_party.verified and party.verification_status is VerificationStatus.UNVERIFIED:
            identity_service.decide_verification(
                session,
                reviewer,
                party.id,
                VerificationDecision(status=VerificationStatus.VERIFIED, note="演示数据"),
            )
    load_catalog(session, {key: (party.id, party.name) for key, party in parties.items()}, reviewer)
    load_open_data(session, {key: party.id for key, party in parties.items()}, settings or get_settings())
    load_traffic(session, settings or get_settings())
    load_share(session, settings or get_settings())
    # After the traffic, so the demo documents head the carrier's list (newest first) above the
    # signed steps of its waybills.
    load_documents(session, settings or get_settings())
    load_registrations(session, settings or get_settings())
    load_access(session, settings or get_settings())
    load_operation(session, settings or get_settings())
    load_dispatch(session, settings or get_settings())
    load_trading(session, settings or get_settings())
    return [
        DemoLogin(u.username, password, parties[u.party].name, tuple(r.value for r in u.roles)) for u in USERS
    ]


def load_catalog(session: Session, parties: dict[str, tuple[uuid.UUID, str]], authority: Principal) -> None:
    """Create the missing demo resources, declare their data items' sources (一数一源), and publish the
    first sharing/open list version as the data authority if there is none yet."""
    for demo in catalog_demo.resources():
        holder_id, holder_name = parties[demo.holder]
        if catalog_service.resource_by_holder_and_name(session, holder_id, demo.name) is not None:
            continue
        item = catalog_service.data_item_by_code(session, demo.item) if demo.item else None
        body = catalog_demo.resource_body(demo, holder_name)
        if item is not None:
            body["data_item"] = item.code
        created = catalog_service.create_resource(
            session, SYSTEM, ResourceCreate.model_validate(body), holder_party_id=holder_id
        )
        code = created.catalog_code
        if demo.item and item is None:
            name, category = catalog_demo.ITEM_NAMES[demo.item]
            data = DataItemCreate(code=demo.item, name=name, category=category, resource_code=code)
            catalog_service.declare_data_item(session, SYSTEM, data, source_party_id=holder_id)
        if demo.status != "draft":
            catalog_service.publish_resource(session, SYSTEM, code)
        if demo.status == "withdrawn":
            catalog_service.withdraw_resource(session, SYSTEM, code, "演示：数据已并入其他资源 merged")
    if catalog_lists.latest_version(session) is None:
        note = "演示数据"
        catalog_lists.publish_list_version(session, authority, ListVersionCreate(note=note))


def load_open_data(session: Session, parties: dict[str, uuid.UUID], settings: Settings) -> None:
    """Give the 无条件开放 demo resources of :data:`open_data_demo.TABLES` their first version of
    data (generated, 10,000+ rows each), unless they have data already."""
    store = LocalObjectStore.from_settings(settings)
    for (holder, name), generate in open_data_demo.TABLES.items():
        resource = catalog_service.resource_by_holder_and_name(session, parties[holder], name)
        if resource is None:
            continue
        _, existing = distribution_service.list_distributions(session, SYSTEM, resource.catalog_code)
        if existing:
            continue
        distribution_service.upload(
            session,
            SYSTEM,
            resource.catalog_code,
            io.BytesIO(generate()),
            fmt=UploadFormat.CSV,
            store=store,
            max_bytes=settings.max_upload_bytes,
        )


def load_registrations(session: Session, settings: Settings) -> None:
    """File the demo registrations (:mod:`logispace.demo.registration`) through the real workflow, the
    registration centre's reviewer taking each step, unless some application exists already."""
    principals = {}
    for user in USERS:
        found = identity_service.user_by_username(session, user.username)
        if found is not None and user.party not in principals:
            principals[user.party] = identity_service.principal_of_user(session, found)
    registrar = identity_service.user_by_username(session, "registrar")
    if registrar is None:
        raise RuntimeError("the demo registration centre reviewer was not created")
    reviewer = identity_service.principal_of_user(session, registrar)
    registration_demo.load(session, settings, principals, reviewer)


def party_principals(session: Session) -> dict[str, Principal]:
    """The first demo user of each party, as the principal that acts for it."""
    principals: dict[str, Principal] = {}
    for user in USERS:
        found = identity_service.user_by_username(session, user.username)
        if found is not None and user.party not in principals:
            principals[user.party] = identity_service.principal_of_user(session, found)
    return principals


def load_access(session: Session, settings: Settings) -> None:
    """The bank's scenario data request over the carrier's waybills, approved, used and once refused
    (:mod:`logispace.demo.access`), unless the bank has asked for that scenario already."""
    access_demo.load(session, settings, party_principals(session))


def load_operation(session: Session, settings: Settings) -> None:
    """The transport bureau's authorized operation of its public data: plan, operator, agreement, two
    products and the disclosure (:mod:`logispace.demo.operation`), unless the plan exists already."""
    operation_demo.load(session, settings, party_principals(session))


def load_trading(session: Session, settings: Settings) -> None:
    """Two listings, a completed trade with its voucher, a negotiation in progress and a refused object
    (:mod:`logispace.demo.trading`), unless the carrier trades already."""
    trading_demo.load(session, settings, party_principals(session))


def load_traffic(session: Session, settings: Settings) -> None:
    """Load a generated week of corridor traffic (:mod:`logispace.demo.traffic`), unless the road
    carrier has events already: each carrier's EPCIS events, 1,000 per capture document, then each
    waybill with its containers and its steps up to now, taken by the party that acts
    (:mod:`logispace.demo.waybills`)."""
    if settings.demo_waybills == 0:
        return
    principals = {}
    for user in USERS:
        found = identity_service.user_by_username(session, user.username)
        if found is not None:
            principals[user.party] = identity_service.principal_of_user(session, found)
    if logistics_service.event_count(session, principals["carrier"]) > 0:
        return
    end = utcnow().replace(microsecond=0)
    traffic = traffic_demo.generate(end, settings.demo_waybills)
    created = utcnow().isoformat()
    # Waybills and alert rules first, so the control tower evaluates the events as they are captured.
    usccs = {party.key: uscc_with_check_character(party.uscc17) for party in PARTIES}
    by_uscc = {usccs[key]: principal for key, principal in principals.items()}
    # The control tower's measures are built once by the refresh at the end, not kept per capture.
    with tower.measures_paused():
        waybill_demo.load(session, settings, traffic, end, by_uscc, usccs, principals["shipping"])
        alerts_demo.add_rules(session, principals)
        alerts_demo.promise_arrivals(session, traffic)
        for party, principal in principals.items():
            for chunk in traffic.chunks(party, 1_000):
                body = epcis_document(chunk, created, {})
                logistics_service.capture(session, principal, json.dumps(body).encode(), settings)
        alerts_demo.capture_incidents(session, settings, traffic, end, principals)
        tower_demo.load(session, settings, traffic, end, by_uscc)


def load_dispatch(session: Session, settings: Settings) -> None:
    """The demo carrier's trucks and the shippers' loads for tomorrow, an accepted match run and a
    route plan (:mod:`logispace.demo.dispatch`)."""
    principals = {}
    for user in USERS:
        found = identity_service.user_by_username(session, user.username)
        if found is not None:
            principals[user.party] = identity_service.principal_of_user(session, found)
    dispatch_demo.load_dispatch(session, principals, settings)


def load_share(session: Session, settings: Settings) -> None:
    """The first shipper shares one of its waybills with the bank (运单共享, 真实贸易核验)."""
    found = identity_service.user_by_username(session, "shipper01")
    if found is None or settings.demo_waybills == 0:
        return
    shipper = identity_service.principal_of_user(session, found)
    bank = next(party for party in PARTIES if party.key == "bank")
    waybill_demo.share_with_bank(session, settings, shipper, uscc_with_check_character(bank.uscc17))
