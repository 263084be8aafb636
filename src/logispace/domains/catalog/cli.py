"""Catalogue commands: ``logispace catalog upload CODE FILE --as USER``, ``logispace catalog reindex``."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Annotated, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import SYSTEM, Principal
from logispace.domains.identity.service import principal_of_user, user_by_username
from logispace.storage import LocalObjectStore, format_for

app = typer.Typer(no_args_is_help=True)
catalog_app = typer.Typer(no_args_is_help=True, help="Data catalogue (数据资源目录).")
app.add_typer(catalog_app, name="catalog")

console = Console()
err_console = Console(stderr=True)


class ProgressReader:
    """A seekable file that moves a Rich progress bar to the furthest byte read."""

    def __init__(self, raw: BinaryIO, progress: Progress, task: TaskID) -> None:
        self.raw = raw
        self.progress = progress
        self.task = task
        self.furthest = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self.raw.read(size)
        position = self.raw.tell()
        if position > self.furthest:
            self.furthest = position
            self.progress.update(self.task, completed=position)
        return data

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def __enter__(self) -> ProgressReader:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.raw.close()


@catalog_app.command("upload")
def upload(
    code: Annotated[str, typer.Argument(help="catalogue code (统一目录标识) of the resource")],
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV, XLSX, JSONL or Parquet")
    ],
    as_user: Annotated[
        str | None, typer.Option("--as", help="act as this user (default: the operator, who may do all)")
    ] = None,
) -> None:
    """Upload a file as the next version of a resource's data (数据分发), with a progress bar."""
    settings = get_settings()
    store = LocalObjectStore.from_settings(settings)
    try:
        fmt = format_for(file.name)
        with unit_of_work(settings.resolved_database_url) as session:
            p: Principal = SYSTEM
            if as_user is not None:
                user = user_by_username(session, as_user)
                if user is None or not user.is_active:
                    raise DomainError(f"no active user named {as_user}")
                p = principal_of_user(session, user)
            distribution_service.uploadable(session, p, code)
            columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
            with Progress(*columns, console=err_console) as progress:
                task = progress.add_task(f"上传 uploading {file.name}", total=file.stat().st_size)
                with ProgressReader(file.open("rb"), progress, task) as reader:
                    dist = distribution_service.upload(
                        session, p, code, reader, fmt=fmt, store=store, max_bytes=settings.max_upload_bytes
                    )
            version, rows, digest, drift = dist.version, dist.row_count, dist.object_sha256, dist.drift
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None
    console.print(f"{code} version {version}: {rows} rows, parquet sha256 {digest}")
    if drift is not None and drift["changed"]:
        console.print(
            "schema drift 结构变化: "
            f"added {[f['name'] for f in drift['added']]}, removed {[f['name'] for f in drift['removed']]}, "
            f"retyped {[r['name'] for r in drift['retyped']]}"
        )


@catalog_app.command("reindex")
def reindex() -> None:
    """Rebuild the search index of the published resources (重建检索索引), e.g. after an upgrade that
    indexes more facets (the CKAN view's tags and formats)."""
    with unit_of_work(get_settings().resolved_database_url) as session:
        count = search_service.reindex_published(session)
    console.print(f"reindexed {count} published resources")
