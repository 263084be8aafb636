"""Demo data (演示数据): parties and users of a small logistics data space, loaded idempotently.

The unified social credit codes are made up for the demo, with valid check characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import SYSTEM, PartyType, Role, VerificationStatus
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.schemas import PartyCreate, UserCreate, VerificationDecision


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
)

USERS = (
    DemoUser("admin", "数据局管理员", "authority", (Role.AUTHORITY_ADMIN,)),
    DemoUser("reviewer", "数据局审核员", "authority", (Role.REVIEWER,)),
    DemoUser("registrar", "登记中心审核员", "registrar", (Role.REVIEWER,)),
    DemoUser("transport", "交通运输局数据管理员", "transport", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("port", "港务集团管理员", "port", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("carrier", "物流公司管理员", "carrier", (Role.PARTY_ADMIN, Role.DATA_STEWARD)),
    DemoUser("bank", "银行数据分析员", "bank", (Role.ANALYST,)),
)


def load(session: Session, password: str) -> list[DemoLogin]:
    """Create whatever of the demo parties and users is missing; return the demo logins."""
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
                VerificationDecision(status=VerificationStatus.VERIFIED, note="演示数据 demo data"),
            )
    return [
        DemoLogin(u.username, password, parties[u.party].name, tuple(r.value for r in u.roles)) for u in USERS
    ]
