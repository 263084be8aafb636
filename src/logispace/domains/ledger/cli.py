"""Ledger commands: ``logispace ledger audit | receipt | integrate | sequencer | rotate-key`` and
``logispace verify``."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import zipfile
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import make_engine, make_sessionmaker, unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.ledger import sequencer, service
from logispace.domains.ledger.audit import audit as audit_log
from logispace.domains.ledger.bundle import verify_bundle
from logispace.domains.ledger.offline import INVALID, VALID, Verdict
from logispace.domains.ledger.receipts import (
    pinned_keys_from,
    receipt_for,
    receipt_json,
    retry_after,
    verify_receipt,
)
from logispace.domains.ledger.service import head_timestamp

app = typer.Typer(no_args_is_help=True)
ledger_app = typer.Typer(no_args_is_help=True, help="Evidence ledger (存证).")
app.add_typer(ledger_app, name="ledger")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@ledger_app.command("audit")
def audit(
    batch: Annotated[int, typer.Option(min=1, help="entries read per query")] = 10_000,
) -> None:
    """Recompute the tree from storage: every entry's columns against its hashed leaf input, every
    subtree, every tree head's root and signature; name the first index or head that no longer
    matches (exit 1)."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url, writing=False) as session:
        result = audit_log(session, batch=batch, max_merge_delay=settings.ledger_max_merge_delay)
    for entry_id, admitted in result.broken_promises[:20]:
        console.print(
            f"[red]broken promise[/red]: entry {entry_id} admitted at {head_timestamp(admitted)} was not "
            f"integrated within the maximum merge delay ({settings.ledger_max_merge_delay:g} s)",
            soft_wrap=True,
        )
    if len(result.broken_promises) > 20:
        console.print(f"... and {len(result.broken_promises) - 20} more broken promises")
    if result.first_bad_index is None and result.bad_head is None:
        if result.broken_promises:
            console.print(
                f"ledger tree intact ({result.tree_size} entries) but {len(result.broken_promises)} "
                "signed entry timestamps were broken"
            )
            raise typer.Exit(code=1)
        console.print(
            f"ledger intact: {result.tree_size} entries, every column, subtree and tree head matches; "
            f"{result.heads_checked} tree head signatures verify"
        )
        return
    where = (
        f"at index {result.first_bad_index}"
        if result.first_bad_index is not None
        else f"at the tree head of size {result.bad_head}"
    )
    console.print(
        f"[red]ledger tampered[/red] {where}: {result.reason} (log of {result.tree_size} entries)",
        soft_wrap=True,
    )
    raise typer.Exit(code=1)


@ledger_app.command("receipt")
def receipt(
    entry_id: Annotated[int, typer.Argument(help="entry id")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here, not stdout")] = None,
) -> None:
    """Print (or write) a receipt for an entry at the latest signed tree head; before the entry is
    integrated, its signed entry timestamp (a promise)."""
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            document = receipt_json(receipt_for(session, entry_id, settings), retry_after(settings))
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=2) from None
    text = json.dumps(document, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n")


@ledger_app.command("integrate")
def integrate() -> None:
    """Integrate now every admitted entry into the tree (waits for a running sequencer's batch)."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url) as session:
        done = sequencer.integrate(session, settings=settings)
    console.print(f"integrated {done.count} entries; the tree has {done.tree_size}")


def _crash_point() -> sequencer.CrashPoint:
    """``LOGISPACE_LEDGER_CRASH_AT=selected|entries|tree|signed|committed``: kill -9 this process at
    that point of the first batch (the crash tests)."""
    where = os.environ.get("LOGISPACE_LEDGER_CRASH_AT")

    def crash(point: str) -> None:
        if point == where:
            os.kill(os.getpid(), signal.SIGKILL)

    return crash


@ledger_app.command("sequencer")
def run_sequencer(
    once: Annotated[bool, typer.Option("--once", help="integrate what waits, then exit")] = False,
    batch_size: Annotated[int | None, typer.Option(min=1, help="entries per signed tree head")] = None,
    max_merge_delay: Annotated[float | None, typer.Option(min=0.01, help="seconds")] = None,
) -> None:
    """Run the sequencer in this process: integrate admitted entries in batches until stopped
    (Ctrl-C, SIGTERM). Set the server's LOGISPACE_LEDGER_SEQUENCER=off when this runs instead."""
    settings = get_settings()
    updates: dict[str, Any] = {}
    if batch_size is not None:
        updates["ledger_batch_size"] = batch_size
    if max_merge_delay is not None:
        updates["ledger_max_merge_delay"] = max_merge_delay
    settings = settings.model_copy(update=updates)
    engine = make_engine(settings.resolved_database_url)
    crash = _crash_point()
    loop = sequencer.Sequencer(make_sessionmaker(engine), settings, crash_point=crash)
    signal.signal(signal.SIGTERM, lambda *_: loop.stopping.set())
    try:
        if once:
            total = loop.drain()
            crash("committed")
            console.print(f"integrated {total} entries")
            return
        console.print(f"ledger sequencer running (batches of {settings.ledger_batch_size})")
        with contextlib.suppress(KeyboardInterrupt):
            loop.run()
        console.print(f"ledger sequencer stopped after integrating {loop.integrated} entries")
    finally:
        engine.dispose()


@ledger_app.command("rotate-key")
def rotate_key() -> None:
    """Retire the signing key (kept, so old heads verify) and sign from now on with a new one."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url) as session:
        key = service.rotate_key(session, settings)
        key_id = key.key_id
    console.print(f"new signing key {key_id} ({key.algorithm})")


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        err_console.print(f"[red]unreadable {what}[/red] {path}: {exc}")
        raise typer.Exit(code=2) from None


def verify(
    receipt_file: Annotated[
        Path,
        typer.Argument(help="receipt JSON file, or an exported zip (bundle)", metavar="RECEIPT|FILE.zip"),
    ],
    key: Annotated[
        Path | None, typer.Option("--key", help="trusted keys: JSON of GET /api/v1/ledger/keys, or one key")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the verdict as JSON")] = False,
) -> None:
    """Verify a ledger receipt or an exported zip offline (exit 0 valid, 1 invalid, 2 unreadable)."""
    pinned = None
    if key is not None:
        try:
            pinned = pinned_keys_from(_read_json(key, "key file"))
        except ValueError as exc:
            err_console.print(f"[red]unreadable key file[/red] {key}: {exc}")
            raise typer.Exit(code=2) from None
    if zipfile.is_zipfile(receipt_file):
        _verify_zip(receipt_file, pinned, as_json)
    verdict = verify_receipt(_read_json(receipt_file, "receipt"), pinned)
    if verdict.promise:
        where = f" signed entry timestamp of entry {verdict.entry_id} (a promise, not yet in the tree)"
    elif verdict.index is not None:
        where = f" entry {verdict.index} in tree of {verdict.tree_size}"
    else:
        where = ""
    _report(verdict, where, as_json, soft_wrap=False)


def _verify_zip(path: Path, pinned: list[dict[str, Any]] | None, as_json: bool) -> None:
    """Check an exported zip: its files against the manifest, its receipts and what they commit to."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        err_console.print(f"[red]unreadable zip[/red] {path}: {exc}")
        raise typer.Exit(code=2) from None
    verdict = verify_bundle(data, pinned)
    summary = f" {verdict.kind or 'bundle'}: {verdict.files} files, {verdict.receipts} receipts"
    _report(verdict, summary, as_json, soft_wrap=True)


def _report(verdict: Verdict, summary: str, as_json: bool, *, soft_wrap: bool) -> NoReturn:
    """Print a verdict (its label and ``summary``, reasons, notes) or its JSON; exit with its code."""
    if as_json:
        typer.echo(json.dumps(verdict.as_dict(), ensure_ascii=False))
    else:
        label = {VALID: "[green]VALID[/green]", INVALID: "[red]INVALID[/red]"}.get(
            verdict.status, "[red]UNREADABLE[/red]"
        )
        console.print(f"{label}{summary}")
        for reason in verdict.reasons:
            console.print(f"  - {reason}", soft_wrap=soft_wrap)
        for note in verdict.notes:
            console.print(f"  note: {note}", soft_wrap=soft_wrap)
    raise typer.Exit(code=verdict.exit_code)
