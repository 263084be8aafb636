"""Schemathesis's stateful phase: sequences of calls that follow the OpenAPI links of ``/openapi.json``.

Each scenario starts at an operation that creates a record (a party, a user, a token, a document, a
resource, a waybill, a container, a capture, a registration application) and follows the links of
its response (``src/logispace/app/openapi.py``) to the operations that read or act on the record,
with every check, the stateful ones included (``use_after_free``: a deleted record stays gone;
``ensure_resource_availability``: a created record can be read). It runs once as the authority's
administrator and once as a party administrator and data steward, inside the test's rolled-back
transaction. Generation is derandomized; ``LOGISPACE_FUZZ_EXAMPLES`` raises the number of scenarios.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import Case
from schemathesis.core.transport import Response
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from tests import contract
from tests.conftest import World

SCENARIOS = max(contract.FUZZ_EXAMPLES, 25)
"""State machine runs per caller: 25 in CI."""
STEPS = 6
"""The longest call sequence of one scenario."""


def _links(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (f"{method.upper()} {path}", link["operationId"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    }


def test_the_served_schema_links_created_records_to_their_operations(app: FastAPI, world: World) -> None:
    raw = contract.load_schema(app, world.authority_admin.headers).raw_schema
    links = _links(raw)
    sources = {source for source, _ in links}
    for created in (
        "POST /api/v1/parties",
        "POST /api/v1/users",
        "POST /api/v1/documents",
        "POST /api/v1/catalog/resources",
        "POST /api/v1/waybills",
        "POST /api/v1/containers",
        "POST /epcis/capture",
        "POST /api/v1/registration/applications",
    ):
        assert created in sources, created
    operation_ids = {op["operationId"] for item in raw["paths"].values() for op in item.values()}
    assert {target for _, target in links} <= operation_ids


@pytest.mark.parametrize("caller", ["authority_admin", "b_admin"])
def test_stateful_sequences_conform_to_the_schema(
    caller: str, app: FastAPI, world: World, db: Session
) -> None:
    headers = getattr(world, caller).headers
    schema = contract.load_schema(app, headers)
    statuses: Counter[str] = Counter()

    connection = db.get_bind()
    assert isinstance(connection, Connection)

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        """Each scenario starts from the same records: what one creates is rolled back before the next
        (Hypothesis replays scenarios and needs them to behave alike)."""

        def setup(self) -> None:
            self.scenario = connection.begin_nested()

        def teardown(self) -> None:
            db.rollback()
            if self.scenario.is_active:
                self.scenario.rollback()

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(
            self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            statuses[f"{case.method} {case.operation.path} {response.status_code}"] += 1
            case.validate_response(
                response,
                checks=contract.STATEFUL_CHECKS,
                headers=headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    operations = {key.rsplit(" ", 1)[0] for key in statuses}
    print(
        f"stateful as {caller}: {sum(statuses.values())} calls of {len(operations)} operations"
    )  # -s shows it
    followed = [key for key in statuses if key.split()[0] != "POST" or "{" in key]
    assert sum(statuses.values()) >= SCENARIOS, statuses
    assert followed, statuses  # some scenario went on from a created record
    assert all(int(key.rsplit(" ", 1)[1]) < 500 for key in statuses), statuses
