"""Trading rules as data and pure functions (交易规则), no session: the role attestations (J1), the seven
prohibited grounds (J2a), the contract negotiation machine (J4-J6, the Dataspace Protocol's states), the
buyer subsidy (§4.6) and money to the fen. Each rule carries its source line in seed 004."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from logispace.domains.trading.enums import (
    Ground,
    NegotiationAction,
    NegotiationState,
    ObjectCategory,
    ObjectSubtype,
    TradingRole,
)

FEN = Decimal("0.01")
DOCUMENT = "《内蒙古自治区数据流通交易管理暂行办法》"

# -- J1: role attestations (主体承诺) -------------------------------------------------------------------

ATTESTATIONS: Mapping[TradingRole, tuple[tuple[str, str], ...]] = {
    TradingRole.PROVIDER: (
        ("source_statement", "004:5135"),  # 数据来源说明，保证完整、真实、合法
        ("follows_rules", "004:5137"),
    ),
    TradingRole.DEMANDER: (
        ("uses_as_agreed", "004:5141"),  # 安全可控，按约定使用
        ("protection_capability", "004:5144"),  # 具备保护和应用数据的技术能力
    ),
    TradingRole.DATA_MERCHANT: (
        ("source_statement", "004:5148"),
        ("business_qualification", "004:5150"),  # 技术能力、经验和业务资质
        ("asset_registration_before_trading", "004:5150"),
    ),
    TradingRole.THIRD_PARTY_SERVICE: (
        ("fixed_place_and_staff", "004:5156"),
        ("licences", "004:5158"),
    ),
}
"""Per role, the attestations (name, source line) a party gives when it registers (J1)."""


def missing_attestations(
    roles: list[TradingRole], attestations: Mapping[str, Mapping[str, bool]]
) -> list[tuple[TradingRole, str, str]]:
    """Each (role, attestation, source) the party has not affirmed: the formal review of J1 (004:5177)."""
    missing = []
    for role in roles:
        given = attestations.get(role.value, {})
        for name, source in ATTESTATIONS[role]:
            if given.get(name) is not True:
                missing.append((role, name, source))
    return missing


# -- J2a: prohibited grounds (禁止流通交易情形) ------------------------------------------------------------


@dataclass(frozen=True)
class GroundRule:
    """One prohibited ground: its source line and its Chinese statement (for pages, named by article)."""

    ground: Ground
    source: str
    article: str
    text_zh: str


GROUNDS: Mapping[Ground, GroundRule] = {
    r.ground: r
    for r in (
        GroundRule(Ground.STATE_SECRETS, "004:5070", "第八条第（一）项", "涉及国家秘密"),
        GroundRule(Ground.NATIONAL_SECURITY, "004:5071", "第八条第（二）项", "危害国家安全和社会稳定"),
        GroundRule(
            Ground.PERSONAL_DATA_WITHOUT_CONSENT,
            "004:5072",
            "第八条第（三）项",
            "未经自然人或者其监护人同意，可直接识别到特定个人的数据",
        ),
        GroundRule(Ground.PERSONALITY_RIGHTS, "004:5073", "第八条第（四）项", "侵犯他人人格权"),
        GroundRule(
            Ground.TRADE_SECRET_WITHOUT_CONSENT,
            "004:5074",
            "第八条第（五）项",
            "未经合法权利人明确同意，涉及其商业秘密和知识产权",
        ),
        GroundRule(Ground.ILLEGAL_SOURCE, "004:5075", "第八条第（六）项", "以欺诈等方式或者从非法渠道获取"),
        GroundRule(Ground.OTHER_LEGAL_PROHIBITION, "004:5076", "第八条第（七）项", "法律法规禁止的其他情形"),
        GroundRule(Ground.PROHIBITED_LIST, "004:5050", "第五条第（三）项", "列入禁止交易清单"),
    )
}


@dataclass(frozen=True)
class Declaration:
    """What the provider declares of its object (交易标的声明), one answer per prohibited ground."""

    state_secrets: bool
    national_security: bool
    identifies_persons: bool
    persons_consent: bool
    personality_rights: bool
    trade_secret_or_ip: bool
    rights_holder_consent: bool
    illegal_source: bool
    other_legal_prohibition: bool


def prohibited_grounds(d: Declaration) -> list[Ground]:
    """The prohibited grounds (004:5068-5076) that the declaration shows, in the article's order."""
    found = []
    if d.state_secrets:
        found.append(Ground.STATE_SECRETS)
    if d.national_security:
        found.append(Ground.NATIONAL_SECURITY)
    if d.identifies_persons and not d.persons_consent:
        found.append(Ground.PERSONAL_DATA_WITHOUT_CONSENT)
    if d.personality_rights:
        found.append(Ground.PERSONALITY_RIGHTS)
    if d.trade_secret_or_ip and not d.rights_holder_consent:
        found.append(Ground.TRADE_SECRET_WITHOUT_CONSENT)
    if d.illegal_source:
        found.append(Ground.ILLEGAL_SOURCE)
    if d.other_legal_prohibition:
        found.append(Ground.OTHER_LEGAL_PROHIBITION)
    return found


SUBTYPES: Mapping[ObjectCategory, frozenset[ObjectSubtype]] = {
    ObjectCategory.DATA_PRODUCT_SERVICE: frozenset(
        {
            ObjectSubtype.DATASET,
            ObjectSubtype.API,
            ObjectSubtype.INDICATOR,
            ObjectSubtype.REPORT,
            ObjectSubtype.MODEL,
            ObjectSubtype.PROCESSING_SERVICE,
        }
    ),
    ObjectCategory.COMPUTE_RESOURCE: frozenset({ObjectSubtype.CLOUD_STORAGE, ObjectSubtype.CLOUD_SECURITY}),
    ObjectCategory.DATA_TOOL: frozenset(
        {ObjectSubtype.VISUALIZATION, ObjectSubtype.PREDICTION, ObjectSubtype.AI_TOOL}
    ),
}
"""The subtypes of each category (004:5058-5064)."""


# -- J4-J6: contract negotiation (交易磋商), the Dataspace Protocol's machine -------------------------------

S = NegotiationState
A = NegotiationAction
PROVIDER_SIDE = "provider"
CONSUMER_SIDE = "consumer"

NEGOTIATION: Mapping[tuple[NegotiationState, NegotiationAction], tuple[str, NegotiationState]] = {
    (S.OFFERED, A.REQUEST): (CONSUMER_SIDE, S.REQUESTED),  # a counter-offer of the demander
    (S.REQUESTED, A.OFFER): (PROVIDER_SIDE, S.OFFERED),  # a counter-offer of the provider
    (S.OFFERED, A.ACCEPT): (CONSUMER_SIDE, S.ACCEPTED),
    (S.REQUESTED, A.AGREE): (PROVIDER_SIDE, S.AGREED),
    (S.ACCEPTED, A.AGREE): (PROVIDER_SIDE, S.AGREED),
    (S.AGREED, A.VERIFY): (CONSUMER_SIDE, S.VERIFIED),
    (S.VERIFIED, A.FINALIZE): (PROVIDER_SIDE, S.FINALIZED),
    **{
        (s, A.TERMINATE): ("either", S.TERMINATED)
        for s in (S.REQUESTED, S.OFFERED, S.ACCEPTED, S.AGREED, S.VERIFIED)
    },
}
"""(state, action) -> (who may take it, next state). A negotiation starts REQUESTED (the demander's
request on a listing, 004:5103: bilateral, never matched by the exchange); FINALIZED and TERMINATED are
final. There is no auction, order book, matching, anonymous or market-making path (X-8, 004:5103)."""

PRICED_ACTIONS = frozenset({A.REQUEST, A.OFFER})
"""The steps that carry a price (报价)."""

FINAL_STATES = frozenset({S.FINALIZED, S.TERMINATED})


def allowed_actions(state: NegotiationState, side: str | None = None) -> list[NegotiationAction]:
    """The steps open in ``state`` (to ``side`` when given), in the machine's order."""
    return [
        action
        for (s, action), (who, _) in NEGOTIATION.items()
        if s is state and (side is None or who in (side, "either"))
    ]


def next_state(state: NegotiationState, action: NegotiationAction, side: str) -> NegotiationState | None:
    """The state after ``action`` by ``side``, or ``None`` when the machine does not allow it."""
    step = NEGOTIATION.get((state, action))
    if step is None or step[0] not in (side, "either"):
        return None
    return step[1]


# -- money and the §4.6 subsidy (购买方奖补) ---------------------------------------------------------------


def to_fen(value: Decimal | str | int) -> Decimal:
    """An amount in yuan to the fen (分), rounded half up; ``ValueError`` for a non-number."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    return number.quantize(FEN, rounding=ROUND_HALF_UP)


SUBSIDY_THRESHOLD = Decimal("200000")
SUBSIDY_RATE = Decimal("0.20")
SUBSIDY_YEARLY_CAP = Decimal("2000000")
SUBSIDY_START = date(2026, 1, 1)
SUBSIDY_END = date(2029, 1, 1)  # "自 2026 年 1 月 1 日起执行，有效期 3 年" (004:4739)
SUBSIDY_SOURCE = "004:4727"
SUBSIDIZED_SUBTYPES = frozenset({ObjectSubtype.DATASET, ObjectSubtype.MODEL, ObjectSubtype.API})
"""购买公共数据、数据集、语料、模型等数据产品 (004:4727): datasets (corpora are datasets), models, and
public data products in any subtype (see :func:`subsidy`)."""


def subsidy(
    amount: Decimal,
    signed_on: date,
    *,
    subtype: ObjectSubtype,
    public_data: bool,
    granted_this_year: Decimal,
) -> Decimal:
    """The buyer's subsidy (奖补) for one contract: 20% of an amount above ¥200,000, within the ¥2,000,000
    a year per enterprise not yet granted, while the policy runs (004:4727; 004:4739); 0 otherwise."""
    if not (SUBSIDY_START <= signed_on < SUBSIDY_END):
        return Decimal("0.00")
    if not (public_data or subtype in SUBSIDIZED_SUBTYPES):
        return Decimal("0.00")
    if amount <= SUBSIDY_THRESHOLD:
        return Decimal("0.00")
    room = max(SUBSIDY_YEARLY_CAP - granted_this_year, Decimal("0"))
    return to_fen(min(amount * SUBSIDY_RATE, room))
