"""What the schemathesis tests share: the loaded schema, every check, the custom formats and the rules
that JSON Schema cannot state.

* :func:`load_schema` loads ``/openapi.json`` from the in-process app as a logged-in caller, with
  NUL characters left out of generated text (the API refuses them in every field, as its description
  says; a per-field pattern would only repeat that).
* ``uscc`` and ``iso6346`` formats generate valid codes: the schema states their characters by pattern,
  the format names the check character a pattern cannot express.
* :data:`RULES_NOT_IN_SCHEMA` lists the rules that need more than one field or stored state to decide,
  so that no JSON Schema states them; a schema-valid request refused (422/400/415) by one of them
  is not a ``positive_data_acceptance`` failure. Each entry says why. Anything else refused is.
* ``LOGISPACE_FUZZ_EXAMPLES`` raises the number of examples for a longer local run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from logispace.core.identifiers import USCC_CATEGORIES, uscc_with_check_character
from logispace.core.transport_ids import container_with_check_digit

FUZZ_EXAMPLES = int(os.environ.get("LOGISPACE_FUZZ_EXAMPLES", "0") or 0)
"""More examples per operation (and state machine runs) for a longer local fuzz; 0 keeps the CI budget."""

_USCC_REST = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def _uscc(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from(sorted(USCC_CATEGORIES)))
    category = draw(st.sampled_from(USCC_CATEGORIES[department][1]))
    division = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    subject = draw(st.text(_USCC_REST, min_size=9, max_size=9))
    return uscc_with_check_character(department + category + division + subject)


@st.composite
def _container(draw: st.DrawFn) -> str:
    owner = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3))
    category = draw(st.sampled_from("UJZ"))
    serial = draw(st.text("0123456789", min_size=6, max_size=6))
    return container_with_check_digit(owner + category + serial)


USCC_VALUES = _uscc()
CONTAINER_VALUES = _container()
schemathesis.openapi.format("uscc", USCC_VALUES)
schemathesis.openapi.format("iso6346", CONTAINER_VALUES)


@dataclass(frozen=True)
class Rule:
    """A rule of one operation that no JSON Schema of its request can state."""

    operation: str
    status: int
    detail: str
    """A regular expression searched in the problem's detail (or its field errors)."""
    why: str
    whole_body: bool = False
    """The body is refused as a whole (a foreign document): the detail decides, not each field error."""


_STORED_REFERENCE = (
    "names a record of stored, maintained data (the category tree, the grade list, the data items the "
    "authority keeps): its existence is state, not shape"
)
_FOREIGN_DOCUMENT = (
    "the body is a foreign standard's document (GS1 EPCIS 2.0, DCSA Track & Trace, a GPS CSV, a 网络货运 "
    "e-waybill) checked by that standard's own rules; the schema states its shape"
)
RULES_NOT_IN_SCHEMA: tuple[Rule, ...] = (
    Rule(
        "POST /api/v1/access/requests",
        422,
        r"period_end must be after period_start|the period is at most|is listed once"
        r"|unknown (catalog|resource|field)",
        "compares fields of the body (the period's end after its start) or names stored catalogue data",
    ),
    Rule(
        "POST /api/v1/access/policies/check",
        422,
        r"invalid usage policy",
        "the body is an ODRL 2.2 policy checked by the LogiSpace profile's rules "
        "(docs/access-odrl-profile.md)",
        whole_body=True,
    ),
    Rule(
        "GET /api/v1/ledger/proofs/consistency",
        422,
        r"first \d+ is larger than second|must not be larger than second",
        "compares two parameters (the older tree is not larger than the newer)",
    ),
    Rule(
        "GET /api/v1/ledger/proofs/inclusion",
        422,
        r"is not inside a tree of size|must be smaller than tree_size",
        "compares two parameters (the entry lies inside the tree)",
    ),
    *(
        Rule(operation, 422, r"unknown (category|grade|data item) ", _STORED_REFERENCE)
        for operation in (
            "GET /api/v1/catalog/resources",
            "POST /api/v1/catalog/resources",
            "PATCH /api/v1/catalog/resources/{code}",
            "GET /api/v1/catalog/data-items",
            "POST /api/v1/catalog/data-items",
        )
    ),
    *(
        Rule(operation, 422, r"field names must be unique|_end is before ", "compares fields of the body")
        for operation in ("POST /api/v1/catalog/resources", "PATCH /api/v1/catalog/resources/{code}")
    ),
    Rule(
        "GET /api/v1/catalog/resources",
        422,
        r"offset must be between 0 and|with q, status may only be published|search covers published",
        "compares parameters: a text or frequency search covers published resources, up to offset 10000",
    ),
    Rule(
        "POST /api/v1/catalog/resources/{code}/distributions",
        415,
        r"is not one of CSV, XLSX, JSON Lines or Parquet",
        "the format follows from two inputs together (the file name's suffix, else the content type)",
    ),
    *(
        Rule(operation, 400, r"nextPageToken is not valid", "an opaque token only the server issues")
        for operation in ("GET /epcis/events", "GET /epcis/epcs/{epc}/events")
    ),
    Rule("POST /epcis/capture", 400, r".", _FOREIGN_DOCUMENT, whole_body=True),
    Rule(
        "POST /api/v1/logistics/intake/dcsa", 422, r"cannot be taken in", _FOREIGN_DOCUMENT, whole_body=True
    ),
    Rule("POST /api/v1/logistics/intake/gps", 422, r"cannot be taken in", _FOREIGN_DOCUMENT, whole_body=True),
    Rule(
        "POST /api/v1/logistics/intake/ewaybill",
        422,
        r"e-waybills? cannot be mapped",
        _FOREIGN_DOCUMENT,
        whole_body=True,
    ),
    Rule(
        "POST /api/v1/waybills",
        422,
        r"a leg must leave its origin|leg \d+ starts at .* but leg \d+ ends at|a container is listed twice"
        r"|the minimum temperature .* must be below the maximum"
        # pydantic's echo of a failed leg or cargo line: the tuple is short of it "after validation"
        r"|should have at least 1 item after validation",
        "compares fields of the body (each leg moves and starts where the last ended; distinct containers;"
        " the temperature range is ordered)",
    ),
    Rule(
        "POST /api/v1/documents",
        422,
        r"cannot be put in canonical form",
        "RFC 8785 puts every number in the IEEE double range, whole numbers up to 2**53, at any depth of a"
        " free-form document; the schema leaves the document's contents open",
    ),
    Rule(
        "POST /api/v1/tokens",
        422,
        r"expires_in_days may be at most|^at most \d+$",
        "the longest lifetime is a setting of the deployment (token_max_ttl_days), not of the schema",
    ),
    *(
        Rule(
            f"GET /api/v1/tower/{path}",
            422,
            r"period_to must not be before period_from",
            "compares two query parameters (the period's end not before its start)",
        )
        for path in ("kpis", "kpis/export")
    ),
    Rule(
        "POST /api/v1/tower/webhooks",
        422,
        r"cannot be read as a URL|must not carry a user name|names no host|port is not a number"
        r"|does not resolve|resolves to",
        "the URL's authority as RFC 3986 reads it (user information, host, port) and where its host "
        "resolves (DNS, the operator's allowed hosts); the schema states the scheme and no white space",
    ),
    Rule(
        "POST /api/v1/trading/objects",
        422,
        r"is not of category",
        "the subtype must belong to the category (004:5058-5064): two fields of the body",
    ),
    Rule(
        "POST /api/v1/trading/objects/{object_id}/review",
        422,
        r"a government-guided cap applies to a public data product only"
        r"|a refusal names its prohibited ground|the cap of this object is its operation product's cap",
        "compares the body with the stored object (public data product) or two fields (passed, ground)",
    ),
    Rule(
        "POST /api/v1/trading/objects",
        422,
        r"an operation product backs a public data product",
        "an operation product goes with a public data product and its units: three fields of the body",
    ),
    *(
        Rule(
            f"POST /api/dsp/{path}",
            400,
            r"@context must include|@type must be|must be an odrl|carries logispace:price|must be a urn:uuid"
            r"|eventType must be|is a JSON object|price|purpose|terms|not signed yet",
            "a Dataspace Protocol message is JSON-LD checked by its handler (context, type, offer), "
            "so that a refused message leaves its refusal record; the schema states an object",
        )
        for path in (
            "catalog/request",
            "negotiations/request",
            "negotiations/{pid}/request",
            "negotiations/{pid}/offers",
            "negotiations/{pid}/events",
            "negotiations/{pid}/agreement",
            "negotiations/{pid}/agreement/verification",
            "negotiations/{pid}/termination",
            "transfers/request",
            "transfers/{pid}/start",
            "transfers/{pid}/completion",
            "transfers/{pid}/termination",
        )
    ),
    Rule(
        "POST /api/v1/trading/listings",
        422,
        r"are not scenarios of the usage policies",
        "the purposes are the access domain's scenarios, data of the running system",
    ),
    Rule(
        "POST /api/v1/trading/negotiations",
        422,
        r"is not among the listing's purposes",
        "compares the purpose with the stored listing's",
    ),
    Rule(
        "POST /api/v1/trading/negotiations/{negotiation_id}/steps",
        422,
        r"carries a price|carries the contract's terms",
        "which fields a step carries depends on the action: two fields of the body",
    ),
    Rule(
        "GET /api/v1/trading/reports/{kind}",
        422,
        r"report has a number from 1 to",
        "the number's range depends on the kind of period (12 months, 4 quarters, 1 year)",
    ),
    Rule(
        "POST /api/v1/trading/contracts/{contract_id}/delivery",
        422,
        r"has no field|is not a scenario",
        "the fields are those of the stored catalogue resource",
    ),
)


def _problem(response: Response) -> tuple[str, list[str]]:
    """The problem's detail and the message of each field error."""
    try:
        body = response.json()
    except ValueError:
        return response.text, []
    if not isinstance(body, dict):
        return str(body), []
    errors = body.get("errors") or []
    return str(body.get("detail", "")), [str(e.get("msg", "")) for e in errors if isinstance(e, dict)]


def rule_not_in_schema(case: Case, response: Response) -> Rule | None:
    """The listed rule that refused this request, if one did. Field errors must all come from listed
    rules: a request refused for a listed rule and for one more is still a failure."""
    label = f"{case.method.upper()} {case.operation.path}"
    rules = [r for r in RULES_NOT_IN_SCHEMA if r.operation == label and r.status == response.status_code]
    detail, messages = _problem(response)
    for rule in rules:
        if rule.whole_body and re.search(rule.detail, detail):
            return rule
    field_rules = [rule for rule in rules if not rule.whole_body]
    if not messages:
        return next((rule for rule in field_rules if re.search(rule.detail, detail)), None)
    matched = [next((r for r in field_rules if re.search(r.detail, m)), None) for m in messages]
    return matched[0] if all(matched) else None


def positive_data_acceptance_beyond_the_schema(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    """schemathesis's ``positive_data_acceptance``, except for refusals by :data:`RULES_NOT_IN_SCHEMA`."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        if rule_not_in_schema(case, response) is not None:
            return None
        raise


# Every check schemathesis has (``--checks all``), positive data acceptance with the exceptions above.
# ``object_level_authorization`` needs a second identity configured in schemathesis's own runner; the
# per-domain test_party_isolation.py files cover what it would check.
STATELESS_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance_beyond_the_schema,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]
STATEFUL_CHECKS = [*STATELESS_CHECKS, use_after_free, ensure_resource_availability]


_LOADED: dict[int, tuple[dict[str, Any], Any]] = {}


def load_schema(app: FastAPI, headers: dict[str, str]) -> Any:
    """The schema as the running app serves it to a logged-in caller.

    Loaded once per app and description: the served description is the same for every caller, and
    parsing its ~300 operations took seconds per test. A test that adds a route gets a new description
    (``app.openapi()`` is rebuilt), so it is loaded again. The caller's token is not kept: every call
    passes its own headers."""
    described = app.openapi()
    cached = _LOADED.get(id(app))
    if cached is not None and cached[0] is described:
        return cached[1]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=headers)
    # Unknown query parameters are ignored, as the API's description says: not negative data.
    schema.config.generation.update(allow_x00=False, allow_extra_parameters=False)
    _LOADED[id(app)] = (described, schema)
    return schema
