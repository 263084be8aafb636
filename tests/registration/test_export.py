"""Export of a registration's whole file (登记档案导出) and its offline check by ``logispace verify``:
a valid zip passes (also against pinned keys); a changed attachment, a changed manifest, a swapped
receipt, a missing or extra file are refused naming what is wrong; only the applicant's party and the
authority export."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from logispace.cli import app as cli_app
from logispace.core.config import get_settings
from tests.conftest import World
from tests.factories.registration import API
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import register

JSON = dict[str, Any]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli_app, list(args))


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def manifest_of(files: dict[str, bytes]) -> JSON:
    return dict(json.loads(files["manifest.json"]))


def with_manifest(files: dict[str, bytes], manifest: JSON) -> dict[str, bytes]:
    return {**files, "manifest.json": json.dumps(manifest, ensure_ascii=False).encode()}


def relist(manifest: JSON, path: str, data: bytes) -> None:
    """Make the manifest's files entry for ``path`` agree with ``data`` (a careful forger)."""
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)


@pytest.fixture
def exported(client: TestClient, world: World, clock: TravelClock) -> tuple[JSON, dict[str, bytes]]:
    issued, _ = register(client, world, clock)
    response = client.get(f"{API}/applications/{issued['id']}/export", headers=world.b_admin.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment; filename=" in response.headers["content-disposition"]
    return issued, read_zip(response.content)


def verify(tmp_path: Path, files: dict[str, bytes], *extra: str) -> Any:
    target = write_zip(tmp_path / f"{uuid.uuid4().hex}.zip", files)
    return run("verify", *extra, str(target))


def test_the_export_holds_the_file_the_attachments_and_a_receipt_per_ledger_entry(
    client: TestClient, exported: tuple[JSON, dict[str, bytes]], tmp_path: Path
) -> None:
    issued, files = exported
    manifest = manifest_of(files)
    assert manifest["format"] == "logispace-bundle/1" and manifest["kind"] == "registration-file"
    content = manifest["content"]
    assert content["application"]["id"] == issued["id"]
    assert [s["action"] for s in content["application"]["steps"]] == [s["action"] for s in issued["steps"]]
    assert content["record"]["id"] == issued["registration_id"]
    assert content["certificate"]["code"] == content["record"]["certificate_code"]
    attachments = [f for f in manifest["files"] if f["path"].startswith("attachments/")]
    assert len(attachments) == len(issued["attachments"]) > 0
    assert {f["sha256"] for f in attachments} == {a["sha256"] for a in issued["attachments"]}
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
    indexes = {r["index"] for r in manifest["receipts"]}
    expected = {s["ledger_index"] for s in issued["steps"]} | {
        a["ledger_index"] for a in issued["attachments"]
    }
    expected |= {issued["evidence_ledger_index"], content["record"]["ledger_index"]}
    expected.add(content["certificate"]["ledger_index"])
    assert expected <= indexes
    assert set(files) == {"manifest.json"} | {f["path"] for f in manifest["files"]}

    ok = verify(tmp_path, files)
    assert ok.exit_code == 0, ok.output
    assert "VALID" in ok.output and f"{len(manifest['receipts'])} receipts" in ok.output
    keys = tmp_path / "keys.json"
    keys.write_text(client.get("/api/v1/ledger/keys").text)
    pinned = verify(tmp_path, files, "--key", str(keys), "--json")
    assert pinned.exit_code == 0, pinned.output
    assert json.loads(pinned.output)["notes"] == []
    stranger = tmp_path / "stranger.json"
    stranger.write_text(json.dumps({"key_id": "0" * 64, "algorithm": "ed25519", "public_key": "AAAA"}))
    refused = verify(tmp_path, files, "--key", str(stranger))
    assert refused.exit_code == 1 and "is not one of the pinned keys" in refused.output


def test_a_changed_attachment_is_named(exported: tuple[JSON, dict[str, bytes]], tmp_path: Path) -> None:
    _, files = exported
    path = next(name for name in files if name.startswith("attachments/"))
    result = verify(tmp_path, {**files, path: files[path] + b" forged"})
    assert result.exit_code == 1, result.output
    assert "INVALID" in result.output and path in result.output and "the file was changed" in result.output


def test_a_manifest_changed_to_match_a_forged_attachment_contradicts_the_ledger(
    exported: tuple[JSON, dict[str, bytes]], tmp_path: Path
) -> None:
    _, files = exported
    manifest = manifest_of(files)
    path = next(name for name in files if name.startswith("attachments/"))
    forged = files[path] + b" forged"
    relist(manifest, path, forged)
    result = verify(tmp_path, {**with_manifest(files, manifest), path: forged}, "--json")
    assert result.exit_code == 1, result.output
    reasons = json.loads(result.output)["reasons"]
    assert any("/payload/sha256" in r and "/files/" in r for r in reasons), reasons


def test_a_changed_step_in_the_manifest_contradicts_the_ledger(
    exported: tuple[JSON, dict[str, bytes]], tmp_path: Path
) -> None:
    _, files = exported
    manifest = manifest_of(files)
    manifest["content"]["application"]["steps"][0]["action"] = "accept"
    result = verify(tmp_path, with_manifest(files, manifest), "--json")
    assert result.exit_code == 1
    reasons = json.loads(result.output)["reasons"]
    assert any("/payload/action" in r and "/steps/0/action" in r and '"accept"' in r for r in reasons), (
        reasons
    )

    manifest = manifest_of(files)
    manifest["content"]["certificate"]["statement"]["valid_to"] = "2099-01-01"
    result = verify(tmp_path, with_manifest(files, manifest), "--json")
    assert result.exit_code == 1
    assert any("/payload/statement" in r for r in json.loads(result.output)["reasons"])


def test_a_swapped_receipt_is_refused(exported: tuple[JSON, dict[str, bytes]], tmp_path: Path) -> None:
    _, files = exported
    manifest = manifest_of(files)
    first, second = manifest["receipts"][0], manifest["receipts"][1]
    swapped = files[second["path"]]
    plain = verify(tmp_path, {**files, first["path"]: swapped})
    assert plain.exit_code == 1 and first["path"] in plain.output
    relist(manifest, first["path"], swapped)  # even with the manifest's hash made to agree
    result = verify(tmp_path, {**with_manifest(files, manifest), first["path"]: swapped}, "--json")
    assert result.exit_code == 1
    reasons = json.loads(result.output)["reasons"]
    assert (
        f"{first['path']} is the receipt of entry {second['index']}, the manifest says entry {first['index']}"
        in reasons
    )


def test_missing_extra_and_unreadable(exported: tuple[JSON, dict[str, bytes]], tmp_path: Path) -> None:
    _, files = exported
    path = next(name for name in files if name.startswith("receipts/"))
    missing = verify(tmp_path, {k: v for k, v in files.items() if k != path})
    assert (
        missing.exit_code == 1
        and f"{path} is listed in the manifest but missing from the zip" in missing.output
    )
    extra = verify(tmp_path, {**files, "attachments/planted.pdf": b"%PDF"})
    assert (
        extra.exit_code == 1
        and "attachments/planted.pdf is in the zip but not in the manifest" in extra.output
    )
    no_manifest = verify(tmp_path, {k: v for k, v in files.items() if k != "manifest.json"})
    assert no_manifest.exit_code == 2 and "UNREADABLE" in no_manifest.output
    broken = verify(tmp_path, {**files, "manifest.json": b"{not json"})
    assert broken.exit_code == 2
    wrong = verify(tmp_path, {**files, "manifest.json": b'{"format": "other/1"}'})
    assert wrong.exit_code == 2 and "unknown manifest format" in wrong.output
    shapeless = verify(tmp_path, {**files, "manifest.json": b'{"format": "logispace-bundle/1", "files": 3}'})
    assert shapeless.exit_code == 2


def test_only_the_applicant_and_the_authority_export(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    issued, _ = register(client, world, clock)
    url = f"{API}/applications/{{}}/export"
    assert client.get(url.format(issued["id"]), headers=world.reviewer.headers).status_code == 200
    missing = str(uuid.uuid4())
    for intruder in (world.a_admin, world.a_analyst):
        foreign = client.get(url.format(issued["id"]), headers=intruder.headers)
        absent = client.get(url.format(missing), headers=intruder.headers)
        assert_problem(foreign, 404, "not-found")
        assert foreign.json() == json.loads(absent.text.replace(missing, issued["id"]))
    assert_problem(client.get(url.format(issued["id"])), 401)


def test_the_cli_commands_on_a_database(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOGISPACE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        due = run("registration", "expire-due")
        assert due.exit_code == 0, due.output
        assert "expired and cancelled: 0" in due.output
        missing = run("registration", "export", str(uuid.uuid4()), "-o", str(tmp_path / "x.zip"))
        assert missing.exit_code == 2 and "not found" in missing.output
        assert not (tmp_path / "x.zip").exists()
    finally:
        get_settings.cache_clear()
