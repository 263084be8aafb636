"""DCAT-AP 3 export (public): the catalogue and each published resource as JSON-LD or Turtle."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from logispace.domains.catalog.dcat import graph as dcat
from logispace.domains.catalog.dcat import service as dcat_service
from logispace.domains.catalog.schemas import CatalogCode
from logispace.domains.identity import MaybePrincipal
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/catalog", tags=["catalog"])

JSONLD = "application/ld+json"
TURTLE = "text/turtle"


def _doc(media: str, what: str) -> dict[int | str, dict[str, Any]]:
    schema = {"type": "object"} if media == JSONLD else {"type": "string"}  # JSON-LD is a JSON object
    return {200: {"content": {media: {"schema": schema}}, "description": what}}


def _base(request: Request) -> str:
    return str(request.base_url)


@router.get(
    "/dcat.jsonld",
    summary="The public catalogue as DCAT-AP 3 JSON-LD (public)",
    response_class=Response,
    responses=_doc(JSONLD, "DCAT-AP 3 catalogue"),
)
def catalog_jsonld(request: Request, db: DbSession, p: MaybePrincipal) -> Response:
    graph = dcat.catalog_graph(dcat_service.public_catalog(db), _base(request))
    return Response(dcat.to_jsonld(graph), media_type=JSONLD)


@router.get(
    "/dcat.ttl",
    summary="The public catalogue as DCAT-AP 3 Turtle (public)",
    response_class=Response,
    responses=_doc(TURTLE, "DCAT-AP 3 catalogue"),
)
def catalog_turtle(request: Request, db: DbSession, p: MaybePrincipal) -> Response:
    graph = dcat.catalog_graph(dcat_service.public_catalog(db), _base(request))
    return Response(dcat.to_turtle(graph), media_type=f"{TURTLE}; charset=utf-8")


@router.get(
    "/resources/{code}/dcat.jsonld",
    summary="A published resource as a DCAT-AP 3 dataset, JSON-LD (public)",
    response_class=Response,
    responses=_doc(JSONLD, "DCAT-AP 3 dataset"),
)
def resource_jsonld(request: Request, db: DbSession, p: MaybePrincipal, code: CatalogCode) -> Response:
    record = dcat_service.public_resource(db, code)
    graph = dcat.resource_graph(record, dcat_service.categories(db), _base(request))
    return Response(dcat.to_jsonld(graph), media_type=JSONLD)


@router.get(
    "/resources/{code}/dcat.ttl",
    summary="A published resource as a DCAT-AP 3 dataset, Turtle (public)",
    response_class=Response,
    responses=_doc(TURTLE, "DCAT-AP 3 dataset"),
)
def resource_turtle(request: Request, db: DbSession, p: MaybePrincipal, code: CatalogCode) -> Response:
    record = dcat_service.public_resource(db, code)
    graph = dcat.resource_graph(record, dcat_service.categories(db), _base(request))
    return Response(dcat.to_turtle(graph), media_type=f"{TURTLE}; charset=utf-8")
