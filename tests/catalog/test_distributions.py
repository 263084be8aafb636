"""Distributions (数据分发) and open data (数据开放): uploads in each format, GBK, versions and drift,
staleness, every bad input leaving nothing behind, who may upload, open previews and downloads."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from logispace import migrations
from logispace.cli import app
from logispace.core.config import Settings, get_settings
from logispace.core.db import unit_of_work
from logispace.domains.catalog import policies
from logispace.domains.catalog.enums import OpenType, ResourceStatus, UpdateFrequency
from logispace.domains.catalog.models import Distribution
from logispace.domains.identity import SYSTEM, Principal, Role
from logispace.domains.ledger.models import LedgerEntry
from logispace.storage import LocalObjectStore
from tests.conftest import World
from tests.databases import throwaway_database
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party, make_user
from tests.identity.support import assert_problem
from tests.storage.conftest import stored_objects

API = "/api/v1/catalog/resources"
runner = CliRunner()
CSV = "waybill_no,city,weight_kg\nYT0001,郑州,12.5\nYT0002,武汉,8\nYT0003,上海,3.25\n".encode()
ROWS = [
    {"waybill_no": "YT0001", "city": "郑州", "weight_kg": 12.5},
    {"waybill_no": "YT0002", "city": "武汉", "weight_kg": 8.0},
    {"waybill_no": "YT0003", "city": "上海", "weight_kg": 3.25},
]
OPEN = {
    "grade": "general_other",
    "fields": [{"name": "waybill_no", "title": "运单号", "type": "string"}],
    "sharing_type": "unconditional",
    "sharing_conditions": None,
    "open_type": "unconditional",
    "open_conditions": None,
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        cookie_secure=False,
        database_url=database_url,
        max_body_bytes=64 * 1024,
        max_upload_bytes=1024 * 1024,
        objects_dir=tmp_path / "objects",
    )


@pytest.fixture
def store(settings: Settings) -> LocalObjectStore:
    return LocalObjectStore.from_settings(settings)


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parquet(rows: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv", CSV),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx([list(ROWS[0])] + [list(r.values()) for r in ROWS]),
    ),
    "jsonl": ("application/x-ndjson", "".join(json.dumps(r) + "\n" for r in ROWS).encode()),
    "parquet": ("application/vnd.apache.parquet", parquet(ROWS)),
}


def upload(
    client: TestClient,
    headers: dict[str, str],
    code: str,
    body: bytes,
    media: str = "text/csv",
    **params: str,
) -> Any:
    return client.post(
        f"{API}/{code}/distributions",
        content=body,
        headers={**headers, "Content-Type": media},
        params=params,
    )


def counts(db: Session) -> tuple[int, int]:
    dists = db.scalar(select(func.count()).select_from(Distribution)) or 0
    ledger = db.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    return dists, ledger


def open_resource(db: Session, world: World, *, publish: bool = True, **overrides: Any) -> str:
    """A resource of party B (open unless overridden), committed so a failed request keeps it."""
    code = make_resource(db, world.b_admin.party_id, publish=publish, **{**OPEN, **overrides}).catalog_code
    db.commit()
    return code


# -- uploads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_upload_each_format_is_stored_as_parquet_with_its_ledger_entry(
    client: TestClient, db: Session, world: World, store: LocalObjectStore, fmt: str
) -> None:
    code = open_resource(db, world)
    media, body = FORMATS[fmt]
    before = counts(db)
    response = upload(client, world.b_admin.headers, code, body, media)
    assert response.status_code == 201, response.text
    dist = response.json()
    assert dist["version"] == 1 and dist["row_count"] == 3 and dist["drift"] is None
    assert dist["source_format"] == fmt
    assert dist["source_sha256"] == hashlib.sha256(body).hexdigest()
    assert [f["name"] for f in dist["fields"]] == ["waybill_no", "city", "weight_kg"]
    assert dist["uploaded_by"]["id"] == str(world.b_admin.party_id)
    stored = store.path_of(dist["object_sha256"])
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == dist["object_sha256"]
    assert pq.read_table(stored).to_pylist() == ROWS
    assert counts(db) == (before[0] + 1, before[1] + 1)
    entry = db.scalars(select(LedgerEntry).order_by(LedgerEntry.entry_id.desc())).first()
    assert (
        entry is not None and entry.kind == "catalog.distribution" and entry.entry_id == dist["ledger_index"]
    )


def test_a_gbk_file_is_detected_and_converted(client: TestClient, db: Session, world: World) -> None:
    code = open_resource(db, world)
    body = CSV.decode().encode("gbk")
    response = upload(client, world.b_admin.headers, code, body, "text/csv", filename="运单.csv")
    assert response.status_code == 201, response.text
    assert response.json()["encoding"] == "gb18030"
    preview = client.get(f"{API}/{code}/preview", params={"rows": 2})
    assert preview.status_code == 200, preview.text
    assert preview.json()["rows"] == ROWS[:2]


def test_versions_report_schema_drift(client: TestClient, db: Session, world: World) -> None:
    code = open_resource(db, world)
    assert upload(client, world.b_admin.headers, code, CSV).status_code == 201
    second = b"waybill_no,city,weight_kg,pieces\nYT0004,\xe5\x8e\xa6\xe9\x97\xa8,heavy,2\n"
    response = upload(client, world.b_admin.headers, code, second)
    assert response.status_code == 201, response.text
    drift = response.json()["drift"]
    assert drift["changed"] is True
    assert [f["name"] for f in drift["added"]] == ["pieces"]
    assert drift["removed"] == []
    assert drift["retyped"] == [{"name": "weight_kg", "old_type": "double", "new_type": "string"}]
    listed = client.get(f"{API}/{code}/distributions")
    assert listed.status_code == 200
    assert [d["version"] for d in listed.json()] == [2, 1]
    resource = client.get(f"{API}/{code}").json()
    assert resource["latest_version"] == 2 and resource["stale"] is False
    assert client.get(f"{API}/{code}/preview").json()["version"] == 2


def test_the_same_file_twice_is_a_new_version_sharing_one_object(
    client: TestClient, db: Session, world: World, store: LocalObjectStore
) -> None:
    code = open_resource(db, world)
    first = upload(client, world.b_admin.headers, code, CSV).json()
    again = upload(client, world.b_admin.headers, code, CSV).json()
    assert again["version"] == 2 and again["object_sha256"] == first["object_sha256"]
    assert again["drift"] == {"added": [], "removed": [], "retyped": [], "changed": False}
    assert len(stored_objects(store)) == 1


# -- staleness (过期) --------------------------------------------------------------------------------

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("frequency", "age", "stale"),
    [
        (UpdateFrequency.DAILY, timedelta(days=1, hours=23), False),
        (UpdateFrequency.DAILY, timedelta(days=2), True),
        (UpdateFrequency.REALTIME, timedelta(minutes=59), False),
        (UpdateFrequency.REALTIME, timedelta(hours=1), True),
        (UpdateFrequency.HOURLY, timedelta(hours=2), True),
        (UpdateFrequency.WEEKLY, timedelta(days=13), False),
        (UpdateFrequency.WEEKLY, timedelta(days=14), True),
        (UpdateFrequency.MONTHLY, timedelta(days=61), False),
        (UpdateFrequency.MONTHLY, timedelta(days=62), True),
        (UpdateFrequency.QUARTERLY, timedelta(days=184), True),
        (UpdateFrequency.YEARLY, timedelta(days=730), False),
        (UpdateFrequency.IRREGULAR, timedelta(days=3650), False),
        (UpdateFrequency.STATIC, timedelta(days=3650), False),
    ],
)
def test_staleness_by_declared_frequency(frequency: UpdateFrequency, age: timedelta, stale: bool) -> None:
    assert policies.is_stale(frequency, T0, T0 + age) is stale
    since = policies.stale_since(frequency, T0)
    assert (since is None) is (policies.FRESHNESS[frequency] is None)


def test_no_data_yet_is_never_stale() -> None:
    assert policies.stale_since(UpdateFrequency.DAILY, None) is None
    assert policies.is_stale(UpdateFrequency.DAILY, None, T0) is False


def test_a_daily_resource_not_updated_for_two_days_is_flagged(
    client: TestClient, db: Session, world: World
) -> None:
    code = open_resource(db, world, update_frequency="daily")
    assert upload(client, world.b_admin.headers, code, CSV).status_code == 201
    dist = db.scalars(select(Distribution).order_by(Distribution.uploaded_at.desc())).first()
    assert dist is not None
    dist.uploaded_at = dist.uploaded_at - timedelta(days=2, minutes=1)
    db.flush()
    body = client.get(f"{API}/{code}").json()
    assert body["stale"] is True
    assert body["stale_since"] is not None
    assert datetime.fromisoformat(body["stale_since"]) < datetime.now(UTC)
    listed = client.get(API, params={"limit": 100}).json()["items"]
    assert next(r for r in listed if r["catalog_code"] == code)["stale"] is True


# -- bad input: a clear problem, nothing stored, no version bump -----------------------------------

BAD: list[tuple[str, bytes, str, int, str]] = [
    ("ragged row", b"a,b\n1,2\n3,4,5\n", "text/csv", 400, "ragged-row"),
    (
        "mixed encodings",
        "a,b\n郑州,1\n".encode() + "武汉,2\n".encode("gbk"),
        "text/csv",
        400,
        "undecodable-text",
    ),
    ("utf-16", "a,b\n1,2\n".encode("utf-16"), "text/csv", 400, "undecodable-text"),
    ("empty file", b"", "text/csv", 400, "empty-upload"),
    ("duplicate columns", b"a,A\n1,2\n", "text/csv", 400, "bad-header"),
    ("empty column name", b"a,,c\n1,2,3\n", "text/csv", 400, "bad-header"),
    ("not json", b'{"a": 1}\nnope\n', "application/x-ndjson", 400, "malformed-data"),
    ("not parquet", b"PAR1 but not really", "application/vnd.apache.parquet", 400, "malformed-data"),
    ("unknown format", b"a,b\n", "application/octet-stream", 415, "unsupported-format"),
    ("unlisted media type", b"a,b\n", "application/pdf", 415, "unsupported-media-type"),
    ("over the limit", b"a\n" + b"1\n" * (512 * 1024), "text/csv", 413, "payload-too-large"),
]


@pytest.mark.parametrize(("case", "body", "media", "status", "code"), BAD, ids=[b[0] for b in BAD])
def test_bad_uploads_name_the_cause_and_store_nothing(
    client: TestClient,
    db: Session,
    world: World,
    store: LocalObjectStore,
    case: str,
    body: bytes,
    media: str,
    status: int,
    code: str,
) -> None:
    resource = open_resource(db, world)
    assert upload(client, world.b_admin.headers, resource, CSV).status_code == 201
    objects, before = stored_objects(store), counts(db)
    problem = assert_problem(upload(client, world.b_admin.headers, resource, body, media), status, code)
    assert problem["detail"]
    assert stored_objects(store) == objects and store.partials() == []
    assert counts(db) == before
    assert client.get(f"{API}/{resource}").json()["latest_version"] == 1


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    client: TestClient, db: Session, world: World, store: LocalObjectStore
) -> None:
    code = open_resource(db, world)
    before = counts(db)
    response = client.post(
        f"{API}/{code}/distributions",
        content=b"a\n" * (600 * 1024),
        headers={**world.b_admin.headers, "Content-Type": "text/csv", "Content-Length": str(1200 * 1024)},
    )
    problem = assert_problem(response, 413, "payload-too-large")
    assert problem["limit"] == 1024 * 1024
    assert stored_objects(store) == [] and counts(db) == before


def test_the_upload_route_alone_takes_more_than_the_body_limit(
    client: TestClient, db: Session, world: World
) -> None:
    code = open_resource(db, world)
    big = b"n,label\n" + b"".join(b"%d,row %d\n" % (i, i) for i in range(20_000))
    assert len(big) > 64 * 1024
    response = upload(client, world.b_admin.headers, code, big)
    assert response.status_code == 201, response.text
    assert response.json()["row_count"] == 20_000
    padded = {"name": "x" * (70 * 1024)}
    other = client.patch(f"{API}/{code}", json=padded, headers=world.b_admin.headers)
    assert_problem(other, 413, "payload-too-large")


# -- who may upload -----------------------------------------------------------------------------------


def test_only_the_holders_editors_upload(
    client: TestClient, db: Session, world: World, store: LocalObjectStore
) -> None:
    published = open_resource(db, world)
    draft = open_resource(db, world, publish=False)
    before = counts(db)
    assert_problem(upload(client, world.a_admin.headers, published, CSV), 403, "permission-denied")
    assert_problem(upload(client, world.a_admin.headers, draft, CSV), 404, "not-found")
    assert_problem(upload(client, world.a_analyst.headers, published, CSV), 403)
    assert_problem(upload(client, {}, published, CSV), 401)
    assert stored_objects(store) == [] and counts(db) == before
    # the holder uploads to its own draft too
    assert upload(client, world.b_admin.headers, draft, CSV).status_code == 201


def test_a_withdrawn_resource_takes_no_new_data(client: TestClient, db: Session, world: World) -> None:
    code = open_resource(db, world)
    client.post(f"{API}/{code}/withdraw", json={"reason": "合并"}, headers=world.b_admin.headers)
    assert_problem(upload(client, world.b_admin.headers, code, CSV), 409, "invalid-transition")


# -- open data (数据开放) ----------------------------------------------------------------------------


def test_open_data_is_previewed_and_downloaded_without_login(
    client: TestClient, db: Session, world: World, store: LocalObjectStore
) -> None:
    code = open_resource(db, world)
    dist = upload(client, world.b_admin.headers, code, CSV).json()
    preview = client.get(f"{API}/{code}/preview", params={"rows": 2})
    assert preview.status_code == 200, preview.text
    assert preview.json()["rows"] == ROWS[:2] and preview.json()["row_count"] == 3
    as_csv = client.get(f"{API}/{code}/download.csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [{**r, "weight_kg": float(r["weight_kg"])} for r in rows] == ROWS
    as_parquet = client.get(f"{API}/{code}/download.parquet")
    assert as_parquet.status_code == 200
    assert hashlib.sha256(as_parquet.content).hexdigest() == dist["object_sha256"]
    assert pq.read_table(io.BytesIO(as_parquet.content)).to_pylist() == ROWS
    assert_problem(client.get(f"{API}/{code}/preview", params={"rows": 101}), 422)


def test_zero_rows_download_as_a_header(client: TestClient, db: Session, world: World) -> None:
    code = open_resource(db, world)
    assert upload(client, world.b_admin.headers, code, b"a,b\n").status_code == 201
    assert client.get(f"{API}/{code}/download.csv").content.decode("utf-8-sig").strip() == '"a","b"'
    assert client.get(f"{API}/{code}/preview").json()["rows"] == []


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"open_type": "conditional", "open_conditions": "签署协议后开放"}, "数据申请"),
        ({"open_type": "not_opened", "open_basis": "涉及商业秘密"}, "共享申请"),
    ],
)
def test_data_that_is_not_unconditionally_open_names_what_to_request(
    client: TestClient, db: Session, world: World, overrides: dict[str, str], named: str
) -> None:
    code = open_resource(db, world, **overrides)
    assert upload(client, world.b_admin.headers, code, CSV).status_code == 201
    for path in ("preview", "download.csv", "download.parquet"):
        for headers in ({}, world.a_admin.headers):
            problem = assert_problem(
                client.get(f"{API}/{code}/{path}", headers=headers), 403, "open-data-refused"
            )
            assert named in problem["detail"] and named in problem["must_request"]
        # the holder reads its own data whatever its open type
        assert client.get(f"{API}/{code}/{path}", headers=world.b_admin.headers).status_code == 200


def test_drafts_of_other_parties_are_not_found_and_no_data_is_404(
    client: TestClient, db: Session, world: World
) -> None:
    draft = open_resource(db, world, publish=False)
    assert upload(client, world.b_admin.headers, draft, CSV).status_code == 201
    for path in ("preview", "download.csv", "download.parquet", "distributions"):
        assert_problem(client.get(f"{API}/{draft}/{path}"), 404, "not-found")
        assert_problem(client.get(f"{API}/{draft}/{path}", headers=world.a_admin.headers), 404, "not-found")
    empty = open_resource(db, world)
    assert_problem(client.get(f"{API}/{empty}/preview"), 404, "not-found")
    assert client.get(f"{API}/{empty}/distributions").json() == []


def test_withdrawn_open_data_is_closed_to_others(client: TestClient, db: Session, world: World) -> None:
    code = open_resource(db, world)
    assert upload(client, world.b_admin.headers, code, CSV).status_code == 201
    client.post(f"{API}/{code}/withdraw", json={"reason": "合并"}, headers=world.b_admin.headers)
    problem = assert_problem(client.get(f"{API}/{code}/download.csv"), 403, "open-data-refused")
    assert "withdrawn" in problem["detail"]


@pytest.mark.parametrize(
    ("who", "status", "open_type", "refused"),
    [
        ("anonymous", ResourceStatus.PUBLISHED, OpenType.UNCONDITIONAL, False),
        ("anonymous", ResourceStatus.PUBLISHED, OpenType.CONDITIONAL, True),
        ("anonymous", ResourceStatus.PUBLISHED, OpenType.NOT_OPENED, True),
        ("anonymous", ResourceStatus.DRAFT, OpenType.UNCONDITIONAL, True),
        ("anonymous", ResourceStatus.WITHDRAWN, OpenType.UNCONDITIONAL, True),
        ("holder", ResourceStatus.PUBLISHED, OpenType.NOT_OPENED, False),
        ("holder", ResourceStatus.WITHDRAWN, OpenType.CONDITIONAL, False),
        ("system", ResourceStatus.DRAFT, OpenType.NOT_OPENED, False),
    ],
)
def test_open_data_refusal_table(
    who: str, status: ResourceStatus, open_type: OpenType, refused: bool
) -> None:
    holder = "holder-party"
    p: Principal | None = {
        "anonymous": None,
        "holder": Principal(user_id=None, username="u", party_id=holder, party_type=None, via="token"),  # type: ignore[arg-type]
        "system": SYSTEM,
    }[who]
    assert (policies.open_data_refusal(p, holder, status, open_type) is not None) is refused


# -- the command line ---------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        monkeypatch.setenv("LOGISPACE_OBJECTS_DIR", str(tmp_path / "objects"))
        get_settings.cache_clear()
        migrations.upgrade(url)
        yield url
        get_settings.cache_clear()


def test_cli_upload_with_a_progress_bar(cli_env: str, tmp_path: Path) -> None:
    with unit_of_work(cli_env) as session:
        holder, other = make_party(session, name="命令行港口"), make_party(session, name="别家物流")
        steward = make_user(session, holder, Role.DATA_STEWARD).username
        outsider = make_user(session, other, Role.PARTY_ADMIN).username
        code = make_resource(session, holder.id, publish=True, **OPEN).catalog_code
    good, ragged = tmp_path / "运单.csv", tmp_path / "ragged.csv"
    good.write_bytes(CSV.decode().encode("gbk"))
    ragged.write_bytes(b"a,b\n1,2,3\n")
    env = dict(os.environ)

    done = runner.invoke(app, ["catalog", "upload", code, str(good), "--as", steward], env=env)
    assert done.exit_code == 0, done.output
    assert f"{code} version 1: 3 rows" in done.stdout
    refused = runner.invoke(app, ["catalog", "upload", code, str(good), "--as", outsider], env=env)
    assert refused.exit_code == 2 and "holder party" in refused.output
    bad = runner.invoke(app, ["catalog", "upload", code, str(ragged), "--as", steward], env=env)
    assert bad.exit_code == 2 and "line 2" in bad.output
    with unit_of_work(cli_env) as session:
        versions = session.scalars(select(Distribution.version)).all()
        assert versions == [1]
    store = LocalObjectStore(tmp_path / "objects")
    assert len(stored_objects(store)) == 1 and store.partials() == []
