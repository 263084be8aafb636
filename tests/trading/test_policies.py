"""The pure trading rules, by tables of hand-made inputs with exact expected values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from logispace.domains.trading.enums import (
    Ground,
    NegotiationAction,
    NegotiationState,
    ObjectSubtype,
    TradingRole,
)
from logispace.domains.trading.policies import (
    Declaration,
    allowed_actions,
    missing_attestations,
    next_state,
    prohibited_grounds,
    subsidy,
    to_fen,
)

S, A = NegotiationState, NegotiationAction
CLEAN = dict.fromkeys(Declaration.__dataclass_fields__, False)


@pytest.mark.parametrize(
    ("amount", "signed_on", "subtype", "public", "granted", "expected"),
    [
        ("200000.00", date(2026, 6, 1), ObjectSubtype.DATASET, False, "0", "0.00"),  # not above ¥200,000
        ("200000.01", date(2026, 6, 1), ObjectSubtype.DATASET, False, "0", "40000.00"),  # 20%, to the fen
        ("245000.00", date(2026, 6, 1), ObjectSubtype.MODEL, False, "0", "49000.00"),
        ("12000000.00", date(2026, 6, 1), ObjectSubtype.DATASET, False, "0", "2000000.00"),  # the yearly cap
        (
            "5000000.00",
            date(2026, 6, 1),
            ObjectSubtype.DATASET,
            False,
            "1500000.00",
            "500000.00",
        ),  # what is left
        ("5000000.00", date(2026, 6, 1), ObjectSubtype.DATASET, False, "2000000.00", "0.00"),
        ("300000.00", date(2026, 6, 1), ObjectSubtype.VISUALIZATION, False, "0", "0.00"),  # a tool: not data
        (
            "300000.00",
            date(2026, 6, 1),
            ObjectSubtype.REPORT,
            True,
            "0",
            "60000.00",
        ),  # public data, any subtype
        ("300000.00", date(2025, 12, 31), ObjectSubtype.DATASET, False, "0", "0.00"),  # before the policy
        ("300000.00", date(2028, 12, 31), ObjectSubtype.DATASET, False, "0", "60000.00"),  # its last day
        ("300000.00", date(2029, 1, 1), ObjectSubtype.DATASET, False, "0", "0.00"),  # three years on
        ("333333.33", date(2027, 3, 1), ObjectSubtype.API, False, "0", "66666.67"),  # half up to the fen
    ],
)
def test_buyer_subsidy(
    amount: str, signed_on: date, subtype: ObjectSubtype, public: bool, granted: str, expected: str
) -> None:
    got = subsidy(
        Decimal(amount), signed_on, subtype=subtype, public_data=public, granted_this_year=Decimal(granted)
    )
    assert str(got) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"identifies_persons": True}, [Ground.PERSONAL_DATA_WITHOUT_CONSENT]),
        ({"identifies_persons": True, "persons_consent": True}, []),
        ({"trade_secret_or_ip": True}, [Ground.TRADE_SECRET_WITHOUT_CONSENT]),
        ({"trade_secret_or_ip": True, "rights_holder_consent": True}, []),
        (
            {"illegal_source": True, "state_secrets": True, "personality_rights": True},
            [Ground.STATE_SECRETS, Ground.PERSONALITY_RIGHTS, Ground.ILLEGAL_SOURCE],
        ),
        (
            {"national_security": True, "other_legal_prohibition": True},
            [Ground.NATIONAL_SECURITY, Ground.OTHER_LEGAL_PROHIBITION],
        ),
    ],
)
def test_prohibited_grounds(changes: dict[str, bool], expected: list[Ground]) -> None:
    assert prohibited_grounds(Declaration(**{**CLEAN, **changes})) == expected


@pytest.mark.parametrize(
    ("state", "action", "side", "expected"),
    [
        (S.REQUESTED, A.OFFER, "provider", S.OFFERED),
        (S.REQUESTED, A.AGREE, "provider", S.AGREED),
        (S.REQUESTED, A.OFFER, "consumer", None),
        (S.OFFERED, A.REQUEST, "consumer", S.REQUESTED),
        (S.OFFERED, A.ACCEPT, "consumer", S.ACCEPTED),
        (S.OFFERED, A.ACCEPT, "provider", None),
        (S.ACCEPTED, A.AGREE, "provider", S.AGREED),
        (S.AGREED, A.VERIFY, "consumer", S.VERIFIED),
        (S.AGREED, A.FINALIZE, "provider", None),
        (S.VERIFIED, A.FINALIZE, "provider", S.FINALIZED),
        (S.VERIFIED, A.TERMINATE, "consumer", S.TERMINATED),
        (S.FINALIZED, A.TERMINATE, "provider", None),
        (S.TERMINATED, A.REQUEST, "consumer", None),
    ],
)
def test_negotiation_machine(state: S, action: A, side: str, expected: S | None) -> None:
    assert next_state(state, action, side) == expected


def test_allowed_actions_per_side() -> None:
    assert allowed_actions(S.OFFERED, "consumer") == [A.REQUEST, A.ACCEPT, A.TERMINATE]
    assert allowed_actions(S.OFFERED, "provider") == [A.TERMINATE]
    assert allowed_actions(S.FINALIZED) == []


def test_missing_attestations_name_role_and_line() -> None:
    given = {"provider": {"source_statement": True, "follows_rules": False}, "demander": {}}
    assert missing_attestations([TradingRole.PROVIDER, TradingRole.DEMANDER], given) == [
        (TradingRole.PROVIDER, "follows_rules", "004:5137"),
        (TradingRole.DEMANDER, "uses_as_agreed", "004:5141"),
        (TradingRole.DEMANDER, "protection_capability", "004:5144"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"), [("1", "1.00"), ("0.005", "0.01"), ("0.004", "0.00"), ("123456.785", "123456.79")]
)
def test_to_fen(value: str, expected: str) -> None:
    assert str(to_fen(value)) == expected


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_to_fen_refuses_non_amounts(value: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        to_fen(value)
