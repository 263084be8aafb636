"""``logispace dispatch match`` and ``logispace dispatch vrptw``: JSON out, bad input named, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from logispace.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_match_prints_assignments_and_the_unassigned_with_reasons() -> None:
    result = runner.invoke(
        app,
        ["dispatch", "match", "--vehicles", str(DATA / "vehicles.csv"), "--loads", str(DATA / "loads.csv")],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [(a["vehicle_id"], a["load_id"]) for a in body["assignments"]] == [
        ("V1", "L1"),
        ("V2", "L2"),
        ("V3", "L3"),
    ]
    assert body["total_deadhead_km"] == 5.356
    assert body["unassigned"] == [{"load_id": "L4", "reason": "capacity"}]


def test_a_bad_row_is_named_by_file_row_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "v.csv"
    bad.write_text("vehicle_id,lon,lat,capacity_t\nA,108,22,30\nB,108,95,30\n", encoding="utf-8")
    result = runner.invoke(
        app, ["dispatch", "match", "--vehicles", str(bad), "--loads", str(DATA / "loads.csv")]
    )
    assert result.exit_code == 2
    assert "row 2, lat: must be between -90 and 90" in result.output


def test_vrptw_prints_cost_and_routes_numbered_as_in_sol_files() -> None:
    result = runner.invoke(app, ["dispatch", "vrptw", str(DATA / "tiny.vrp"), "--seconds", "0.5"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["cost"] == 68.2
    assert sorted(sorted(r) for r in body["routes"]) in ([[1, 2], [3, 4]], [[1, 4], [2, 3]])
    assert body["feasible"] is True


def test_vrptw_names_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.vrp"
    bad.write_text("NAME : X\n", encoding="utf-8")
    result = runner.invoke(app, ["dispatch", "vrptw", str(bad), "--seconds", "0.5"])
    assert result.exit_code == 2
    assert "bad.vrp" in result.output
