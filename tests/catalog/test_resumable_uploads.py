"""Resumable uploads (断点续传): a file sent in chunks with offsets, interrupted and resumed, becomes the
same version as a one-shot upload; offsets out of order, early completion and other parties are refused
and leave nothing; the structure (数据结构) is taken from the data at the ingest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.app.main import create_app
from logispace.core.clock import set_clock, utcnow
from logispace.core.config import Settings
from logispace.core.db import committing
from logispace.domains.catalog.models import DataResource, Distribution
from logispace.domains.catalog.schemas import UploadStart
from logispace.domains.identity import Role
from logispace.domains.identity.models import Party
from logispace.storage import LocalObjectStore
from logispace.web.dependencies import get_db
from tests.catalog.test_distributions import API, counts, open_resource, upload
from tests.conftest import World
from tests.factories.identity import bearer, make_token, make_user
from tests.identity.support import assert_problem

LINES = ["plate_no,city,weight_kg,车辆类型"] + [
    f"豫A{i:05d},郑州,{i % 40 + 0.5},重型货车" for i in range(4000)
]
DATA = ("\n".join(LINES) + "\n").encode()
CHUNK = 20 * 1024


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        cookie_secure=False,
        database_url=database_url,
        max_body_bytes=64 * 1024,
        max_upload_bytes=1024 * 1024,
        objects_dir=tmp_path / "objects",
    )


def start(client: TestClient, headers: dict[str, str], code: str, size: int = len(DATA), **kw: Any) -> Any:
    return client.post(
        f"{API}/{code}/uploads", json={"filename": "trucks.csv", "size": size, **kw}, headers=headers
    )


def send(client: TestClient, headers: dict[str, str], url: str, offset: int, body: bytes) -> Any:
    return client.patch(
        url,
        content=body,
        headers={**headers, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
    )


def chunks(data: bytes, start_at: int = 0) -> Iterator[tuple[int, bytes]]:
    for offset in range(start_at, len(data), CHUNK):
        yield offset, data[offset : offset + CHUNK]


def test_an_interrupted_upload_resumes_and_becomes_the_same_version(
    client: TestClient, db: Session, world: World
) -> None:
    b = world.b_admin.headers
    code = open_resource(db, world, fields=[])
    started = start(client, b, code)
    assert started.status_code == 201, started.text
    url = started.json()["url"]
    assert started.json()["offset"] == 0

    # two chunks arrive; the third is lost on the way (the connection drops while it is sent)
    sent = list(chunks(DATA))
    assert len(sent) > 5
    for offset, body in sent[:2]:
        assert send(client, b, url, offset, body).json()["offset"] == offset + len(body)

    def dropped() -> Iterator[bytes]:
        yield sent[2][1][:1000]
        raise ConnectionResetError("the network went away")

    with pytest.raises(ConnectionResetError):
        client.patch(
            url,
            content=dropped(),
            headers={
                **b,
                "Upload-Offset": str(sent[2][0]),
                "Content-Type": "application/offset+octet-stream",
            },
        )

    # later (another client, the same holder) asks where the upload stands and goes on from there
    reached = client.get(url, headers=b).json()["offset"]
    assert reached == sent[2][0] == 2 * CHUNK
    early = client.post(f"{url}/complete", headers=b)
    assert_problem(early, 409, "upload-incomplete")
    assert early.json()["offset"] == reached
    stale = send(client, b, url, 0, sent[0][1])  # a chunk sent twice: refused, naming the offset
    assert_problem(stale, 409, "upload-offset-mismatch")
    assert stale.json()["offset"] == reached
    for offset, body in chunks(DATA, reached):
        assert send(client, b, url, offset, body).status_code == 200
    done = client.post(f"{url}/complete", headers=b)
    assert done.status_code == 201, done.text
    version = done.json()
    assert version["version"] == 1 and version["row_count"] == 4000 and version["source_format"] == "csv"

    # the same bytes in one request make the same Parquet object
    whole = upload(client, b, code, DATA, filename="trucks.csv")
    assert whole.status_code == 201, whole.text
    assert whole.json()["source_sha256"] == version["source_sha256"]
    assert whole.json()["object_sha256"] == version["object_sha256"]
    # the structure is taken from the data: ASCII names are described, a Chinese header is shown as is
    resource = client.get(f"{API}/{code}", headers=b).json()
    assert [(f["name"], f["title"], f["type"]) for f in resource["fields"]] == [
        ("plate_no", "plate_no", "string"),
        ("city", "city", "string"),
        ("weight_kg", "weight_kg", "decimal"),
    ]
    assert client.get(url, headers=b).status_code in (200, 404)  # gone once committed (kept in tests)


def test_an_upload_resumes_on_a_new_instance_of_the_server(
    client: TestClient, db: Session, world: World, settings: Settings
) -> None:
    """The upload's state lives in the configured object store, not in a process: after a restart, or
    when another worker process answers the next chunk, the upload goes on from where it stood."""
    b = world.b_admin.headers
    code = open_resource(db, world, fields=[])
    url = start(client, b, code).json()["url"]
    sent = list(chunks(DATA))
    for offset, body in sent[:3]:
        assert send(client, b, url, offset, body).status_code == 200

    restarted = create_app(settings)  # a new application: nothing of the first one's memory

    def same_db() -> Iterator[Session]:
        with committing(db):
            yield db

    restarted.dependency_overrides[get_db] = same_db
    with TestClient(restarted, base_url="http://testserver") as other:
        assert other.get(url, headers=b).json()["offset"] == 3 * CHUNK
        for offset, body in chunks(DATA, 3 * CHUNK):
            assert send(other, b, url, offset, body).status_code == 200
        done = other.post(f"{url}/complete", headers=b)
    assert done.status_code == 201, done.text
    assert done.json()["row_count"] == 4000
    assert (settings.objects_dir is not None) and (settings.objects_dir / "tmp" / "resumable").is_dir()


def test_the_structure_keeps_what_the_holder_described(client: TestClient, db: Session, world: World) -> None:
    b = world.b_admin.headers
    described = [{"name": "city", "title": "城市", "type": "string", "description": "装货城市"}]
    code = open_resource(db, world, fields=described)
    assert upload(client, b, code, DATA, filename="a.csv").status_code == 201
    fields = client.get(f"{API}/{code}", headers=b).json()["fields"]
    assert fields[0] == {**described[0], "grade": None}
    assert [f["name"] for f in fields] == ["city", "plate_no", "weight_kg"]
    revision = client.get(f"{API}/{code}", headers=b).json()["revision"]
    assert upload(client, b, code, DATA, filename="a.csv").status_code == 201  # nothing new: unchanged
    again = client.get(f"{API}/{code}", headers=b).json()
    assert again["fields"] == fields and again["revision"] == revision


REFUSED_STARTS = [
    ({"filename": "trucks.pdf"}, 415),
    ({"size": 2 * 1024 * 1024}, 413),
    ({"size": 0}, 422),
    ({"filename": "../x.csv"}, 422),
]


@pytest.mark.parametrize(("change", "status"), REFUSED_STARTS)
def test_an_upload_that_cannot_succeed_is_refused_at_the_start(
    client: TestClient, db: Session, world: World, settings: Settings, change: dict[str, Any], status: int
) -> None:
    code = open_resource(db, world)
    refused = start(client, world.b_admin.headers, code, **change)
    assert refused.status_code == status, refused.text
    folder = LocalObjectStore.from_settings(settings).tmp_dir / "resumable"
    assert not folder.exists() or not any(folder.iterdir())


def test_only_the_party_that_started_an_upload_reaches_it(
    client: TestClient, db: Session, world: World
) -> None:
    b, a = world.b_admin.headers, world.a_admin.headers
    code = open_resource(db, world)
    url = start(client, b, code).json()["url"]
    assert send(client, b, url, 0, DATA[:CHUNK]).status_code == 200
    b_party = db.get(Party, world.b_admin.party_id)
    assert b_party is not None
    analyst = bearer(make_token(db, make_user(db, b_party, Role.ANALYST)))  # the holder's own analyst
    db.commit()  # kept when a refused request rolls back
    before = counts(db)
    for response in (
        client.get(url, headers=a),
        send(client, a, url, CHUNK, DATA[CHUNK : 2 * CHUNK]),
        client.post(f"{url}/complete", headers=a),
        client.delete(url, headers=a),
        client.get(url.replace(code, "WL0000000000"), headers=b),  # the id under another resource
        client.get(f"{API}/{code}/uploads/{'0' * 32}", headers=b),
    ):
        assert_problem(response, 404, "not-found")
    assert start(client, a, code).status_code == 403  # not its resource: it may not upload at all
    assert client.get(url, headers=analyst).status_code == 404
    assert send(client, analyst, url, CHUNK, DATA[CHUNK : 2 * CHUNK]).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get(url, headers=b).json()["offset"] == CHUNK and counts(db) == before


def test_a_chunk_past_the_announced_size_and_a_cancelled_upload(
    client: TestClient, db: Session, world: World
) -> None:
    b = world.b_admin.headers
    code = open_resource(db, world)
    url = start(client, b, code, size=100).json()["url"]
    over = send(client, b, url, 0, DATA[:101])
    assert_problem(over, 409, "upload-incomplete")
    assert client.get(url, headers=b).json()["offset"] == 0
    assert send(client, b, url, 0, DATA[:100]).json()["offset"] == 100
    assert client.delete(url, headers=b).status_code == 204
    assert client.get(url, headers=b).status_code == 404


def test_a_failed_ingest_leaves_no_version_and_can_be_retried(
    client: TestClient, db: Session, world: World
) -> None:
    b = world.b_admin.headers
    code = open_resource(db, world)
    bad = b"a,b\n1,2\n3\n"  # a ragged row
    url = start(client, b, code, size=len(bad)).json()["url"]
    assert send(client, b, url, 0, bad).status_code == 200
    before = counts(db)
    failed = client.post(f"{url}/complete", headers=b)
    assert failed.status_code == 400, failed.text
    assert counts(db) == before
    resource = db.query(DataResource).filter_by(catalog_code=code).one()
    assert db.query(Distribution).filter_by(resource_id=resource.id).count() == 0
    assert client.get(url, headers=b).json()["offset"] == len(bad)  # the chunks stay


def test_an_upload_left_for_a_week_is_given_up(
    client: TestClient, db: Session, world: World, settings: Settings
) -> None:
    b = world.b_admin.headers
    code = open_resource(db, world)
    old = start(client, b, code).json()["url"]
    assert send(client, b, old, 0, DATA[:CHUNK]).status_code == 200
    later = utcnow() + timedelta(days=8)
    set_clock(lambda: later)
    try:
        assert client.get(old, headers=b).status_code == 404
        other = start(client, b, code).json()["url"]  # starting one sweeps the abandoned ones
        folders = [p.name for p in (LocalObjectStore.from_settings(settings).tmp_dir / "resumable").iterdir()]
        assert folders == [other.rsplit("/", 1)[1]]
    finally:
        set_clock(None)


@pytest.mark.parametrize(
    ("filename", "accepted"),
    [
        ("运单.csv", True),
        ("  waybills.csv ", True),  # stripped
        ("\u3000x.csv", True),
        ("\ufeff", True),  # not white space to str.strip()
        ("\r", False),  # only white space: empty once stripped (schemathesis found the schema said valid)
        ("\x1c\u3000 ", False),
        ("a/b.csv", False),
        ("a\\b.csv", False),
        ("a\x00.csv", False),
    ],
)
def test_the_file_name_schema_says_what_the_model_accepts(filename: str, accepted: bool) -> None:
    pattern = UploadStart.model_json_schema()["properties"]["filename"]["pattern"]
    assert (re.search(pattern, filename) is not None) is accepted
    try:
        UploadStart(filename=filename, size=1)
    except ValidationError:
        assert not accepted
    else:
        assert accepted
