"""Settlement transfers per second (结算划转吞吐) of the trading domain's double entry, with the zero-sum
invariant checked, against plain inserts of the same rows.

One contract between two parties; each transfer moves an amount buyer -> escrow or escrow -> seller through
``trading.settlement.post_transfer`` (the transfer row, two postings of opposite amounts, both accounts'
balances updated under a row lock; the transfer and its postings in one flush). The three accounts are
locked by one ``SELECT ... FOR UPDATE`` (``settlement.accounts_of``) once per commit, as a unit of work
holds its locks until it ends; the first version locked them one query each, again before every
transfer. After every commit the sum of all balances is read and must be zero; at the end every
transfer's postings must sum to zero (one GROUP BY). Commits every 1 and every 100 transfers.

Baseline in the same run: the same transfer and posting rows inserted with ``executemany`` on the same
database, same commits, no balances, no checks.

Writes ``bench/results/trading_settlement-<backend>.json``. Environment: ``LOGISPACE_BENCH_TRANSFERS``
(default 2000), ``LOGISPACE_BENCH_DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.identity import SYSTEM
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.schemas import PartyCreate
from logispace.domains.trading import repository
from logispace.domains.trading.enums import (
    AccountKind,
    ListingState,
    NegotiationState,
    ObjectCategory,
    ObjectState,
    ObjectSubtype,
    PricingMethod,
    TradeDeliveryMode,
    TransferKind,
)
from logispace.domains.trading.models import (
    Listing,
    Negotiation,
    Posting,
    TradeContract,
    TradeObject,
    Transfer,
)
from logispace.domains.trading.settlement import account, accounts_of, post_transfer

TRANSFERS = int(os.environ.get("LOGISPACE_BENCH_TRANSFERS", "2000"))
BATCHES = (1, 100)
AMOUNT = 12_345  # fen


def contract_between(session: Session) -> TradeContract:
    """Two parties and one signed contract, written directly (the bench measures settlement only)."""
    seller, buyer = (
        identity_service.create_party(
            session,
            SYSTEM,
            PartyCreate.model_validate({"name": name, "party_type": "enterprise", "uscc": uscc}),
        )
        for name, uscc in (("基准卖方公司", "91450700MA5L8PQ31F"), ("基准买方公司", "91450700MA5L8PQ42K"))
    )
    now = utcnow()
    obj = TradeObject(
        id=uuid.uuid4(), provider_party_id=seller.id, name="基准标的", description="基准",
        category=ObjectCategory.DATA_PRODUCT_SERVICE, subtype=ObjectSubtype.DATASET,
        delivery_mode=TradeDeliveryMode.DATASET, public_data_product=False, merchant_product=False,
        fields=[], declaration={}, state=ObjectState.REGISTERED, created_at=now, ledger_index=0,
    )  # fmt: skip
    listing = Listing(
        id=uuid.uuid4(), object_id=obj.id, provider_party_id=seller.id, title="基准挂牌", price_fen=AMOUNT,
        pricing_method=PricingMethod.NEGOTIATED, purposes=["supply_chain_finance"], duration_days=30,
        policy={}, state=ListingState.LISTED, listed_at=now, ledger_index=0,
    )  # fmt: skip
    negotiation = Negotiation(
        id=uuid.uuid4(), listing_id=listing.id, provider_party_id=seller.id, consumer_party_id=buyer.id,
        state=NegotiationState.FINALIZED, price_fen=AMOUNT, pricing_method=PricingMethod.NEGOTIATED,
        purpose="supply_chain_finance", created_at=now, updated_at=now, ledger_index=0,
    )  # fmt: skip
    contract = TradeContract(
        id=uuid.uuid4(), negotiation_id=negotiation.id, object_id=obj.id, provider_party_id=seller.id,
        consumer_party_id=buyer.id, data_content="c", purpose="supply_chain_finance", quality="q", method="m",
        amount_fen=AMOUNT, pricing_method=PricingMethod.NEGOTIATED, security_duties="s", confidentiality="c",
        duration_days=30, state=None, subsidy_fen=0, agreed_at=now, ledger_index=0,
    )  # fmt: skip
    for row in (obj, listing, negotiation, contract):
        session.add(row)
        session.flush()
    return contract


def double_entry(maker: Any, contract_id: uuid.UUID, batch: int) -> dict[str, Any]:
    checks = 0
    with benchkit.Stopwatch() as watch, maker() as session:
        contract = session.get_one(TradeContract, contract_id)
        locked: tuple[Any, Any, Any] | None = None
        for i in range(TRANSFERS):
            if locked is None:  # the row locks hold until the commit: lock the accounts once per commit
                books = accounts_of(session, contract)
                locked = (books.buyer, books.escrow, books.seller)
            buyer, escrow, seller = locked
            if i % 2 == 0:
                post_transfer(session, contract.id, TransferKind.ESCROW, buyer, escrow, AMOUNT)
            else:
                post_transfer(session, contract.id, TransferKind.RELEASE, escrow, seller, AMOUNT)
            if (i + 1) % batch == 0 or i + 1 == TRANSFERS:
                session.commit()
                locked = None
                if repository.balance_sum(session) != 0:
                    raise AssertionError("balances do not sum to zero")
                checks += 1
    with maker() as session:
        unbalanced = session.scalar(
            select(func.count()).select_from(
                select(Posting.transfer_id)
                .group_by(Posting.transfer_id)
                .having(func.sum(Posting.amount_fen) != 0)
                .subquery()
            )
        )
    if unbalanced:
        raise AssertionError(f"{unbalanced} transfers do not sum to zero")
    return rate(watch, batch) | {"zero_sum_checks": checks, "unbalanced_transfers": unbalanced}


def plain_inserts(maker: Any, contract_id: uuid.UUID, batch: int) -> dict[str, Any]:
    with maker() as session:
        accounts = [account(session, AccountKind.PARTY, None, contract_id).id]  # any existing account row
        session.commit()
    target = accounts[0]
    with benchkit.Stopwatch() as watch, maker() as session:
        transfers: list[dict[str, Any]] = []
        postings: list[dict[str, Any]] = []
        for i in range(TRANSFERS):
            tid = uuid.uuid4()
            transfers.append(
                {
                    "id": tid,
                    "contract_id": contract_id,
                    "kind": TransferKind.ESCROW,
                    "amount_fen": AMOUNT,
                    "at": utcnow(),
                }
            )
            postings += [
                {"id": uuid.uuid4(), "transfer_id": tid, "account_id": target, "amount_fen": -AMOUNT},
                {"id": uuid.uuid4(), "transfer_id": tid, "account_id": target, "amount_fen": AMOUNT},
            ]
            if (i + 1) % batch == 0 or i + 1 == TRANSFERS:
                session.execute(insert(Transfer), transfers)
                session.execute(insert(Posting), postings)
                session.commit()
                transfers, postings = [], []
    return rate(watch, batch)


def rate(watch: benchkit.Stopwatch, batch: int) -> dict[str, Any]:
    return {
        "transfers": TRANSFERS,
        "per_commit": batch,
        "seconds": round(watch.wall, 4),
        "transfers_per_s": round(TRANSFERS / watch.wall, 1),
        "cpu_seconds": round(watch.cpu, 4),
        "transfers_per_cpu_s": round(TRANSFERS / watch.cpu, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, benchkit.scratch_database(Path(folder)) as url:
        engine = make_engine(url)
        maker = make_sessionmaker(engine)
        results: dict[str, Any] = {"machine": benchkit.machine(engine), "modes": {}}
        with maker() as session:
            contract_id = contract_between(session).id
            session.commit()
        for batch in BATCHES:
            benchkit.log(f"batch {batch}: double entry")
            settled = double_entry(maker, contract_id, batch)
            benchkit.log(f"batch {batch}: plain inserts")
            plain = plain_inserts(maker, contract_id, batch)
            results["modes"][f"per_commit_{batch}"] = {
                "double_entry_checked": settled,
                "plain_inserts": plain,
                "plain_over_double_entry": round(plain["transfers_per_s"] / settled["transfers_per_s"], 2),
            }
        results["machine"]["load_average_end"] = list(os.getloadavg())
        out = benchkit.write("trading_settlement", results)
        benchkit.log(f"wrote {out}")
        engine.dispose()


if __name__ == "__main__":
    main()
