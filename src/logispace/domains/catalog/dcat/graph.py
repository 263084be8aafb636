"""DCAT-AP 3 (数据目录互操作): the public catalogue as an RDF graph, serialized as JSON-LD or Turtle.

Pure: :func:`catalog_graph` takes plain :class:`DcatResource` records (built by
:mod:`.service`) and the server's base URL, and returns an :class:`rdflib.Graph` that
conforms to the DCAT-AP 3.0.1 SHACL shapes:

* the catalogue (``dcat:Catalog``) published by the platform, one ``dcat:Dataset`` per published
  resource with its catalogue code as ``dct:identifier``, Chinese title and description
  (``@zh``), keywords, theme (a ``skos:Concept`` of the category scheme, which is in the graph),
  publisher (the holder party, ``foaf:Agent``), contact point (``vcard:Kind``), spatial and
  temporal coverage, update frequency (EU frequency vocabulary) and access rights (EU
  access-right vocabulary: 无条件开放 PUBLIC, 有条件开放 RESTRICTED, 不予开放 NON_PUBLIC);
* for a resource with stored data, its newest version: open data as a CSV and a Parquet
  ``dcat:Distribution`` with download URLs, byte size and SHA-256 checksum; other data as one
  distribution whose access URL is the resource's page (where access is requested).

The vocabulary terms used are typed in the graph (``dct:Frequency`` ...), so the range shapes
hold without loading the EU vocabularies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from logispace.domains.catalog.enums import OpenType, UpdateFrequency

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU_FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
LICENSE_CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

FREQUENCIES = {
    UpdateFrequency.REALTIME: "UPDATE_CONT",
    UpdateFrequency.HOURLY: "HOURLY",
    UpdateFrequency.DAILY: "DAILY",
    UpdateFrequency.WEEKLY: "WEEKLY",
    UpdateFrequency.MONTHLY: "MONTHLY",
    UpdateFrequency.QUARTERLY: "QUARTERLY",
    UpdateFrequency.YEARLY: "ANNUAL",
    UpdateFrequency.IRREGULAR: "IRREG",
    UpdateFrequency.STATIC: "NEVER",
}
ACCESS_RIGHTS = {
    OpenType.UNCONDITIONAL: "PUBLIC",
    OpenType.CONDITIONAL: "RESTRICTED",
    OpenType.NOT_OPENED: "NON_PUBLIC",
}
FORMATS = {"csv": ("CSV", "text/csv"), "parquet": ("PARQUET", "application/vnd.apache.parquet")}

CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "xsd": str(XSD),
}


@dataclass(frozen=True)
class DcatData:
    """The newest stored version of a resource's data."""

    version: int
    object_sha256: str
    object_size: int
    row_count: int
    uploaded_at: datetime


@dataclass(frozen=True)
class DcatResource:
    """What the export needs of one published resource."""

    code: str
    name: str
    description: str
    keywords: Sequence[str]
    category_code: str
    holder_id: str
    holder_name: str
    update_frequency: UpdateFrequency
    open_type: OpenType
    open_conditions: str | None
    spatial_coverage: str | None
    temporal_start: date | None
    temporal_end: date | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    published_at: datetime | None
    updated_at: datetime
    data: DcatData | None = None


@dataclass(frozen=True)
class DcatCategory:
    code: str
    name_zh: str
    name_en: str
    parent_code: str | None


@dataclass(frozen=True)
class DcatCatalog:
    """The catalogue's own description and its parts."""

    title: str
    description: str
    publisher_name: str
    resources: Sequence[DcatResource]
    categories: Sequence[DcatCategory] = field(default_factory=tuple)


class _Iris:
    """The IRIs of catalogue things under the server's base URL."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def catalog(self) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/dcat")

    def platform(self) -> URIRef:
        return URIRef(f"{self.base}/#platform")

    def scheme(self) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/categories")

    def category(self, code: str) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/categories#{code}")

    def party(self, party_id: str) -> URIRef:
        return URIRef(f"{self.base}/api/v1/parties/{party_id}")

    def dataset(self, code: str) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/resources/{code}")

    def page(self, code: str) -> URIRef:
        return URIRef(f"{self.base}/catalog/resources/{code}")

    def distribution(self, code: str, version: int, fmt: str) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/resources/{code}/distributions/{version}#{fmt}")

    def download(self, code: str, fmt: str) -> URIRef:
        return URIRef(f"{self.base}/api/v1/catalog/resources/{code}/download.{fmt}")


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, iri in CONTEXT.items():
        graph.bind(prefix, Namespace(iri))
    return graph


def _when(moment: datetime | date) -> Literal:
    if isinstance(moment, datetime):
        return Literal(moment.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(moment.isoformat(), datatype=XSD.date)


def _add_vocabulary(graph: Graph) -> None:
    """Type the controlled-vocabulary terms in use, as the EU vocabularies do."""
    for code in FREQUENCIES.values():
        graph.add((EU_FREQ[code], RDF.type, DCTERMS.Frequency))
    for code in ACCESS_RIGHTS.values():
        graph.add((EU_ACCESS[code], RDF.type, DCTERMS.RightsStatement))
    for file_type, media in FORMATS.values():
        graph.add((EU_FILE_TYPE[file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((IANA[media], RDF.type, DCTERMS.MediaType))
    graph.add((LICENSE_CC_BY, RDF.type, DCTERMS.LicenseDocument))


def _add_scheme(graph: Graph, iris: _Iris, categories: Sequence[DcatCategory]) -> None:
    scheme = iris.scheme()
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("物流公共数据分类", lang="zh")))
    graph.add((scheme, DCTERMS.title, Literal("Logistics public data categories", lang="en")))
    for c in categories:
        concept = iris.category(c.code)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(c.name_zh, lang="zh")))
        graph.add((concept, SKOS.prefLabel, Literal(c.name_en, lang="en")))
        graph.add((concept, SKOS.notation, Literal(c.code)))
        graph.add((concept, SKOS.inScheme, scheme))
        if c.parent_code is None:
            graph.add((scheme, SKOS.hasTopConcept, concept))
        else:
            graph.add((concept, SKOS.broader, iris.category(c.parent_code)))


def _add_agent(graph: Graph, iri: URIRef, name: str) -> URIRef:
    graph.add((iri, RDF.type, FOAF.Agent))
    graph.add((iri, FOAF.name, Literal(name, lang="zh")))
    return iri


def _add_contact(graph: Graph, r: DcatResource) -> BNode | None:
    if not (r.contact_name or r.contact_email or r.contact_phone):
        return None
    contact = BNode(f"contact-{r.code}")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(r.contact_name or r.holder_name)))
    if r.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{r.contact_email}")))
    if r.contact_phone:
        graph.add((contact, VCARD.hasTelephone, URIRef(f"tel:{r.contact_phone.replace(' ', '')}")))
    return contact


def _add_distributions(graph: Graph, iris: _Iris, r: DcatResource, dataset: URIRef) -> None:
    data = r.data
    if data is None:
        return
    access = EU_ACCESS[ACCESS_RIGHTS[r.open_type]]
    if r.open_type is not OpenType.UNCONDITIONAL:
        dist = iris.distribution(r.code, data.version, "request")
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.accessURL, iris.page(r.code)))
        graph.add((dist, DCTERMS.title, Literal(f"{r.name}（第 {data.version} 版，需申请）", lang="zh")))
        graph.add((dist, DCTERMS.rights, access))
        graph.add((dist, DCTERMS.modified, _when(data.uploaded_at)))
        if r.open_conditions:
            graph.add((dist, DCTERMS.description, Literal(r.open_conditions, lang="zh")))
        return
    for fmt, (file_type, media) in FORMATS.items():
        dist = iris.distribution(r.code, data.version, fmt)
        download = iris.download(r.code, fmt)
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.accessURL, download))
        graph.add((dist, DCAT.downloadURL, download))
        graph.add((dist, DCTERMS.title, Literal(f"{r.name}（第 {data.version} 版，{file_type}）", lang="zh")))
        graph.add((dist, DCTERMS.format, EU_FILE_TYPE[file_type]))
        graph.add((dist, DCAT.mediaType, IANA[media]))
        graph.add((dist, DCTERMS.license, LICENSE_CC_BY))
        graph.add((dist, DCTERMS.rights, access))
        graph.add((dist, DCTERMS.modified, _when(data.uploaded_at)))
        if fmt == "parquet":  # the stored object itself: its size and digest are known exactly
            graph.add((dist, DCAT.byteSize, Literal(data.object_size, datatype=XSD.nonNegativeInteger)))
            checksum = BNode(f"sha256-{data.object_sha256}")
            graph.add((dist, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(data.object_sha256, datatype=XSD.hexBinary)))
    graph.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))


def _add_dataset(graph: Graph, iris: _Iris, r: DcatResource) -> URIRef:
    dataset = iris.dataset(r.code)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(r.code)))
    graph.add((dataset, DCTERMS.title, Literal(r.name, lang="zh")))
    graph.add((dataset, DCTERMS.description, Literal(r.description or r.name, lang="zh")))
    for word in r.keywords:
        if word.strip():
            graph.add((dataset, DCAT.keyword, Literal(word.strip(), lang="zh")))
    graph.add((dataset, DCAT.theme, iris.category(r.category_code)))
    graph.add((dataset, DCTERMS.publisher, _add_agent(graph, iris.party(r.holder_id), r.holder_name)))
    graph.add((dataset, DCAT.landingPage, iris.page(r.code)))
    graph.add((iris.page(r.code), RDF.type, FOAF.Document))
    graph.add((dataset, DCTERMS.accrualPeriodicity, EU_FREQ[FREQUENCIES[r.update_frequency]]))
    graph.add((dataset, DCTERMS.accessRights, EU_ACCESS[ACCESS_RIGHTS[r.open_type]]))
    if r.published_at is not None:
        graph.add((dataset, DCTERMS.issued, _when(r.published_at)))
    graph.add((dataset, DCTERMS.modified, _when(r.updated_at)))
    contact = _add_contact(graph, r)
    if contact is not None:
        graph.add((dataset, DCAT.contactPoint, contact))
    if r.spatial_coverage:
        place = BNode(f"spatial-{r.code}")
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, SKOS.prefLabel, Literal(r.spatial_coverage, lang="zh")))
        graph.add((dataset, DCTERMS.spatial, place))
    if r.temporal_start or r.temporal_end:
        period = BNode(f"temporal-{r.code}")
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if r.temporal_start:
            graph.add((period, DCAT.startDate, _when(r.temporal_start)))
        if r.temporal_end:
            graph.add((period, DCAT.endDate, _when(r.temporal_end)))
        graph.add((dataset, DCTERMS.temporal, period))
    _add_distributions(graph, iris, r, dataset)
    return dataset


def catalog_graph(catalog: DcatCatalog, base_url: str) -> Graph:
    """The whole public catalogue as a DCAT-AP 3 graph."""
    iris = _Iris(base_url)
    graph = _new_graph()
    _add_vocabulary(graph)
    _add_scheme(graph, iris, catalog.categories)
    node = iris.catalog()
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, Literal(catalog.title, lang="zh")))
    graph.add((node, DCTERMS.description, Literal(catalog.description, lang="zh")))
    graph.add((node, DCTERMS.publisher, _add_agent(graph, iris.platform(), catalog.publisher_name)))
    graph.add((node, FOAF.homepage, URIRef(f"{iris.base}/catalog")))
    graph.add((URIRef(f"{iris.base}/catalog"), RDF.type, FOAF.Document))
    graph.add((node, DCAT.themeTaxonomy, iris.scheme()))
    for resource in catalog.resources:
        graph.add((node, DCAT.dataset, _add_dataset(graph, iris, resource)))
    if catalog.resources:
        graph.add((node, DCTERMS.modified, _when(max(r.updated_at for r in catalog.resources))))
    return graph


def resource_graph(resource: DcatResource, categories: Sequence[DcatCategory], base_url: str) -> Graph:
    """One resource as a DCAT-AP 3 dataset, with the category scheme its theme belongs to."""
    iris = _Iris(base_url)
    graph = _new_graph()
    _add_vocabulary(graph)
    _add_scheme(graph, iris, categories)
    _add_dataset(graph, iris, resource)
    return graph


def to_jsonld(graph: Graph) -> str:
    """JSON-LD with a compact context of the prefixes in use."""
    return graph.serialize(format="json-ld", context=CONTEXT, indent=1)


def to_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")
