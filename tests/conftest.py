"""Test fixtures: one app and one migrated throwaway database per test process, a rolled-back
transaction per test.

The schema comes from ``alembic upgrade head`` (never ``create_all``). Under ``pytest -n N``
(pytest-xdist) each worker is a process with its own database. Each test runs inside a transaction
that is rolled back; the app's own commits become SAVEPOINT releases inside it.

The application is built once per process (building one and serving its first request costs about a
second); each test gets it with its own settings (``app.state.settings``, which the routes and the
body-limit middleware read on every request) and its own database session (a dependency override),
both put back when the test ends.

Markers added here: ``db`` on every test that reaches a database (the PostgreSQL pass runs only
those, ``-m db``), and the xdist group ``live`` on every test of a live server, so that one worker
starts the server and the browser (``demo-walk`` likewise for the Chinese-page walk's own demo server,
``spark`` for the tests that start a Spark session: a JVM each time).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.app import wiring
from logispace.app.main import create_app
from logispace.core import crypto
from logispace.core.config import Settings, get_settings
from logispace.core.db import committing, make_engine
from logispace.domains import ledger
from logispace.domains.identity import PartyType, Role
from logispace.storage.engines import SparkEngine, get_engine
from logispace.web.dependencies import get_db
from tests.databases import BACKEND, throwaway_database
from tests.factories.identity import bearer, make_party, make_token, make_user
from tests.forking import check_cli_in_fork
from tests.live_server import serving

if TYPE_CHECKING:  # tests.identity.support imports this module
    from tests.identity.support import Browser

DATABASE_FIXTURES = frozenset({"database_url", "live_server"})
"""A test whose fixtures include one of these reaches a database; so does every test of a module that
makes its own (imports one of :data:`DATABASE_MAKERS`)."""
DATABASE_MAKERS = ("throwaway_database", "migrated_to", "migrated_database")


def pytest_report_header() -> str:
    return f"logispace test database backend: {BACKEND}"


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        module = getattr(item, "module", None)
        if names & DATABASE_FIXTURES or any(hasattr(module, maker) for maker in DATABASE_MAKERS):
            item.add_marker(pytest.mark.db)
        if "live_server" in names or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("live"))
        elif "demo_server" in names:  # one module's own demo server: on one worker, loaded once
            item.add_marker(pytest.mark.xdist_group("demo-walk"))
        elif item.get_closest_marker("spark"):  # one JVM per run instead of one per worker
            item.add_marker(pytest.mark.xdist_group("spark"))
    # A test that ends the process's Spark session (and JVM) runs after the others that need it.
    items.sort(key=lambda item: item.get_closest_marker("spark_ends_session") is not None)


@pytest.hookimpl(trylast=True)  # after pytest-xdist has put each grouped test's group into its node id
def pytest_collection_finish(session: pytest.Session) -> None:
    """Under ``--dist loadgroup`` a live-server test whose node id lacks its group would start a second
    server on another worker: refuse the run instead (pytest 9.2 broke this, pytest-xdist issue 1386)."""
    if not session.config.getoption("loadgroup", default=False):
        return
    lost = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if lost:
        raise pytest.UsageError(f"pytest-xdist did not group {len(lost)} live-server tests, e.g. {lost[0]}")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with small parameters: the same code path, far less time per test user."""
    original = crypto._hasher
    crypto._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    crypto._hasher = original


@pytest.fixture(autouse=True, scope="session")
def _wired() -> None:
    """Domain event handlers, as every entry point wires them (identity events reach the ledger)."""
    wiring.wire()


@pytest.fixture(autouse=True, scope="session")
def _ledger_master_key() -> Iterator[None]:
    """A fixed master key for the run (the live server inherits it through the environment)."""
    os.environ["LOGISPACE_LEDGER_MASTER_KEY"] = "ab" * 32
    get_settings.cache_clear()
    yield
    os.environ.pop("LOGISPACE_LEDGER_MASTER_KEY", None)
    get_settings.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _ledger_integrates_inline() -> Iterator[None]:
    """Every append integrates in its own transaction, so tests that read an inclusion proof right
    after appending keep working (the live server inherits it through the environment). Tests of
    admission apart from integration set ``ledger_sequencer="off"`` in their own settings and
    integrate with ``ledger.integrate(session)``."""
    os.environ["LOGISPACE_LEDGER_SEQUENCER"] = "inline"
    get_settings.cache_clear()
    yield
    os.environ.pop("LOGISPACE_LEDGER_SEQUENCER", None)
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_admission_keys() -> None:
    """Each test's transaction is rolled back, and with it any ledger key it made: forget the
    process's cached admission key."""
    ledger.forget_admission_keys()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway database migrated with ``alembic upgrade head``."""
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        migrations.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The test client speaks http, as local development does: cookies without the Secure flag.
    # Alert streams end after their backlog: a test client reads a stream to its end.
    return Settings(
        database_url=database_url,
        max_body_bytes=64 * 1024,
        cookie_secure=False,
        tower_alert_stream_max_seconds=0,
    )


@pytest.fixture(scope="session")
def process_app(database_url: str) -> FastAPI:
    """The one application of this test process; tests reach it through :func:`app`."""
    return create_app(Settings(database_url=database_url, cookie_secure=False))


@pytest.fixture
def app(process_app: FastAPI, settings: Settings, db: Session) -> Iterator[FastAPI]:
    """The process's application with this test's settings and database session; what a test changes on
    it (settings, dependency overrides, routes it adds) is put back afterwards."""
    built_with = process_app.state.settings

    def test_db() -> Iterator[Session]:
        with committing(db):
            yield db

    routes = list(process_app.router.routes)
    process_app.state.settings = settings
    process_app.dependency_overrides[get_db] = test_db
    try:
        yield process_app
    finally:
        process_app.dependency_overrides.clear()
        process_app.state.settings = built_with
        if process_app.router.routes != routes:  # a test added a route of its own: later tests never see it
            process_app.router.routes[:] = routes
            process_app.openapi_schema = None
            process_app.state.method_table = None


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@dataclass
class Actor:
    """A user with a token, for API tests."""

    user_id: object
    party_id: object
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


@dataclass
class World:
    """Two ordinary parties and the authority, each with users, for authorization tests."""

    authority_admin: Actor
    reviewer: Actor
    a_admin: Actor
    a_analyst: Actor
    b_admin: Actor


@pytest.fixture
def world(db: Session) -> World:
    # Its 14 ledger entries go under one tree head, not one each: the fixture is in most API tests.
    with ledger.integration_deferred(db):
        made = _make_world(db)
    db.commit()
    return made


def _make_world(db: Session) -> World:
    authority = make_party(db, name="测试数据局", party_type=PartyType.DATA_AUTHORITY)
    # The registration authority (登记机构) takes the registration review steps through its reviewers.
    registrar = make_party(db, name="测试登记中心", party_type=PartyType.REGISTRATION_AUTHORITY)
    party_a = make_party(db, name="甲物流公司")
    party_b = make_party(db, name="乙港口公司")

    def actor(party: object, *roles: Role) -> Actor:
        user = make_user(db, party, *roles)  # type: ignore[arg-type]
        return Actor(user.id, user.party_id, user.username, make_token(db, user))

    world = World(
        authority_admin=actor(authority, Role.AUTHORITY_ADMIN),
        reviewer=actor(registrar, Role.REVIEWER),
        a_admin=actor(party_a, Role.PARTY_ADMIN),
        a_analyst=actor(party_a, Role.ANALYST),
        b_admin=actor(party_b, Role.PARTY_ADMIN, Role.DATA_STEWARD),
    )
    return world


LogIn = Callable[[Actor], "Browser"]


@pytest.fixture
def log_in(app: FastAPI) -> Iterator[LogIn]:
    """Log an actor in through the login page, each in a browser (a test client) of their own, closed at
    the end."""
    from tests.identity.support import Browser

    with ExitStack() as stack:

        def open_browser(actor: Actor) -> Browser:
            return Browser(stack.enter_context(TestClient(app, base_url="http://testserver")), actor.username)

        yield open_browser


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkEngine]:
    """The Spark engine (PySpark local), started once per test process: a JVM takes seconds to start."""
    engine = get_engine("spark")
    assert isinstance(engine, SparkEngine)
    yield engine
    engine.stop()


# -- a real server for browser tests -----------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``logispace db upgrade`` and ``demo load`` (forks of this process: tests/forking.py), then ``serve``
    in a subprocess, on a database of its own."""
    folder = tmp_path_factory.mktemp("live")
    with throwaway_database(folder) as url:
        env = {
            **os.environ,
            "LOGISPACE_DATABASE_URL": url,
            "LOGISPACE_VAR_DIR": str(folder),
            "LOGISPACE_DEMO_WAYBILLS": "40",
        }
        check_cli_in_fork(["db", "upgrade"], env)  # the commands a user runs, without two fresh interpreters
        check_cli_in_fork(["demo", "load"], env)
        with serving(env, folder / "server.log") as base:
            yield LiveServer(url=base, env=env)
