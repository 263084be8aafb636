"""Disputes by mode (004:5099) and the trade's evidence exported from the ledger as a bundle that the
offline verifier checks (取证, 004:5087; 004:5187)."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.ledger.bundle import verify_bundle
from tests.identity.support import assert_problem
from tests.trading.conftest import API, TERMS, Market, counts, listing, negotiate, signed, step


def test_a_dispute_and_the_evidence_of_the_whole_trade(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    cid = signed(client, m, price="300000.00")["contract_id"]
    client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=m.provider.headers)
    client.post(f"{API}/contracts/{cid}/settlement", json={"outcome": "release"}, headers=m.demander.headers)
    raised = client.post(
        f"{API}/contracts/{cid}/disputes",
        json={"mode": "mediation", "claim": "交付数据完整率低于合同约定"},
        headers=m.demander.headers,
    )
    assert raised.status_code == 201, raised.text
    assert raised.json()["mode"] == "mediation"
    assert_problem(
        client.post(
            f"{API}/contracts/{cid}/disputes",
            json={"mode": "litigation", "claim": "x"},
            headers=m.outsider.headers,
        ),
        404,
    )

    zipped = client.get(f"{API}/contracts/{cid}/evidence", headers=m.exchange.headers)
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    verdict = verify_bundle(zipped.content)
    assert (verdict.status, verdict.reasons) == ("valid", [])
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(zipped.content)).read("manifest.json"))
    kinds = [c["value"] for r in manifest["receipts"] for c in r["commits"] if c["leaf"] == "/kind"]
    assert kinds == [
        "trading.object_submitted",
        "trading.object_registered",
        "trading.listed",
        "trading.negotiation_request",
        "trading.negotiation_agree",
        "trading.contract_agreed",
        "trading.negotiation_verify",
        "trading.settlement_escrow",
        "trading.negotiation_finalize",
        "trading.contract_signed",
        "trading.delivered",
        "trading.settlement_release",
        "trading.voucher_issued",
        "trading.dispute_raised",
    ]
    assert manifest["content"]["contract"]["subsidy"] == "60000.00"
    assert [d["mode"] for d in manifest["content"]["disputes"]] == ["mediation"]
    assert_problem(client.get(f"{API}/contracts/{cid}/evidence", headers=m.outsider.headers), 404)


def test_no_dispute_before_the_contract_is_signed(client: TestClient, db: Session, market: Market) -> None:
    nid = negotiate(client, market, listing(client, market)["id"])["id"]
    cid = step(client, market.provider, nid, "agree", terms=TERMS).json()["contract_id"]
    before = counts(db)
    body = assert_problem(
        client.post(
            f"{API}/contracts/{cid}/disputes",
            json={"mode": "negotiation", "claim": "x"},
            headers=market.demander.headers,
        ),
        409,
        "trading-invalid-transition",
    )
    assert (body["state"], body["source"]) == ("agreed", "004:5099")
    assert counts(db).refusals == before.refusals + 1
