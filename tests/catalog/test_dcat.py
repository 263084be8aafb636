"""DCAT-AP 3 export: the public catalogue validates against the DCAT-AP 3.0.1 SHACL shapes
(pyshacl), shows published resources only, and maps frequencies, access rights and data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from sqlalchemy.orm import Session

from logispace.domains.catalog import service
from logispace.domains.catalog.dcat.graph import EU_ACCESS, EU_FREQ, SPDX
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM
from logispace.storage import LocalObjectStore, UploadFormat
from tests.conftest import World
from tests.data import DATA
from tests.factories.catalog import make_resource

SHAPES_FILE = DATA / "dcat-ap-3.0.1" / "dcat-ap-SHACL.ttl"
API = "/api/v1/catalog"
BASE = "http://testserver"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # plain namespaces: pytest probes module attributes
DCTERMS = Namespace("http://purl.org/dc/terms/")
OPEN = {
    "grade": "general_other",
    "fields": [{"name": "plate_no", "title": "车牌号码", "type": "string"}],
    "sharing_type": "unconditional",
    "sharing_conditions": None,
    "open_type": "unconditional",
    "open_conditions": None,
    "update_frequency": "weekly",
}
CSV = "plate_no,city\n桂A12345,南宁\n渝B54321,重庆\n".encode()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes)
    return bool(ok), str(text)


@pytest.fixture
def codes(db: Session, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Published open (with data), published conditional (with data), published without data,
    a draft and a withdrawn resource, of two parties."""
    monkeypatch.setenv("LOGISPACE_OBJECTS_DIR", str(tmp_path / "objects"))
    store = LocalObjectStore(tmp_path / "objects")
    a, b = world.a_admin.party_id, world.b_admin.party_id
    made = {
        "open": make_resource(db, b, publish=True, **OPEN).catalog_code,
        "conditional": make_resource(db, a, publish=True, temporal_start="2024-01-01").catalog_code,
        "no_data": make_resource(
            db,
            a,
            publish=True,
            update_frequency="realtime",
            contact_email=None,
            contact_name=None,
            spatial_coverage=None,
        ).catalog_code,
        "draft": make_resource(db, a).catalog_code,
        "withdrawn": make_resource(db, b, publish=True).catalog_code,
    }
    service.withdraw_resource(db, SYSTEM, made["withdrawn"], "并入其他资源")
    for key in ("open", "conditional"):
        distribution_service.upload(
            db, SYSTEM, made[key], io.BytesIO(CSV), fmt=UploadFormat.CSV, store=store, max_bytes=1 << 20
        )
    db.commit()
    return made


def dataset(code: str) -> URIRef:
    return URIRef(f"{BASE}/api/v1/catalog/resources/{code}")


FORMATS = [("dcat.ttl", "text/turtle", "turtle"), ("dcat.jsonld", "application/ld+json", "json-ld")]


@pytest.mark.parametrize(("path", "media", "fmt"), FORMATS)
def test_the_catalogue_conforms_to_dcat_ap_3_and_shows_published_resources_only(
    client: TestClient, codes: dict[str, str], shapes: Graph, path: str, media: str, fmt: str
) -> None:
    response = client.get(f"{API}/{path}")  # no login
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.text, format=fmt)
    ok, report = conforms(graph, shapes)
    assert ok, report
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    for key in ("open", "conditional", "no_data"):
        assert dataset(codes[key]) in datasets
        assert (dataset(codes[key]), DCTERMS.identifier, Literal(codes[key])) in graph
    for key in ("draft", "withdrawn"):
        assert dataset(codes[key]) not in datasets and codes[key] not in response.text


def test_open_data_has_downloads_with_checksums_and_other_data_is_requested(
    client: TestClient, codes: dict[str, str]
) -> None:
    graph = Graph().parse(data=client.get(f"{API}/dcat.ttl").text, format="turtle")
    open_dists = list(graph.objects(dataset(codes["open"]), DCAT.distribution))
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in open_dists}
    assert downloads == {
        f"{BASE}/api/v1/catalog/resources/{codes['open']}/download.{f}" for f in ("csv", "parquet")
    }
    checksums = [
        graph.value(d, SPDX.checksum) for d in open_dists if graph.value(d, SPDX.checksum) is not None
    ]
    assert len(checksums) == 1 and len(str(graph.value(checksums[0], SPDX.checksumValue))) == 64
    assert graph.value(dataset(codes["open"]), DCTERMS.accessRights) == EU_ACCESS.PUBLIC
    assert graph.value(dataset(codes["open"]), DCTERMS.accrualPeriodicity) == EU_FREQ.WEEKLY
    (requested,) = graph.objects(dataset(codes["conditional"]), DCAT.distribution)
    assert graph.value(requested, DCAT.downloadURL) is None
    assert str(graph.value(requested, DCAT.accessURL)) == f"{BASE}/catalog/resources/{codes['conditional']}"
    assert graph.value(dataset(codes["conditional"]), DCTERMS.accessRights) == EU_ACCESS.RESTRICTED
    assert graph.value(dataset(codes["no_data"]), DCTERMS.accrualPeriodicity) == EU_FREQ.UPDATE_CONT
    assert list(graph.objects(dataset(codes["no_data"]), DCAT.distribution)) == []


@pytest.mark.parametrize(("suffix", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_one_published_resource_conforms_and_anything_else_is_not_found(
    client: TestClient, world: World, codes: dict[str, str], shapes: Graph, suffix: str, fmt: str
) -> None:
    response = client.get(f"{API}/resources/{codes['open']}/dcat.{suffix}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    ok, report = conforms(graph, shapes)
    assert ok, report
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset(codes["open"])}
    for key in ("draft", "withdrawn"):
        for headers in ({}, world.a_admin.headers, world.b_admin.headers):  # the holder too: a public export
            missing = client.get(f"{API}/resources/{codes[key]}/dcat.{suffix}", headers=headers)
            assert missing.status_code == 404 and missing.json()["status"] == 404
    assert client.get(f"{API}/resources/WL0000000000/dcat.{suffix}").status_code == 404


def test_the_validation_can_fail(client: TestClient, codes: dict[str, str], shapes: Graph) -> None:
    """The shapes are really applied: a dataset without a title, or a frequency that is not a
    dct:Frequency, does not conform."""
    text = client.get(f"{API}/dcat.ttl").text
    untitled = Graph().parse(data=text, format="turtle")
    untitled.remove((dataset(codes["open"]), DCTERMS.title, None))
    ok, report = conforms(untitled, shapes)
    assert not ok and "title" in report
    wrong_range = Graph().parse(data=text, format="turtle")
    wrong_range.remove((EU_FREQ.WEEKLY, RDF.type, DCTERMS.Frequency))
    assert not conforms(wrong_range, shapes)[0]
