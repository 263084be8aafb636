"""Public reference material the tests read (see README.md here), and the policy sources in docs/sources."""

from pathlib import Path

DATA = Path(__file__).resolve().parent
"""This folder: standards' examples, vectors and shapes, each in a folder named for its source."""

SOURCES = DATA.parents[1] / "docs" / "sources"
"""The policy documents that citations like ``004:794`` point into (docs/sources.md)."""
