"""Request and response bodies of the identity API. Unknown fields are refused (422)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from logispace.core.bodies import EMAIL, INTEGRAL, NOT_BLANK, PHONE, StrictBool, not_null_in_schema
from logispace.core.identifiers import USCC_JSON_SCHEMA, IdentifierError, check_uscc
from logispace.domains.identity.enums import PartyType, Role, TokenStatus, VerificationStatus


def _uscc(value: str) -> str:
    try:
        return check_uscc(value)
    except IdentifierError as exc:
        raise ValueError(str(exc)) from None


Uscc = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=18, max_length=18),
    AfterValidator(_uscc),
    Field(
        description="统一社会信用代码 (GB 32100), check character verified",
        examples=["91350100M000100Y43"],
        json_schema_extra=USCC_JSON_SCHEMA,
    ),
]
# PostgreSQL cannot store NUL characters in text: refuse them as invalid input (422), not at the database.
NO_NUL = r"^[^\x00]*$"
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)
]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=NO_NUL)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300, pattern=NO_NUL)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL),
]
# Spaces around are trimmed before the check, so the pattern admits them: a phone ends in a digit or dash.
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE)]
Username = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,39}$"),
    Field(
        description="2-40 characters: letters, digits, dot, dash, underscore; stored in lower case",
        # The before-validator hides the pattern from the JSON schema; state it (upper case is lowered).
        json_schema_extra={"pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$"},
    ),
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]


class Input(BaseModel):
    """Base of request bodies: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Patch(Input):
    """Base of partial updates: a field may be left out, but ``NOT_NULL`` fields may not be null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_null_in_schema)

    NOT_NULL: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _required_fields_not_null(self) -> Self:
        nulls = [
            name for name in self.NOT_NULL if name in self.model_fields_set and getattr(self, name) is None
        ]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} may be left out but not set to null")
        return self


class PartyCreate(Input):
    """A new party (新建主体)."""

    name: Name
    party_type: PartyType
    uscc: Uscc
    is_legal_person: StrictBool = True
    contact_name: ShortText | None = None
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    address: Address | None = None


class PartyUpdate(Patch):
    """Changes to a party's descriptive fields; the USCC and type never change."""

    NOT_NULL = ("name", "is_legal_person")

    name: Name | None = None
    is_legal_person: StrictBool | None = None
    contact_name: ShortText | None = None
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    address: Address | None = None


class VerificationDecision(Input):
    """An authority's real-name verification decision (实名认证结论)."""

    status: Literal[VerificationStatus.VERIFIED, VerificationStatus.REJECTED]
    method: ShortText = Field(
        default="营业执照核验",
        description="How identity was established, e.g. 营业执照核验, 公安/税务/市场监管 interface",
    )
    note: LongText | None = None


class VerificationRead(BaseModel):
    """One real-name verification record."""

    status: VerificationStatus
    method: str
    note: str | None
    decided_by: str | None = Field(description="user name of the deciding reviewer")
    decided_at: datetime


class PartyRead(BaseModel):
    """A party as its own staff and the authority see it."""

    id: uuid.UUID
    name: str
    party_type: PartyType
    uscc: str
    is_legal_person: bool
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    address: str | None
    verification_status: VerificationStatus
    real_name_verification: VerificationRead | None = Field(description="the latest decision, if any")
    created_at: datetime


class UserCreate(Input):
    """A new user (新建用户) of a party."""

    party_id: uuid.UUID
    username: Username
    display_name: ShortText
    email: Email | None = None
    password: Password
    roles: list[Role] = Field(default_factory=list, max_length=len(Role))


class UserUpdate(Patch):
    """Changes to a user; ``roles`` replaces the whole set."""

    NOT_NULL = ("display_name", "is_active", "roles")

    display_name: ShortText | None = None
    email: Email | None = None
    is_active: StrictBool | None = None
    roles: list[Role] | None = Field(default=None, max_length=len(Role))


class PasswordChange(Input):
    """Change one's own password."""

    current_password: Annotated[str, StringConstraints(max_length=200)]
    new_password: Password


class UserRead(BaseModel):
    """A user, without credentials."""

    id: uuid.UUID
    party_id: uuid.UUID
    username: str
    display_name: str
    email: str | None
    roles: list[Role]
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class PartySummary(BaseModel):
    """The acting party, as shown with the current user."""

    id: uuid.UUID
    name: str
    party_type: PartyType
    verification_status: VerificationStatus


class MeRead(BaseModel):
    """The caller: user, party and how they authenticated."""

    user: UserRead
    party: PartySummary
    authenticated_by: Literal["session", "token"]


class TokenCreate(Input):
    """A new personal API token (新建访问令牌)."""

    name: ShortText
    expires_in_days: Annotated[int, Field(ge=1, strict=True), INTEGRAL] | None = Field(
        default=None, description="default and maximum (366 days unless configured) from the settings"
    )


class TokenRead(BaseModel):
    """A personal API token without its secret."""

    id: uuid.UUID
    name: str
    prefix: str = Field(description="first characters of the token, to recognise it")
    status: TokenStatus
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    """A token just created: ``token`` is shown this once and never again."""

    token: str
