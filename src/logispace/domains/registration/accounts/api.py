"""Registration account API (登记账户, 004:5444): the subject requests and reads its account, the
registration authority lists and issues them (核发). Every route needs a login; a party sees only its
own account (there is no route naming another party's)."""

from __future__ import annotations

import uuid

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.accounts import read as account_read
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.enums import AccountState
from logispace.domains.registration.schemas import AccountOverview, AccountRead
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/registration", tags=["registration"])


@router.post(
    "/account",
    status_code=201,
    summary="Request the party's registration account (申请登记账户); 409 if it has one (004:5444)",
)
def request_account(db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> AccountRead:
    account = account_service.request_account(db, p, settings)
    return account_read.account_reads(db, [account])[0]


@router.get(
    "/account",
    summary="The party's registration account with its applications, records and materials (统一管理)",
)
def get_account(db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> AccountOverview:
    return account_read.overview(db, p, Clock.now(settings))


@router.get("/accounts", summary="Registration accounts, requested ones first (authority)")
def list_accounts(db: DbSession, p: CurrentPrincipal, state: AccountState | None = None) -> list[AccountRead]:
    return account_read.account_reads(db, account_service.list_accounts(db, p, state))


@router.post(
    "/accounts/{account_id}/issue",
    summary="Issue a registration account (核发) with its unique account code (authority)",
)
def issue_account(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, account_id: uuid.UUID
) -> AccountRead:
    return account_read.account_reads(db, [account_service.issue_account(db, p, settings, account_id)])[0]
