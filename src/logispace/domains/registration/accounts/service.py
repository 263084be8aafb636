"""Registration accounts (登记账户), 004:5444 (V-REG-03, inner_mongolia).

"登记账户由登记主体通过全区一体化政务服务平台申请,登记机构进行核发、管理。登记主体通过登记账户可以实现对
登记证书、登记材料的统一管理。一个登记主体仅可开设一个登记账户,由登记机构配发唯一账户编码。"

A subject party requests its account; the registration authority issues it (核发) with a unique account
code (账户编码). One account per party and one party per code are database constraints, so two
concurrent requests cannot both succeed: the loser gets the same 409 as a later request. Under the
``inner_mongolia`` profile a subject files and submits registration applications only with an issued
account (:func:`..workflow.require_issued_account`); ``national`` needs none. Services flush, never commit;
each state change is a ledger entry of the same transaction.

**Account code (账户编码).** Neither rule text gives a format; the platform uses::

    DJZH - YYYY - SSSSSSSS - C        e.g. DJZH-2026-7K3Q9XWA-4

``DJZH`` (登记账户), ``YYYY`` the year of issue, eight random Crockford base-32 characters and the
ISO 7064 MOD 37,36 check character over ``DJZH YYYY SSSSSSSS``, as for certificate codes
(:mod:`..certificates.policies`).
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stdnum.iso7064 import mod_37_36

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import Conflict, NotFound, PermissionDenied
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration import repository
from logispace.domains.registration.certificates.policies import SERIAL_ALPHABET, CodeInvalid
from logispace.domains.registration.enums import AccountState
from logispace.domains.registration.errors import ACCOUNT_RULE as RULE
from logispace.domains.registration.errors import ACCOUNT_SOURCE as SOURCE
from logispace.domains.registration.errors import HOW_TO_GET_AN_ACCOUNT as HOW_TO_GET_ONE
from logispace.domains.registration.models import RegistrationAccount
from logispace.domains.registration.rules.actors import Step, require_step
from logispace.domains.registration.workflow import require_editor

_COMPACT = re.compile(r"^DJZH(\d{4})([0-9A-HJKMNP-TV-Z]{8})([0-9A-Z])$")


# -- the account code (账户编码) -------------------------------------------------------------------


def make_account_code(year: int, serial: str | None = None) -> str:
    """A new account code, ``serial`` drawn at random unless given (for tests)."""
    serial = serial if serial is not None else "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
    body = f"DJZH{year:04d}{serial}"
    if not _COMPACT.match(body + "0"):
        raise CodeInvalid(f"serial {serial!r} is not 8 characters of {SERIAL_ALPHABET}")
    return f"DJZH-{year:04d}-{serial}-{mod_37_36.calc_check_digit(body)}"


def parse_account_code(text: str) -> str:
    """The canonical form of an account code, or :class:`CodeInvalid` naming the problem."""
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    if _COMPACT.match(compact) is None:
        raise CodeInvalid(
            f"{text!r} is not an account code (DJZH, year, 8 serial characters, check character)"
        )
    body, check = compact[:-1], compact[-1]
    expected = mod_37_36.calc_check_digit(body)
    if check != expected:
        raise CodeInvalid(f"{text!r}: the check character is {check}, the code's digits give {expected}")
    return f"DJZH-{body[4:8]}-{body[8:]}-{check}"


# -- errors ---------------------------------------------------------------------------------------


class AccountExists(Conflict):
    """A subject opens one account only (一个登记主体仅可开设一个登记账户, 004:5444): 409 naming it."""

    code = "registration-account-exists"
    title = "This registration subject already has a registration account"


class AccountNotIssuable(Conflict):
    """The account is already issued (已核发): a code is issued once."""

    code = "registration-account-already-issued"
    title = "This registration account is already issued"


def _exists(account: RegistrationAccount) -> AccountExists:
    code = account.code or "(not issued yet)"
    return AccountExists(
        f"this party already has registration account {code} in state {account.state} "
        f"(one account per registration subject, {RULE}, {SOURCE})",
        account_id=str(account.id),
        account_code=account.code,
        account_state=account.state.value,
        rule=RULE,
        source=SOURCE,
    )


# -- queries --------------------------------------------------------------------------------------


def list_accounts(
    session: Session, p: Principal, state: AccountState | None = None
) -> Sequence[RegistrationAccount]:
    """Every account, requested ones first (the authority's list to issue); 403 for anyone else."""
    if not p.is_authority:
        raise PermissionDenied("only the registration authority (登记机构) lists registration accounts")
    stmt = select(RegistrationAccount)
    if state is not None:
        stmt = stmt.where(RegistrationAccount.state == state)
    return session.scalars(
        stmt.order_by(
            RegistrationAccount.state.desc(), RegistrationAccount.requested_at, RegistrationAccount.id
        )
    ).all()


def account_of(session: Session, party_id: uuid.UUID | None) -> RegistrationAccount | None:
    """The party's account, if it has one."""
    return repository.account_of(session, party_id)


def own_account(session: Session, p: Principal) -> RegistrationAccount:
    """The caller's party's account; 404 when it has none."""
    account = account_of(session, p.party_id)
    if account is None:
        raise NotFound(f"this party has no registration account; {HOW_TO_GET_ONE}")
    return account


# -- commands -------------------------------------------------------------------------------------


def request_account(session: Session, p: Principal, settings: Settings) -> RegistrationAccount:
    """A subject requests its registration account (申请登记账户); 409 if it has one already."""
    require_editor(p)
    if p.party_id is None or p.is_authority:
        raise PermissionDenied("a registration account is opened by a registration subject party (登记主体)")
    existing = account_of(session, p.party_id)
    if existing is not None:
        raise _exists(existing)
    receipt = ledger_append(
        session,
        kind="registration.account_requested",
        subject=f"registration:account:{p.party_id}",
        payload={"party_id": str(p.party_id), "source": SOURCE},
        actor=p.party_id,
        settings=settings,
    )
    account = RegistrationAccount(
        party_id=p.party_id,
        state=AccountState.REQUESTED,
        requested_at=utcnow(),
        requested_by_user_id=p.user_id,
        ledger_index=receipt.entry_id,
    )
    try:
        with session.begin_nested():
            session.add(account)
    except IntegrityError:  # a concurrent request of the same party won: one account (004:5444)
        winner = account_of(session, p.party_id)
        if winner is None:  # pragma: no cover - the constraint names the party
            raise
        raise _exists(winner) from None
    return account


def issue_account(
    session: Session, p: Principal, settings: Settings, account_id: uuid.UUID
) -> RegistrationAccount:
    """The authority issues the account (核发) and allocates its unique code (唯一账户编码)."""
    require_step(p, Step.ACCOUNT)
    stmt = select(RegistrationAccount).where(RegistrationAccount.id == account_id).with_for_update()
    account = session.scalar(stmt)
    if account is None:
        raise NotFound(f"registration account {account_id} not found")
    if account.state is AccountState.ISSUED:
        raise AccountNotIssuable(
            f"registration account {account.code} is already issued",
            account_code=account.code,
            account_state=account.state.value,
        )
    now = utcnow()
    for _ in range(5):  # a random serial repeats with probability ~1e-12; the constraint decides
        code = make_account_code(now.year)
        if session.scalar(select(RegistrationAccount.id).where(RegistrationAccount.code == code)) is None:
            break
    receipt = ledger_append(
        session,
        kind="registration.account_issued",
        subject=f"registration:account:{account.party_id}",
        payload={"party_id": str(account.party_id), "account_code": code, "source": SOURCE},
        actor=p.party_id,
        settings=settings,
    )
    account.code = code
    account.state = AccountState.ISSUED
    account.issued_at = now
    account.issued_by_party_id = p.party_id
    account.issued_by_user_id = p.user_id
    account.issued_ledger_index = receipt.entry_id
    session.flush()
    return account
