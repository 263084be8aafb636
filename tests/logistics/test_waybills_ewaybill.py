"""网络货运 e-waybill intake: the API route and ``logispace logistics ewaybill FILE``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from logispace.cli import app
from logispace.core.config import get_settings
from logispace.core.identifiers import uscc_with_check_character
from tests.databases import throwaway_database
from tests.identity.support import assert_problem
from tests.logistics.test_adapters import CARRIER, e_waybill
from tests.logistics.waybill_support import Corridor

INTAKE = "/api/v1/logistics/intake/ewaybill"
runner = CliRunner()


def _bad_plate() -> dict[str, Any]:
    data = e_waybill(shippingNoteNumber="WL20261122002")
    data["vehicleInfo"][0]["vehicleNumber"] = "桂A1234"
    return data


def test_an_e_waybill_becomes_a_draft_of_the_caller(client: TestClient, corridor: Corridor) -> None:
    response = client.post(INTAKE, json=e_waybill(), headers=corridor.road.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == ["WL20261122001"]
    row = body["rows"][0]
    assert row["modes"] == ["road", "water"] and row["plate"] == "桂A12345"
    assert row["warnings"] == [
        "transportTypeCode 3 declares a water leg that the e-waybill does not describe"
    ]
    waybill = client.get("/api/v1/waybills/WL20261122001", headers=corridor.road.headers).json()
    assert (waybill["status"], waybill["source"]) == ("draft", "ewaybill")
    assert [
        (leg["mode"], leg["carrier_uscc"], leg["origin"], leg["destination"]) for leg in waybill["legs"]
    ] == [("road", CARRIER, "450702", "450103")]
    assert waybill["cargo"][0]["gross_weight_kg"] == 31000
    assert waybill["transitions"][0]["document_id"]
    again = client.post(INTAKE, json=e_waybill(), headers=corridor.road.headers)
    assert_problem(again, 409, "waybill-number-taken")


def test_a_dry_run_maps_and_creates_nothing(client: TestClient, corridor: Corridor) -> None:
    response = client.post(f"{INTAKE}?dry_run=true", json=[e_waybill()], headers=corridor.road.headers)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == []
    assert response.json()["rows"][0]["draft"]["waybill_no"] == "WL20261122001"
    assert_problem(client.get("/api/v1/waybills/WL20261122001", headers=corridor.road.headers), 404)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ([e_waybill(), _bad_plate()], "e-waybill 1 (WL20261122002): licence plate 桂A1234"),
        ([e_waybill(), 7], "Input should be a valid dictionary"),
        ({**e_waybill(), "vehicleInfo": "桂A12345"}, "e-waybill 0 (WL20261122001): vehicleInfo"),
        ({**e_waybill(), "transportTypeCode": "9"}, "transportTypeCode '9' is not one of 1-8"),
        (
            {**e_waybill(), "vehicleInfo": [{"vehicleNumber": "桂A12345", "goodsInfo": "白糖"}]},
            "vehicleInfo.goodsInfo: a list of goods is expected",
        ),
        (
            {**e_waybill(), "vehicleInfo": [{"vehicleNumber": "桂A12345", "goodsInfo": [{"cube": "many"}]}]},
            "vehicleInfo.goodsInfo: could not convert string to float",
        ),
        ([], "1 to 500 e-waybills"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_created(
    client: TestClient, corridor: Corridor, body: Any, named: str
) -> None:
    response = client.post(INTAKE, json=body, headers=corridor.road.headers)
    problem = assert_problem(response, 422)
    assert any(named in e["msg"] for e in problem["errors"]), problem
    assert client.get("/api/v1/waybills", headers=corridor.road.headers).json()["total"] == 0


# -- the command ----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


def _invoke(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input, env=dict(os.environ))


def test_the_command_names_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "ewaybills.json"
    path.write_text(json.dumps([e_waybill(), _bad_plate(), 7], ensure_ascii=False), encoding="utf-8")
    result = _invoke("logistics", "ewaybill", str(path))
    assert result.exit_code == 1, result.output
    assert "2 of 3 e-waybills cannot be mapped" in result.output and "rows [1, 2]" in result.output
    assert "WL20261122001" in result.output and "桂A1234" in result.output
    assert "an e-waybill is a JSON object" in result.output
    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    assert _invoke("logistics", "ewaybill", str(not_json)).exit_code == 2


def test_the_command_creates_the_drafts_as_a_user(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "ewaybill.json"
    path.write_text(json.dumps(e_waybill(), ensure_ascii=False), encoding="utf-8")
    mapped = _invoke("logistics", "ewaybill", str(path))
    assert mapped.exit_code == 0, mapped.output
    assert "WL20261122001" in mapped.output and "created" not in mapped.output
    assert _invoke("db", "upgrade").exit_code == 0
    uscc = uscc_with_check_character("91450700MA00C1L02")
    assert _invoke("party", "create", "--name", "命令行运输公司", "--uscc", uscc).exit_code == 0
    user = _invoke(
        "user", "create", "--username", "ewb", "--party", uscc, "--role", "party_admin",
        input="a-long-password\na-long-password\n",
    )  # fmt: skip
    assert user.exit_code == 0, user.output
    assert _invoke("logistics", "ewaybill", str(path), "--create").exit_code == 2
    created = _invoke("logistics", "ewaybill", str(path), "--create", "--as", "ewb")
    assert created.exit_code == 0, created.output
    assert "created 1 waybill drafts: WL20261122001" in created.output
    twice = _invoke("logistics", "ewaybill", str(path), "--create", "--as", "ewb")
    assert twice.exit_code == 2 and "WL20261122001 exists already" in twice.output
