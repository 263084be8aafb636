"""The ``ckanapi`` client and command line against a real server (``logispace serve``) holding a few
published resources, a draft and a withdrawn one: what a CKAN harvester would read."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from ckanapi import NotFound, RemoteCKAN, ValidationError
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.core.db import make_engine
from logispace.domains.catalog import service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM
from logispace.storage import LocalObjectStore, UploadFormat
from tests.databases import throwaway_database
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party
from tests.live_server import serving

CKANAPI = Path(sys.executable).parent / "ckanapi"
OPEN = {
    "grade": "general_other",
    "fields": [{"name": "box_no", "title": "集装箱箱号", "type": "string"}],
    "sharing_type": "unconditional",
    "sharing_conditions": None,
    "open_type": "unconditional",
    "open_conditions": None,
}
CSV = "box_no,port\nMSKU1234565,钦州港\nTGHU7654321,北部湾港\n".encode()


@dataclass(frozen=True)
class Site:
    url: str
    codes: dict[str, str]
    holders: dict[str, str]
    orgs: dict[str, str]  # holder -> its CKAN name, its USCC in lower case


def _seed(url: str, objects: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            port = make_party(db, name="北部湾港集团")
            rail = make_party(db, name="南宁铁路物流")
            codes = {
                "open": make_resource(
                    db, port, publish=True, name="港口集装箱进出场记录", keywords=["集装箱", "港口"], **OPEN
                ).catalog_code,
                "rail": make_resource(
                    db, rail, publish=True, name="铁路货运站到发量", category="INFRA.RAIL", keywords=["铁路"]
                ).catalog_code,
                "vehicle": make_resource(
                    db, rail, publish=True, name="铁路集疏运车辆", keywords=["集疏运"]
                ).catalog_code,
                "draft": make_resource(db, port, name="草稿 zzdraft").catalog_code,
                "withdrawn": make_resource(db, port, publish=True, name="撤回 zzwithdrawn").catalog_code,
            }
            service.withdraw_resource(db, SYSTEM, codes["withdrawn"], "数据源停用")
            distribution_service.upload(
                db,
                SYSTEM,
                codes["open"],
                io.BytesIO(CSV),
                fmt=UploadFormat.CSV,
                store=LocalObjectStore(objects),
                max_bytes=1 << 20,
            )
            db.commit()
            return (
                codes,
                {"port": str(port.id), "rail": str(rail.id)},
                {"port": port.uscc.lower(), "rail": rail.uscc.lower()},
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("ckan-live")
    with throwaway_database(folder) as url:
        migrations.upgrade(url)
        codes, holders, orgs = _seed(url, folder / "objects")
        env = {
            **os.environ,
            "LOGISPACE_DATABASE_URL": url,
            "LOGISPACE_VAR_DIR": str(folder),
            "LOGISPACE_OBJECTS_DIR": str(folder / "objects"),
        }
        with serving(env, folder / "server.log") as base:
            yield Site(base, codes, holders, orgs)


PUBLISHED = ("open", "rail", "vehicle")


def test_remote_ckan_reads_the_open_catalogue(site: Site) -> None:
    for get_only in (False, True):  # POST with a JSON body (the default), and GET with a query string
        with RemoteCKAN(site.url, get_only=get_only) as ckan:
            assert ckan.action.package_list() == sorted(site.codes[k].lower() for k in PUBLISHED)

            package = ckan.action.package_show(id=site.codes["open"])
            assert package["title"] == "港口集装箱进出场记录"
            assert package["organization"]["title"] == "北部湾港集团"
            assert [r["format"] for r in package["resources"]] == ["CSV", "Parquet"]
            download = httpx.get(package["resources"][0]["url"], timeout=10)
            assert download.status_code == 200
            assert "MSKU1234565" in download.text
            assert ckan.action.package_show(id=package["name"])["id"] == package["id"]

            for hidden in ("draft", "withdrawn"):
                with pytest.raises(NotFound):
                    ckan.action.package_show(id=site.codes[hidden])


def test_remote_ckan_searches_with_q_fq_rows_start_and_sort(site: Site) -> None:
    with RemoteCKAN(site.url) as ckan:
        found = ckan.action.package_search(q="集装箱")
        assert [p["name"] for p in found["results"]] == [site.codes["open"].lower()]
        rail = ckan.action.package_search(fq=f"organization:{site.holders['rail']}", sort="title_string asc")
        assert [p["title"] for p in rail["results"]] == sorted(["铁路货运站到发量", "铁路集疏运车辆"])
        assert ckan.action.package_search(fq="groups:infra-rail")["count"] == 1
        assert ckan.action.package_search(fq="res_format:CSV")["count"] == 1
        everything = ckan.action.package_search(sort="metadata_modified desc", rows=1000)
        assert everything["count"] == len(PUBLISHED)
        paged = [
            ckan.action.package_search(sort="metadata_modified desc", rows=1, start=n)["results"][0]["name"]
            for n in range(len(PUBLISHED))
        ]
        assert paged == [p["name"] for p in everything["results"]]
        faceted = ckan.call_action(
            "package_search", {"facet.field": ["organization", "license_id"], "rows": 0}
        )
        assert faceted["facets"]["organization"] == {
            site.orgs["rail"]: 2,
            site.orgs["port"]: 1,
        }
        assert faceted["facets"]["license_id"] == {"other-closed": 2, "cc-by": 1}
        with pytest.raises(ValidationError):
            ckan.action.package_search(rows=1001)
        with pytest.raises(ValidationError):
            ckan.action.package_search(sort="popularity desc")


def test_remote_ckan_reads_organizations(site: Site) -> None:
    with RemoteCKAN(site.url) as ckan:
        assert sorted(ckan.action.organization_list()) == sorted(site.orgs.values())
        detailed = ckan.action.organization_list(all_fields=True)
        assert {o["title"]: o["package_count"] for o in detailed} == {"北部湾港集团": 1, "南宁铁路物流": 2}
        shown = ckan.action.organization_show(id=site.holders["rail"], include_datasets=True)
        assert shown["title"] == "南宁铁路物流" and shown["name"] == site.orgs["rail"]
        assert ckan.action.organization_show(id=site.orgs["rail"])["id"] == site.holders["rail"]
        assert sorted(p["name"] for p in shown["packages"]) == sorted(
            site.codes[k].lower() for k in ("rail", "vehicle")
        )
        with pytest.raises(NotFound):
            ckan.action.organization_show(id="no-such-organization")


def _dump(site: Site, kind: str, folder: Path) -> list[dict[str, Any]]:
    """``ckanapi dump <kind> --all`` against the site: the records it wrote."""
    out = folder / f"{kind}.jsonl"
    # dump starts its worker processes as ``ckanapi`` from the PATH
    path = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    dump = subprocess.run(
        [str(CKANAPI), "dump", kind, "--all", "-r", site.url, "-O", str(out), "-p", "1", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=path,
    )
    assert dump.returncode == 0, dump.stderr + dump.stdout
    return [json.loads(line) for line in out.read_text().splitlines() if line.strip()]


def test_ckanapi_command_line(site: Site, tmp_path: Path) -> None:
    action = subprocess.run(
        [str(CKANAPI), "action", "package_search", "-r", site.url, "q=集装箱", "rows:5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(action.stdout)
    assert [p["name"] for p in result["results"]] == [site.codes["open"].lower()]

    dumped = _dump(site, "datasets", tmp_path)
    assert sorted(d["name"] for d in dumped) == sorted(site.codes[k].lower() for k in PUBLISHED)
    assert all(d["type"] == "dataset" and d["organization"]["title"] for d in dumped)

    # issue 15 point 5: ``ckanapi dump groups`` failed (group_list / group_show were missing)
    assert {"infra", "veh"} <= {g["name"] for g in _dump(site, "groups", tmp_path)}


def test_remote_ckan_reads_groups_tags_and_the_other_actions(site: Site) -> None:
    for get_only in (False, True):
        with RemoteCKAN(site.url, get_only=get_only) as ckan:
            names = ckan.action.group_list()
            assert "infra" in names and "veh" in names and "infra-rail" not in names
            groups = ckan.action.group_list(all_fields=True, sort="package_count desc")
            counts = {g["name"]: g["package_count"] for g in groups}
            assert (counts["veh"], counts["infra"]) == (2, 1)  # the draft and the withdrawn one not counted
            shown = ckan.action.group_show(id="infra", include_datasets=True)
            assert [p["name"] for p in shown["packages"]] == [site.codes["rail"].lower()]
            assert ckan.action.status_show()["ckan_version"].startswith("2.10")
            assert ckan.action.site_read() is True
            assert "集装箱" in ckan.action.tag_list()
            assert ckan.action.help_show(name="group_list")
            recent = ckan.action.recently_changed_packages_activity_list(limit=10)
            assert {a["data"]["package"]["name"] for a in recent} == {
                site.codes[k].lower() for k in PUBLISHED
            }
            with pytest.raises(NotFound):
                ckan.action.group_show(id="no-such-group")


@pytest.mark.parametrize("thing", ["groups", "organizations"])
def test_ckanapi_dumps_groups_and_organizations(site: Site, tmp_path: Path, thing: str) -> None:
    out = tmp_path / f"{thing}.jsonl"
    path = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    dump = subprocess.run(
        [str(CKANAPI), "dump", thing, "--all", "-r", site.url, "-O", str(out), "-p", "1", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=path,
    )
    assert dump.returncode == 0, dump.stderr + dump.stdout
    dumped = {
        d["name"]: d for d in (json.loads(line) for line in out.read_text().splitlines() if line.strip())
    }
    if thing == "organizations":
        assert set(dumped) == set(site.orgs.values())
        assert all(d["is_organization"] for d in dumped.values())
    else:
        assert {"veh", "infra"} <= set(dumped)
        assert dumped["infra"]["package_count"] == 1 and not dumped["infra"]["is_organization"]
