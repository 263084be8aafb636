"""Fixtures of the ledger tests: the page login of the identity tests is shared."""

from tests.identity.conftest import log_in

__all__ = ["log_in"]
