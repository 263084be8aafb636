"""Who issues the certificate (核发). National: the registration authority whose staff acted. Under
inner_mongolia: 自治区政务服务与数据管理局, the data authority (004:5452), whoever of the authority staff
acted, with the registration authority that handled it named in the statement. Public verification
checks the issuer: a statement claiming another issuer fails."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile, Settings
from logispace.core.errors import Conflict
from logispace.domains.identity import PartyType, Principal, Role, active_party_key
from logispace.domains.ledger import canonical_json
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.enums import RecordState
from logispace.domains.registration.models import RegistrationCertificate, RegistrationRecord
from tests.conftest import Actor, World
from tests.factories.identity import make_party, make_token, make_user
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import register
from tests.registration.test_certificates import certificate

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
CENTRE = "自治区公共数据登记中心"
DATA_AUTHORITY = "测试数据局"  # the world's data_authority party


def centre_world(db: Session, world: World) -> World:
    """The world with its reviewer replaced by the staff of a registration authority (登记机构)."""
    centre = make_party(db, name=CENTRE, party_type=PartyType.REGISTRATION_AUTHORITY)
    user = make_user(db, centre, Role.REVIEWER)
    actor = Actor(user.id, user.party_id, user.username, make_token(db, user))
    db.commit()
    return dataclasses.replace(world, reviewer=actor)


@BOTH
def test_the_issuer_is_the_registration_authority_or_under_inner_mongolia_the_data_authority(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    staffed = centre_world(db, world)
    _, record = register(client, staffed, clock)
    cert = certificate(client, record["certificate_code"])
    assert cert["verdict"] == "valid" and cert["signature"]["valid"], cert["reasons"]
    statement = cert["statement"]
    if profile is RuleProfile.INNER_MONGOLIA:
        assert statement["issuer"]["name"] == DATA_AUTHORITY == cert["signature"]["signer_name"]
        assert statement["registration_authority"]["name"] == CENTRE
        assert statement["registration_authority"]["party_id"] == str(staffed.reviewer.party_id)
    else:
        assert statement["issuer"]["name"] == CENTRE
        assert statement["issuer"]["party_id"] == str(staffed.reviewer.party_id)
        assert "registration_authority" not in statement
    page = client.get(f"/registry/certificates/{record['certificate_code']}")
    assert (
        page.status_code == 200
        and (DATA_AUTHORITY if profile is RuleProfile.INNER_MONGOLIA else CENTRE) in page.text
    )


def test_inner_mongolia_without_a_data_authority_refuses_to_issue(db: Session) -> None:
    centre = make_party(db, name=CENTRE, party_type=PartyType.REGISTRATION_AUTHORITY)
    p = Principal(
        user_id=None,
        username="centre",
        party_id=centre.id,
        party_type=PartyType.REGISTRATION_AUTHORITY,
        roles=frozenset({Role.REVIEWER}),
        via="token",
    )
    record = RegistrationRecord(rule_profile=RuleProfile.INNER_MONGOLIA, state=RecordState.VALID)
    with pytest.raises(Conflict, match="data authority") as caught:
        certificate_service.issuer_of(db, p, record)
    assert caught.value.status == 409 and caught.value.code == "registration-no-data-authority"
    national = RegistrationRecord(rule_profile=RuleProfile.NATIONAL, state=RecordState.VALID)
    assert certificate_service.issuer_of(db, p, national).party_id == centre.id


@BOTH
def test_a_statement_claiming_the_wrong_issuer_fails_verification(
    client: TestClient,
    world: World,
    clock: TravelClock,
    db: Session,
    settings: Settings,
    profile: RuleProfile,
) -> None:
    _, record = register(client, world, clock)
    code = record["certificate_code"]
    centre = make_party(db, name=CENTRE, party_type=PartyType.REGISTRATION_AUTHORITY)
    key = active_party_key(db, centre.id, settings)
    db.commit()
    row = db.query(RegistrationCertificate).filter_by(code=code).one()
    original = json.loads(json.dumps(row.statement))

    # 1. the statement names the centre as issuer, correctly signed with the centre's own key
    forged = json.loads(json.dumps(original))
    forged["issuer"] = {
        "party_id": str(centre.id),
        "name": CENTRE,
        "key_id": key.key_id,
        "algorithm": key.algorithm,
    }
    values = {
        "statement": forged,
        "signature": key.sign(canonical_json(forged)),
        "key_id": key.key_id,
        "algorithm": key.algorithm,
        "signer_party_id": centre.id,
    }
    db.execute(update(RegistrationCertificate).where(RegistrationCertificate.code == code).values(**values))
    db.commit()
    cert = certificate(client, code)
    assert cert["verdict"] == "invalid"
    if profile is RuleProfile.INNER_MONGOLIA:  # the centre is not the data authority (004:5452)
        assert not cert["signature"]["valid"]
        assert any("issued by the data authority" in r for r in cert["reasons"]), cert["reasons"]
    else:  # a registration authority may issue, but the ledger never carried this statement
        assert cert["signature"]["valid"] and not cert["ledger_verified"]

    # 2. the statement claims the data authority as issuer but the centre's key signed it
    claimed = json.loads(json.dumps(forged))
    claimed["issuer"]["party_id"] = original["issuer"]["party_id"]
    claimed["issuer"]["name"] = original["issuer"]["name"]
    db.execute(
        update(RegistrationCertificate)
        .where(RegistrationCertificate.code == code)
        .values(
            statement=claimed, signature=base64.b64decode(base64.b64encode(key.sign(canonical_json(claimed))))
        )
    )
    db.commit()
    cert = certificate(client, code)
    assert cert["verdict"] == "invalid" and not cert["signature"]["valid"]
    assert any("names another issuer" in r for r in cert["reasons"]), cert["reasons"]
