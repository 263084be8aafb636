"""``logispace pricing mar`` and ``logispace pricing adjust``: exact JSON, and refusals that exit non-zero
naming the ceiling and the source line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from logispace.cli import app

runner = CliRunner()


def _mar(cost: str, subsidy: str, bond_yield: str, rate: str, tax: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        [
            *("pricing", "mar", "--cost", cost, "--subsidy", subsidy),
            *("--bond-yield", bond_yield, "--rate", rate, "--tax", tax),
        ],
    )


def test_mar_prints_exact_json() -> None:
    result = _mar("1000000", "200000", "1.7", "7.7", "50000")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "operating_cost": "800000.00",
        "allowed_profit": "61600.00",
        "tax": "50000.00",
        "max_allowed_revenue": "911600.00",
        "rate_percent": "7.7",
        "rate_ceiling_percent": "7.7",
        "source": "004:1023; 004:1025",
    }


def test_mar_rounds_the_profit_half_up() -> None:
    result = _mar("100.50", "0", "0", "1", "0")
    assert json.loads(result.stdout)["allowed_profit"] == "1.01"


REFUSALS: list[tuple[tuple[str, str, str, str, str], list[str]]] = [
    (
        ("1000000", "200000", "1.7", "7.71", "50000"),
        ["7.71%", "ceiling 7.7%", "004:1025", "第三条第（一）项"],
    ),
    (("1000", "1000.01", "1.7", "5", "0"), ["subsidy 1000.01", "cost 1000.00", "004:1023"]),
    (("1000", "0", "1.7", "5", "1.005"), ["more than two decimal places", "004:1023"]),
    (("ten", "0", "1.7", "5", "0"), ["'ten' is not a number", "004:1023"]),
]


@pytest.mark.parametrize(("given", "words"), REFUSALS)
def test_mar_refusals_exit_non_zero(given: tuple[str, str, str, str, str], words: list[str]) -> None:
    result = _mar(*given)
    assert result.exit_code == 2
    assert result.stdout == ""
    message = " ".join(result.stderr.split())
    for word in words:
        assert word in message


ADJUST: list[tuple[str, str, str, str, bool]] = [
    ("1000000", "1100000", "10.000000", "operator_specific_prices", True),
    ("1000000", "1100000.01", "10.000001", "authorizing_subject_caps", True),
    ("1000000", "850000", "15.000000", "authorizing_subject_caps", False),
]


@pytest.mark.parametrize(("mar", "actual", "deviation", "adjuster", "above"), ADJUST)
def test_adjust(mar: str, actual: str, deviation: str, adjuster: str, above: bool) -> None:
    result = runner.invoke(app, ["pricing", "adjust", "--mar", mar, "--actual", actual])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert (printed["deviation_percent"], printed["adjuster"], printed["above_mar"]) == (
        deviation,
        adjuster,
        above,
    )
    assert printed["source"] == "004:1031"


def test_adjust_refuses_a_zero_mar() -> None:
    result = runner.invoke(app, ["pricing", "adjust", "--mar", "0", "--actual", "5"])
    assert result.exit_code == 2
    assert "004:1031" in result.stderr
