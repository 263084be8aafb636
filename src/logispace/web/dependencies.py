"""Request-scoped dependencies: the unit of work and the settings of the running app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from logispace.core.config import Settings
from logispace.core.db import begin_writing, committing

_READING = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db(request: Request) -> Iterator[Session]:
    """One unit of work per request: commit when the endpoint returns, roll back on any error.

    The commit happens before the response is sent (dependency scope ``function``), so a failed
    commit is reported to the client instead of being lost. A request that may write begins as a
    writer on SQLite (:func:`begin_writing`).
    """
    maker: sessionmaker[Session] = request.app.state.sessionmaker
    with maker() as session, committing(session):
        if request.method not in _READING:
            begin_writing(session)  # SQLite: a writing request never fails on a stale snapshot
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(get_db, scope="function")]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
