"""Login throttling (登录失败处理, issue 15 point 8): exponential delays per client and per
(account, client) pair, a higher account-wide ceiling that only slows, never a lockout of the owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from logispace.core.clock import set_clock
from logispace.core.errors import PROBLEM_MEDIA_TYPE
from logispace.domains.identity import auth_service
from logispace.domains.identity.errors import InvalidCredentials, LoginThrottled
from logispace.domains.identity.events import digest
from logispace.domains.identity.policies import (
    ACCOUNT_RULE,
    CLIENT_RULE,
    PAIR_RULE,
    ThrottleRule,
    throttle_delay,
)
from logispace.domains.ledger.models import LedgerEntry
from logispace.web.errors import render_error
from tests.conftest import World
from tests.factories.identity import PASSWORD, make_party, make_user
from tests.identity.support import login_form_token

RULE = ThrottleRule(free=3, base_seconds=2, cap_seconds=60)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (1, 0), (2, 0), (3, 2), (4, 4), (5, 8), (6, 16), (7, 32), (8, 60), (9, 60), (10_000, 60)],
)
def test_the_delay_doubles_after_the_free_failures_up_to_the_cap(failures: int, delay: int) -> None:
    assert throttle_delay(failures, RULE) == delay


def test_the_rules_let_the_owner_through_and_slow_everyone_else() -> None:
    assert PAIR_RULE.free <= 5 and PAIR_RULE.cap_seconds >= 600  # a guesser at one account is stopped
    assert CLIENT_RULE.free > PAIR_RULE.free  # a sprayer is slowed across accounts
    assert ACCOUNT_RULE.free >= 5 * PAIR_RULE.free  # a much higher ceiling ...
    assert ACCOUNT_RULE.cap_seconds <= 60  # ... that only slows


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def forward(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock()
    set_clock(fixed)
    yield fixed
    set_clock(None)


def _fail(db: Session, username: str, client: str) -> None:
    with pytest.raises(InvalidCredentials):
        auth_service.authenticate(db, username, "wrong-password", client=client)


def _retry_after(db: Session, username: str, password: str, client: str) -> int:
    with pytest.raises(LoginThrottled) as caught:
        auth_service.authenticate(db, username, password, client=client)
    retry: int = caught.value.extensions["retry_after"]
    return retry


def test_delays_grow_exponentially_and_reset_on_success(db: Session, clock: Clock) -> None:
    user = make_user(db, make_party(db), username="wangwu")
    for _ in range(PAIR_RULE.free):
        _fail(db, "wangwu", "198.51.100.1")
    waits = []
    for _ in range(4):
        wait = _retry_after(db, "wangwu", "wrong-password", "198.51.100.1")
        waits.append(wait)
        clock.forward(wait)
        _fail(db, "wangwu", "198.51.100.1")  # the wait is over: counted, and the next wait doubles
    assert waits == [int(PAIR_RULE.base_seconds * 2**i) for i in range(4)]
    clock.forward(_retry_after(db, "wangwu", PASSWORD, "198.51.100.1"))  # even the right password waits
    assert auth_service.authenticate(db, "wangwu", PASSWORD, client="198.51.100.1").id == user.id
    _fail(db, "wangwu", "198.51.100.1")  # the count starts over: a plain failure, no wait
    assert auth_service.authenticate(db, "wangwu", PASSWORD, client="198.51.100.1").id == user.id


def test_the_owner_logs_in_while_an_attacker_hammers_the_account(db: Session, clock: Clock) -> None:
    owner = make_user(db, make_party(db), username="zhaoliu")
    for _ in range(200):
        try:
            auth_service.authenticate(db, "zhaoliu", "guess", client="203.0.113.66")
        except LoginThrottled as exc:
            clock.forward(exc.extensions["retry_after"])
        except InvalidCredentials:
            pass
    assert auth_service.authenticate(db, "zhaoliu", PASSWORD, client="192.0.2.10").id == owner.id


def test_many_clients_at_one_account_are_slowed_but_the_owner_is_not(db: Session, clock: Clock) -> None:
    owner = make_user(db, make_party(db), username="sunqi")
    for bot in range(ACCOUNT_RULE.free):
        _fail(db, "sunqi", f"203.0.113.{bot}")  # one guess each: no pair is throttled
    _fail(db, "sunqi", "203.0.113.200")  # over the account-wide ceiling: a delay follows
    assert 0 < _retry_after(db, "sunqi", "guess", "203.0.113.200") <= ACCOUNT_RULE.cap_seconds
    assert 0 < _retry_after(db, "sunqi", "guess", "203.0.113.1") <= ACCOUNT_RULE.cap_seconds
    assert auth_service.authenticate(db, "sunqi", PASSWORD, client="192.0.2.10").id == owner.id


def test_a_sprayer_is_slowed_per_client_across_accounts(db: Session, clock: Clock) -> None:
    party = make_party(db)
    names = [f"spray{i}" for i in range(CLIENT_RULE.free + 2)]
    for name in names:
        make_user(db, party, username=name)
    for name in names[: CLIENT_RULE.free]:
        _fail(db, name, "203.0.113.99")  # one guess per account
    # a fresh account from the same client now waits, and the same account from elsewhere does not
    assert _retry_after(db, names[-1], "guess", "203.0.113.99") >= CLIENT_RULE.base_seconds
    assert auth_service.authenticate(db, names[-1], PASSWORD, client="192.0.2.10").username == names[-1]


def test_each_throttle_decision_is_in_the_ledger_without_names(db: Session, clock: Clock) -> None:
    make_user(db, make_party(db), username="zhouba")
    for _ in range(PAIR_RULE.free):
        _fail(db, "zhouba", "198.51.100.7")
    entries = db.scalars(select(LedgerEntry).where(LedgerEntry.kind == "identity.login_throttled")).all()
    assert entries, "the pair's delay is recorded"
    text = " ".join(e.subject + e.leaf_input.decode() for e in entries)
    assert "zhouba" not in text and "198.51.100.7" not in text
    assert digest("zhouba") in text and "pair" in text


def test_the_login_page_answers_429_with_retry_after_in_chinese(
    app: FastAPI, world: World, clock: Clock
) -> None:
    with TestClient(app, base_url="http://testserver", client=("203.0.113.5", 4000)) as attacker:
        token = login_form_token(attacker)
        bad = {"username": world.a_analyst.username, "password": "nope", "csrf_token": token}
        for _ in range(PAIR_RULE.free):
            assert attacker.post("/login", data=bad, follow_redirects=False).status_code == 401
        r = attacker.post("/login", data=bad, follow_redirects=False)
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) == PAIR_RULE.base_seconds
        assert 'data-testid="login-throttled"' in r.text and "秒后再试" in r.text
    with TestClient(app, base_url="http://testserver", client=("192.0.2.44", 4000)) as owner:
        good = {
            "username": world.a_analyst.username,
            "password": PASSWORD,
            "csrf_token": login_form_token(owner),
        }
        assert owner.post("/login", data=good, follow_redirects=False).status_code == 303


def test_a_throttled_login_is_an_rfc9457_problem_with_retry_after_on_the_api(app: FastAPI) -> None:
    request = Request({"type": "http", "method": "POST", "path": "/api/v1/login", "headers": [], "app": app})
    response = render_error(request, LoginThrottled("too many failed logins", retry_after=8))
    assert response.status_code == 429
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert response.headers["retry-after"] == "8"


def test_spelling_the_name_differently_does_not_escape_the_count(db: Session, clock: Clock) -> None:
    make_user(db, make_party(db), username="wujiu")
    for spelling in ("wujiu", "WuJiu", " WUJIU ")[: PAIR_RULE.free]:
        _fail(db, spelling, "198.51.100.9")
    assert _retry_after(db, "wUjIu", "guess", "198.51.100.9") == PAIR_RULE.base_seconds
    events = db.scalars(select(LedgerEntry).where(LedgerEntry.kind == "identity.login_throttled")).all()
    assert digest("wujiu") in " ".join(e.leaf_input.decode() for e in events)
