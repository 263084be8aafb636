"""Registration account reads (登记账户查询): the account and, in one place, everything the subject
registered through it (登记证书、登记材料的统一管理, 004:5444)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile
from logispace.core.pagination import PageParams
from logispace.domains.identity import Principal, party_names
from logispace.domains.registration import repository
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.models import RegistrationAccount
from logispace.domains.registration.schemas import AccountOverview, AccountRead, AttachmentRead, PartyRef
from logispace.domains.registration.workflow import Clock

OVERVIEW_SIZE = 200


def account_reads(session: Session, accounts: Sequence[RegistrationAccount]) -> list[AccountRead]:
    names = party_names(session, {a.party_id for a in accounts})
    return [
        AccountRead(
            id=a.id,
            party=PartyRef(id=a.party_id, name=names.get(a.party_id, "")),
            code=a.code,
            state=a.state,
            requested_at=a.requested_at,
            issued_at=a.issued_at,
            ledger_index=a.ledger_index,
            issued_ledger_index=a.issued_ledger_index,
        )
        for a in accounts
    ]


def overview(session: Session, p: Principal, clock: Clock) -> AccountOverview:
    """The caller's account with its applications, records (and certificate codes) and materials; 404
    when the party has no account."""
    account = account_service.own_account(session, p)
    params = PageParams(limit=OVERVIEW_SIZE)
    applications, _ = read_service.list_applications(session, p, params)
    records, _ = read_service.list_records(session, p, params)
    return AccountOverview(
        account=account_reads(session, [account])[0],
        required=clock.settings.rule_profile is RuleProfile.INNER_MONGOLIA,
        applications=read_service.summaries(session, clock, applications),
        records=read_service.record_reads(session, records),
        materials=[
            AttachmentRead.model_validate(a, from_attributes=True)
            for a in repository.attachments_of_party(session, account.party_id)
        ],
    )
