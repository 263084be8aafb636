"""``logispace tower alerts sweep`` and ``deliver`` run on a migrated database and say what they did."""

from __future__ import annotations

from tests.test_cli import cli_env, invoke  # noqa: F401  (the command line's scratch database)


def test_sweep_and_deliver_report_what_they_did(cli_env: str) -> None:  # noqa: F811
    assert invoke("db", "upgrade").exit_code == 0
    swept = invoke("tower", "alerts", "sweep")
    assert swept.exit_code == 0, swept.output
    assert "0 conditions found" in swept.output
    delivered = invoke("tower", "alerts", "deliver")
    assert delivered.exit_code == 0, delivered.output
    assert "delivered 0, to retry 0, given up 0" in delivered.output
