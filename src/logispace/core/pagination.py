"""Pagination (分页): validated limit/offset parameters and the page envelope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_LIMIT = 200


class PageParams(BaseModel):
    """Which slice of a list to return."""

    model_config = ConfigDict(frozen=True)

    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=10_000_000)


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count."""

    items: list[T]
    total: int
    limit: int
    offset: int


def paged(session: Session, stmt: Select[T], params: PageParams) -> tuple[Sequence[T], int]:
    """Run ``stmt`` for one page and count the whole result."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = session.scalars(stmt.limit(params.limit).offset(params.offset)).all()
    return items, total
