"""The public registry's industry filter and the statistics by industry are done in SQL.

The industry is stored on the record when it is written (``registration_records.industry``, indexed), so
the filter, the paging and the total count agree; the quarterly counts by industry are grouped by the
database (the industry read from the information sheet's JSON).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.pagination import PageParams
from logispace.domains.registration.models import RegistrationRecord
from logispace.domains.registration.registry import service as registry_service
from logispace.domains.registration.statistics import service as stats_service
from tests.conftest import World
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act


def _issued(client: TestClient, world: World, clock: TravelClock, industry: str) -> dict[str, Any]:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to("2026-03-02")
    body = initial_body(registrable_resource(client, b), info={"industry": industry})
    application = file_application(client, b, body)
    act(client, b, application["id"], "submit")
    act(client, auth, application["id"], "accept")
    act(client, auth, application["id"], "review/pass")
    clock.to("2026-03-17")
    return act(client, auth, application["id"], "issue")


def test_industry_filter_paging_and_counts_in_sql(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    water = [_issued(client, world, clock, name) for name in ("水路运输", " 水路运输 ", "水路运输")]
    road = _issued(client, world, clock, "道路运输")
    db.expire_all()
    stored = {r.id.hex: r.industry for r in db.query(RegistrationRecord)}
    assert stored[road["registration_id"].replace("-", "")] == "道路运输"
    assert stored[water[1]["registration_id"].replace("-", "")] == "水路运输"  # trimmed on write

    page1, total = registry_service.search_records(db, PageParams(limit=2, offset=0), industry="水路运输")
    page2, total2 = registry_service.search_records(db, PageParams(limit=2, offset=2), industry="水路运输")
    assert (len(page1), len(page2), total, total2) == (2, 1, 3, 3)  # the total is the filtered one
    ids = {str(r.id) for r in page1 + page2}
    assert ids == {w["registration_id"] for w in water}
    assert all(r.industry == "水路运输" for r in page1 + page2)
    assert registry_service.search_records(db, PageParams(limit=50), industry="道路运输")[1] == 1
    assert registry_service.search_records(db, PageParams(limit=50), industry="航空")[1] == 0
    assert registry_service.search_records(db, PageParams(limit=1))[1] == 4
    assert registry_service.facets(db).industries == ["水路运输", "道路运输"]

    page = client.get("/registry", params={"industry": "道路运输"})
    assert page.status_code == 200 and road["registration_id"] in page.text
    assert water[0]["registration_id"] not in page.text

    report = stats_service.quarterly(db, 2026, 1)
    assert {s.key: s.count for s in report.by_industry} == {"水路运输": 3, "道路运输": 1}
    assert report.applications == 4 and {s.key: s.count for s in report.by_state}["issued"] == 4
    records = client.get(f"{API}/records", headers=world.b_admin.headers).json()
    assert records["total"] == 4
