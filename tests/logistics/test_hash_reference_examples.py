"""Every example of the GS1 reference implementation (RalphTro/epcis-event-hash-generator, its
CBV 2.0 expected output; tests/data/epcis-hash/README.md) against our event hash: each event
reproduces the published pre-hash and hash ID exactly."""

from __future__ import annotations

import pytest

from tests.logistics.hash_reference import Outcome, outcomes

OUTCOMES = list(outcomes())


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[f"{o.example}#{o.index}" for o in OUTCOMES])
def test_reference_example(outcome: Outcome) -> None:
    assert outcome.expected_pre_hash is not None or outcome.expected_hash is not None
    if outcome.expected_pre_hash is not None:
        assert outcome.pre_hash == outcome.expected_pre_hash
    if outcome.expected_hash is not None:
        assert outcome.hash == outcome.expected_hash


def test_the_counts_docs_epcis_md_gives() -> None:
    assert len({o.example for o in OUTCOMES}) == 26
    assert len(OUTCOMES) == 45
    assert sum(o.reproduced for o in OUTCOMES) == 45
