"""Fixtures of the data plane tests: an object store in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from logispace.storage import LocalObjectStore


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def stored_objects(store: LocalObjectStore) -> list[Path]:
    """Every file in the store outside ``tmp/``."""
    if not store.root.exists():
        return []
    return sorted(p for p in store.root.rglob("*") if p.is_file() and store.tmp_dir not in p.parents)


def assert_nothing_left(store: LocalObjectStore) -> None:
    assert store.partials() == []
    assert stored_objects(store) == []
