"""CKAN package_search with Solr's boolean syntax in ``q`` and ``fq`` (OR, NOT / ``-``, ``+``,
nested parentheses, a field twice): the union, difference and intersection CKAN returns, over
published resources only, and CKAN validation errors naming what is wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.catalog.test_ckan_api import (
    API,
    PUBLISHED,
    codes,  # noqa: F401 (the fixture)
    failed,
    names,
    org_name,
    search,
)
from tests.conftest import World


def found(client: TestClient, **params: str) -> list[str]:
    return sorted(names(search(client, rows="100", **params)))


def test_or_in_q_is_the_union(client: TestClient, codes: dict[str, str]) -> None:  # noqa: F811
    n = {k: codes[k].lower() for k in codes}
    assert found(client, q="集装箱 OR 船舶") == sorted([n["open"], n["vessel"]])
    assert found(client, q="集装箱 || 船舶") == sorted([n["open"], n["vessel"]])
    assert found(client, q="集装箱 船舶") == []  # juxtaposition is AND (q.op)
    assert found(client, q="(集装箱 OR 船舶) AND NOT 港口") == [n["vessel"]]
    assert found(client, q="NOT 危险货物") == sorted(n[k] for k in PUBLISHED if k != "no_data")
    assert found(client, q="-危险货物 -船舶") == sorted([n["open"], n["conditional"]])
    ordered = search(client, q="集装箱 OR 船舶", sort="title_string asc")
    assert [p["title"] for p in ordered["results"]] == ["Alpha 港口集装箱吞吐量", "Delta 船舶登记"]
    assert ordered["count"] == 2
    second = search(client, q="集装箱 OR 船舶", sort="title_string asc", rows="1", start="1")
    assert [p["title"] for p in second["results"]] == ["Delta 船舶登记"] and second["count"] == 2


def test_negation_or_and_nesting_in_fq(
    client: TestClient,
    db: Session,
    codes: dict[str, str],  # noqa: F811
    world: World,
) -> None:
    n = {k: codes[k].lower() for k in codes}
    a, b = org_name(db, world.a_admin.party_id), org_name(db, world.b_admin.party_id)
    assert found(client, fq=f"-organization:{a}") == sorted([n["open"], n["vessel"]])
    assert found(client, fq=f"-owner_org:{world.a_admin.party_id}") == sorted([n["open"], n["vessel"]])
    assert found(client, fq="-groups:veh-vessel") == sorted(n[k] for k in PUBLISHED if k != "vessel")
    assert found(client, fq="NOT groups:veh-vessel AND -tags:危险货物") == sorted(
        [n["open"], n["conditional"]]
    )
    assert found(client, fq="tags:道路运输证 tags:危险货物") == [n["no_data"]]
    assert found(client, fq="tags:(道路运输证 AND 危险货物)") == [n["no_data"]]
    assert found(client, fq="tags:船舶 OR res_format:CSV") == sorted([n["open"], n["vessel"]])
    nested = f"(organization:{a} AND (tags:危险货物 OR tags:船舶)) OR (res_format:CSV AND -tags:船舶)"
    assert found(client, fq=nested) == sorted([n["no_data"], n["open"]])
    assert found(client, q="车辆", fq=f"-organization:{b}") == sorted([n["conditional"], n["no_data"]])
    assert found(client, fq="*:* -license_id:cc-by") == sorted(n[k] for k in PUBLISHED if k != "open")
    assert found(client, fq="-dataset_type:dataset") == []
    assert found(client, fq="metadata_modified:{* TO 2000-01-01T00:00:00Z} OR tags:船舶") == [n["vessel"]]


def test_what_ckanext_harvest_sends(
    client: TestClient,
    db: Session,
    codes: dict[str, str],  # noqa: F811
    world: World,
) -> None:
    """Include and exclude filters of organizations and groups, with the incremental date range."""
    n = {k: codes[k].lower() for k in codes}
    a, b = org_name(db, world.a_admin.party_id), org_name(db, world.b_admin.party_id)
    since = "metadata_modified:[2000-01-01T00:00:00Z TO *]"
    include = f"organization:{a} OR organization:{b} groups:veh-vehicle OR groups:nosuch {since}"
    assert found(client, fq=include) == sorted([n["open"], n["conditional"], n["no_data"]])
    exclude = f"-organization:{b} -groups:nosuch {since}"
    assert found(client, fq=exclude) == sorted([n["conditional"], n["no_data"]])
    faceted = search(client, fq=exclude, **{"facet.field": '["organization","tags"]'})
    assert faceted["facets"]["organization"] == {a: 2}
    assert faceted["facets"]["tags"] == {"道路运输证": 2, "危险货物": 1}


def test_boolean_queries_never_reveal_drafts_or_withdrawn(client: TestClient, codes: dict[str, str]) -> None:  # noqa: F811
    everything = sorted(codes[k].lower() for k in PUBLISHED)
    assert found(client, fq="-tags:nothing") == everything
    assert found(client, q="NOT nothing") == everything
    assert found(client, q="zzdraft OR zzwithdrawn OR 集装箱") == [codes["open"].lower()]
    assert found(client, fq="tags:zzdraft OR tags:zzwithdrawn") == []
    assert found(client, q="-集装箱", fq="-tags:船舶") == sorted(
        codes[k].lower() for k in ("conditional", "no_data")
    )


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"fq": "(tags:a"}, "fq", "unclosed parenthesis"),
        ({"fq": "tags:a OR"}, "fq", "missing at the end"),
        ({"fq": "-nosuchfield:x"}, "fq", "unknown field 'nosuchfield'"),
        ({"q": "集装箱 OR"}, "q", "missing at the end"),
        ({"q": "tags:(a"}, "q", "unclosed parenthesis"),
        ({"q": "港*"}, "q", "wildcards"),
    ],
)
def test_query_errors_are_ckan_validation_errors(
    client: TestClient,
    codes: dict[str, str],  # noqa: F811
    params: dict[str, str],
    field: str,
    says: str,
) -> None:
    error = failed(client.get(f"{API}/package_search", params=params), 409, "Validation Error")
    assert says in " ".join(error[field]), error
