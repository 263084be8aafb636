"""Identity commands: ``logispace party create``, ``user create``, ``token create``."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.identity import auth_service, repository, service
from logispace.domains.identity.enums import PartyType, Role
from logispace.domains.identity.policies import SYSTEM
from logispace.domains.identity.schemas import PartyCreate, TokenCreate, UserCreate

app = typer.Typer(no_args_is_help=True)
party_app = typer.Typer(no_args_is_help=True, help="Parties (主体).")
user_app = typer.Typer(no_args_is_help=True, help="Users (用户).")
token_app = typer.Typer(no_args_is_help=True, help="Personal API tokens (访问令牌).")
app.add_typer(party_app, name="party")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

console = Console()
err_console = Console(stderr=True)


def _fail(exc: Exception) -> typer.Exit:
    if isinstance(exc, ValidationError):
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            err_console.print(f"[red]error:[/red] {field}: {error['msg'].removeprefix('Value error, ')}")
    else:
        err_console.print(f"[red]error:[/red] {exc}")
    return typer.Exit(code=2)


@party_app.command("create")
def create_party(
    name: Annotated[str, typer.Option(help="party name")],
    uscc: Annotated[str, typer.Option(help="统一社会信用代码")],
    party_type: Annotated[PartyType, typer.Option("--type", help="party type")] = PartyType.ENTERPRISE,
    not_legal_person: Annotated[bool, typer.Option(help="a non-legal-person organization")] = False,
) -> None:
    """Create a party; prints its id."""
    try:
        data = PartyCreate(name=name, uscc=uscc, party_type=party_type, is_legal_person=not not_legal_person)
        with unit_of_work(get_settings().resolved_database_url) as session:
            party = service.create_party(session, SYSTEM, data)
            party_id = party.id
    except (ValidationError, DomainError) as exc:
        raise _fail(exc) from None
    console.print(str(party_id))


@user_app.command("create")
def create_user(
    username: Annotated[str, typer.Option(help="login name")],
    party: Annotated[str, typer.Option(help="party id or unified social credit code")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    display_name: Annotated[str | None, typer.Option(help="shown name (default: the user name)")] = None,
    role: Annotated[list[Role] | None, typer.Option(help="role; repeat for several")] = None,
) -> None:
    """Create a user of a party; prints the user id."""
    try:
        with unit_of_work(get_settings().resolved_database_url) as session:
            found = repository.party_by_uscc(session, party.strip().upper())
            if found is None:
                try:
                    found = repository.get_party(session, uuid.UUID(party))
                except ValueError:
                    found = None
            if found is None:
                raise DomainError(f"no party with id or unified social credit code {party}")
            data = UserCreate(
                party_id=found.id,
                username=username,
                display_name=display_name or username,
                password=password,
                roles=role or [],
            )
            user_id = service.create_user(session, SYSTEM, data).id
    except (ValidationError, DomainError) as exc:
        raise _fail(exc) from None
    console.print(str(user_id))


@token_app.command("create")
def create_token(
    user: Annotated[str, typer.Option(help="user name")],
    name: Annotated[str, typer.Option(help="what the token is for")] = "cli",
    days: Annotated[int | None, typer.Option(help="days until it expires")] = None,
) -> None:
    """Issue a personal API token for a user and print it, once."""
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            found = repository.user_by_username(session, user)
            if found is None or not found.is_active:
                raise DomainError(f"no active user named {user}")
            created = auth_service.create_token(
                session, found.id, TokenCreate(name=name, expires_in_days=days), settings
            )
    except (ValidationError, DomainError) as exc:
        raise _fail(exc) from None
    err_console.print(f"token {created.prefix}… expires {created.expires_at:%Y-%m-%d}; it is shown only now:")
    console.print(created.token, soft_wrap=True)
