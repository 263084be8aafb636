"""Identity services on the database: parties, verification, users, login, sessions, tokens."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.pagination import PageParams
from logispace.domains.identity import SYSTEM, PartyType, Role, VerificationStatus, auth_service, service
from logispace.domains.identity.errors import (
    DuplicateParty,
    DuplicateUsername,
    InvalidCredentials,
    InvalidToken,
    LastAdministrator,
    LoginThrottled,
    RoleNotAllowed,
    TokenAlreadyRevoked,
)
from logispace.domains.identity.models import LoginThrottle, User
from logispace.domains.identity.policies import PAIR_RULE
from logispace.domains.identity.schemas import (
    PartyCreate,
    PasswordChange,
    TokenCreate,
    UserCreate,
    UserUpdate,
    VerificationDecision,
)
from tests.factories.identity import PASSWORD, make_party, make_user, new_uscc

CLIENT = "198.51.100.20"


def test_duplicate_uscc_is_refused_naming_the_code(db: Session) -> None:
    party = make_party(db)
    data = PartyCreate(name="另一个", party_type=PartyType.ENTERPRISE, uscc=party.uscc)
    with pytest.raises(DuplicateParty, match=party.uscc):
        service.create_party(db, SYSTEM, data)


def test_verification_records_who_and_when_and_sets_status(db: Session) -> None:
    authority = make_party(db, party_type=PartyType.DATA_AUTHORITY)
    reviewer = service.principal_of_user(db, make_user(db, authority, Role.REVIEWER, username="rev1"))
    target = make_party(db)
    service.decide_verification(
        db, reviewer, target.id, VerificationDecision(status=VerificationStatus.REJECTED)
    )
    service.decide_verification(
        db, reviewer, target.id, VerificationDecision(status=VerificationStatus.VERIFIED, note="营业执照已核")
    )
    history = service.verification_history(db, reviewer, target.id)
    assert [h.status for h in history] == [VerificationStatus.VERIFIED, VerificationStatus.REJECTED]
    assert history[0].decided_by == "rev1" and history[0].note == "营业执照已核"
    assert utcnow() - history[0].decided_at < timedelta(minutes=1)
    assert service.get_party(db, SYSTEM, target.id).verification_status is VerificationStatus.VERIFIED
    read = service.party_reads(db, [target])[0]
    assert read.real_name_verification is not None and read.real_name_verification.decided_by == "rev1"


def test_party_admin_cannot_verify_and_cannot_see_other_party(db: Session) -> None:
    own, other = make_party(db), make_party(db)
    admin = service.principal_of_user(db, make_user(db, own, Role.PARTY_ADMIN))
    with pytest.raises(PermissionDenied):
        service.decide_verification(
            db, admin, own.id, VerificationDecision(status=VerificationStatus.VERIFIED)
        )
    with pytest.raises(NotFound):
        service.get_party(db, admin, other.id)
    items, total = service.list_parties(db, admin, PageParams())
    assert total == 1 and [p.id for p in items] == [own.id]


def test_usernames_are_unique_case_insensitively(db: Session) -> None:
    party = make_party(db)
    make_user(db, party, username="zhangsan")
    before = db.scalar(select(func.count()).select_from(User))
    data = UserCreate(party_id=party.id, username="ZhangSan", display_name="张三", password=PASSWORD)
    with pytest.raises(DuplicateUsername):
        service.create_user(db, SYSTEM, data)
    assert db.scalar(select(func.count()).select_from(User)) == before


def test_authority_roles_only_for_authority_staff(db: Session) -> None:
    party = make_party(db)
    data = UserCreate(
        party_id=party.id, username="x-reviewer", display_name="x", password=PASSWORD, roles=[Role.REVIEWER]
    )
    with pytest.raises(RoleNotAllowed, match="only for staff of a data or registration authority"):
        service.create_user(db, SYSTEM, data)


def test_last_authority_admin_cannot_be_disabled_or_demoted(db: Session) -> None:
    authority = make_party(db, party_type=PartyType.DATA_AUTHORITY)
    # Other tests' admins are rolled back; the demo data is not loaded in this database.
    admin = make_user(db, authority, Role.AUTHORITY_ADMIN)
    others = db.scalars(select(User).where(User.id != admin.id)).all()
    for other in others:
        if Role.AUTHORITY_ADMIN in other.roles:
            other.is_active = False
    db.flush()
    with pytest.raises(LastAdministrator):
        service.update_user(db, SYSTEM, admin.id, UserUpdate(is_active=False))
    with pytest.raises(LastAdministrator):
        service.update_user(db, SYSTEM, admin.id, UserUpdate(roles=[Role.REVIEWER]))
    second = make_user(db, authority, Role.AUTHORITY_ADMIN)
    updated = service.update_user(db, SYSTEM, admin.id, UserUpdate(roles=[Role.REVIEWER]))
    assert updated.roles == {Role.REVIEWER} and second.is_active


def test_roles_are_replaced_as_a_set(db: Session) -> None:
    user = make_user(db, make_party(db), Role.PARTY_ADMIN, Role.ANALYST)
    service.update_user(db, SYSTEM, user.id, UserUpdate(roles=[Role.ANALYST, Role.DATA_STEWARD]))
    db.expire_all()
    assert db.get_one(User, user.id).roles == {Role.ANALYST, Role.DATA_STEWARD}


def test_login_password_change_and_disabled_user(db: Session) -> None:
    user = make_user(db, make_party(db), username="lisi")
    assert auth_service.authenticate(db, "LiSi", PASSWORD, client=CLIENT).id == user.id
    assert user.last_login_at is not None
    with pytest.raises(InvalidCredentials):
        auth_service.authenticate(db, "lisi", PASSWORD + "x", client=CLIENT)
    with pytest.raises(InvalidCredentials):
        auth_service.authenticate(db, "nobody", PASSWORD, client=CLIENT)
    p = service.principal_of_user(db, user)
    with pytest.raises(InvalidCredentials):
        service.change_password(
            db, p, PasswordChange(current_password="wrong-one", new_password="new-password-1")
        )
    service.change_password(db, p, PasswordChange(current_password=PASSWORD, new_password="new-password-1"))
    assert auth_service.authenticate(db, "lisi", "new-password-1", client=CLIENT).id == user.id
    service.update_user(db, SYSTEM, user.id, UserUpdate(is_active=False))
    with pytest.raises(InvalidCredentials):
        auth_service.authenticate(db, "lisi", "new-password-1", client=CLIENT)


def test_sessions_resolve_until_logout_or_expiry(db: Session) -> None:
    user = make_user(db, make_party(db))
    started = auth_service.start_session(db, user, Settings(session_ttl_hours=1))
    resolved = auth_service.resolve_session(db, started.cookie_value)
    assert resolved is not None and resolved.principal.user_id == user.id
    assert resolved.csrf_token == started.csrf_token
    assert auth_service.resolve_session(db, started.cookie_value + "x") is None
    assert auth_service.resolve_session(db, "garbage") is None
    auth_service.end_session(db, started.cookie_value)
    assert auth_service.resolve_session(db, started.cookie_value) is None

    second = auth_service.start_session(db, user, Settings(session_ttl_hours=1))
    row = auth_service.repository.session_by_digest(
        db, auth_service.crypto.secret_digest(second.cookie_value)
    )
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.flush()
    assert auth_service.resolve_session(db, second.cookie_value) is None


def test_tokens_are_stored_hashed_expire_and_revoke(db: Session) -> None:
    user = make_user(db, make_party(db))
    settings = Settings(token_default_ttl_days=30, token_max_ttl_days=60)
    created = auth_service.create_token(db, user.id, TokenCreate(name="ci"), settings)
    assert created.token.startswith("lsp_") and created.token.startswith(created.prefix)
    assert timedelta(days=29) < created.expires_at - utcnow() <= timedelta(days=30)
    row = db.get_one(auth_service.ApiToken, created.id)
    assert row.digest != created.token and created.token not in row.digest

    p = auth_service.resolve_token(db, created.token)
    assert p.user_id == user.id and p.via == "token"
    assert db.get_one(auth_service.ApiToken, created.id).last_used_at is not None

    with pytest.raises(InvalidToken):
        auth_service.resolve_token(db, created.token[:-1] + ("A" if created.token[-1] != "A" else "B"))
    owner = service.principal_of_user(db, user)
    auth_service.revoke_token(db, owner, created.id)
    with pytest.raises(InvalidToken):
        auth_service.resolve_token(db, created.token)
    with pytest.raises(TokenAlreadyRevoked):
        auth_service.revoke_token(db, owner, created.id)

    from logispace.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="at most 60"):
        auth_service.create_token(db, user.id, TokenCreate(name="long", expires_in_days=61), settings)


def test_someone_elses_token_cannot_be_revoked(db: Session) -> None:
    party = make_party(db)
    alice, bob = make_user(db, party), make_user(db, party)
    created = auth_service.create_token(db, alice.id, TokenCreate(name="a"), Settings())
    with pytest.raises(NotFound):
        auth_service.revoke_token(db, service.principal_of_user(db, bob), created.id)


def test_new_uscc_factory_is_valid() -> None:
    from logispace.core.identifiers import check_uscc

    for _ in range(50):
        code = new_uscc()
        assert check_uscc(code) == code


def test_repeated_wrong_passwords_make_that_client_wait_never_lock_the_account(db: Session) -> None:
    """Was: three wrong passwords locked the account for 15 minutes, for everyone (issue 15 point 8:
    a denial of service). Now the client that failed waits; the owner elsewhere logs in."""
    user = make_user(db, make_party(db), username="wangwu")
    for _ in range(PAIR_RULE.free):
        with pytest.raises(InvalidCredentials) as caught:
            auth_service.authenticate(db, "wangwu", "wrong-password", client="203.0.113.1")
        assert not isinstance(caught.value, LoginThrottled)
    with pytest.raises(LoginThrottled, match="try again in") as throttled:
        auth_service.authenticate(db, "wangwu", PASSWORD, client="203.0.113.1")  # even the right password
    assert throttled.value.extensions["retry_after"] == PAIR_RULE.base_seconds
    assert auth_service.authenticate(db, "wangwu", PASSWORD, client="192.0.2.1").id == user.id  # the owner


def test_a_success_resets_the_failure_count(db: Session) -> None:
    make_user(db, make_party(db), username="zhaoliu")
    for _ in range(PAIR_RULE.free - 1):
        with pytest.raises(InvalidCredentials):
            auth_service.authenticate(db, "zhaoliu", "wrong-password", client=CLIENT)
    auth_service.authenticate(db, "zhaoliu", PASSWORD, client=CLIENT)
    for _ in range(PAIR_RULE.free - 1):  # counted from zero again: still no wait
        with pytest.raises(InvalidCredentials) as caught:
            auth_service.authenticate(db, "zhaoliu", "wrong-password", client=CLIENT)
        assert not isinstance(caught.value, LoginThrottled)
    pair = db.get(LoginThrottle, auth_service.throttle_keys("zhaoliu", CLIENT)["pair"])
    assert pair is not None and pair.failures == PAIR_RULE.free - 1 and pair.blocked_until is None
