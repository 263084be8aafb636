"""EPCIS event hash ID (事件哈希标识): the CBV 2.0 event hash, ``ni:///sha-256;<hex>?ver=CBV2.0``.

Written from the algorithm as GS1 describes it (CBV 2.0 §8.9 and the GS1 "EPCIS Event Hash
Generator" description, its CBV 2.0 behaviour): the event's fields are written in the canonical
property order (eventTime, eventTimeZoneOffset, epcList, parentID, ..., sensorElement, ilmd) into a
pre-hash string ``name=value`` with no separators, user extensions last (also those inside
readPoint, bizLocation and the sensor elements, written after the name of the field that holds
them, e.g. ``readPoint{ns}name=v``); values are normalised first (timestamps to UTC with
milliseconds, EPC URNs, class URNs, ID patterns and GS1 Digital Link URIs on any domain to
canonical ``https://id.gs1.org`` Digital Link URIs, CBV words and URNs to GS1 Web URIs, numbers
without trailing zeros, compact IRIs expanded); the elements of every list are sorted;
``eventID``, ``recordTime``, ``errorDeclaration``, ``certificationInfo`` (not in the CBV 2.0
canonical property order), comments and JSON-LD keywords are left out. Every other member counts,
also the plain-named members nested in a user extension, each written with its prefix expanded to
``{namespace}name``. The SHA-256 of the UTF-8 pre-hash string is the ID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from logispace.domains.logistics.epcis.identifiers import (
    CBV_BASE,
    cbv_uri,
    epc_to_digital_link,
    gs1_voc_uri,
)

STANDARD_PREFIXES = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda",
    "gs1": "https://ref.gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
IGNORED = frozenset({"eventID", "recordTime", "type", "rdfs:comment", "comment"})
# Left out of the event hash at the top level: an error declaration is the same event declared
# erroneous, and carries the erroneous event's hash as its eventID (CBV 2.0 §8.9).
# certificationInfo (EPCIS 2.0) is not in the CBV 2.0 canonical property order, so it is left out too.
TOP_LEVEL_IGNORED = IGNORED | {"errorDeclaration", "certificationInfo"}
_COMMENTS = frozenset({"rdfs:comment", "comment"})

_EPC_LISTS = ("epcList", "parentID", "inputEPCList", "childEPCs")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
_ORDER: tuple[str, ...] = (
    "eventTime",
    "eventTimeZoneOffset",
    *_EPC_LISTS,
    *_QUANTITY_LISTS,
    "outputEPCList",
    "outputQuantityList",
    "action",
    "transformationID",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "ilmd",
)
_KNOWN = frozenset(_ORDER) | TOP_LEVEL_IGNORED
# Standard fields whose members may carry user extensions; those go to the extension part.
_EXTENSION_POINTS = ("readPoint", "bizLocation", "sensorElementList")

_SENSOR_METADATA = (
    "time",
    "startTime",
    "endTime",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
)
_SENSOR_REPORT = (
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "time",
    "microorganism",
    "chemicalSubstance",
    "value",
    "component",
    "stringValue",
    "booleanValue",
    "hexBinaryValue",
    "uriValue",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
    "uom",
    "coordinateReferenceSystem",
)
_TIME_FIELDS = frozenset({"eventTime", "time", "startTime", "endTime", "declarationTime"})


@lru_cache(maxsize=8192)
def timestamp(value: str) -> str:
    """An ISO 8601 timestamp in UTC with exactly three decimals (half-up rounding), ``Z``."""
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    main, dot, rest = text.partition(".")
    fraction = "0"
    offset = ""
    if dot:
        digits = ""
        for i, ch in enumerate(rest):
            if not ch.isdigit():
                offset = rest[i:]
                break
            digits += ch
        fraction = digits or "0"
        text = main + offset
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    millis = (Decimal("0." + fraction) * 1000).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    moment = parsed.astimezone(UTC).replace(microsecond=0) + timedelta(milliseconds=int(millis))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def number(value: Any) -> str:
    """A number without trailing zeros (``1.50`` -> ``1.5``, ``2.0`` -> ``2``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        return str(value).strip()
    text = format(dec.normalize(), "f")
    return "0" if text in ("-0", "") else text


_NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CBV_URNS = {
    "urn:epcglobal:cbv:bizstep:": "BizStep-",
    "urn:epcglobal:cbv:disp:": "Disp-",
    "urn:epcglobal:cbv:btt:": "BTT-",
    "urn:epcglobal:cbv:sdt:": "SDT-",
    "urn:epcglobal:cbv:er:": "ER-",
}


def _scalar(value: Any) -> str:
    """A leaf value as the pre-hash writes it: booleans as ``true``/``false``; numbers, and strings
    that are numbers, without trailing zeros; old CBV URNs as GS1 Web URIs; EPC URNs and GS1
    Digital Link URIs on any domain as canonical Digital Link URIs; other text trimmed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    text = str(value).strip()
    if _NUMERIC.match(text):
        return number(text)
    for urn, prefix in _CBV_URNS.items():
        if text.startswith(urn):
            return CBV_BASE + prefix + text[len(urn) :]
    return epc_to_digital_link(text)


class PreHash:
    """Builds the pre-hash string of one event, given the prefixes of its JSON-LD context."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = {**STANDARD_PREFIXES, **prefixes}

    def expand(self, key: str) -> str:
        """``ex:field`` -> ``{http://ex/}field``; full IRIs in braces; unknown prefixes kept."""
        prefix, colon, local = key.partition(":")
        if colon and prefix in self.prefixes and not local.startswith("//"):
            return "{" + self.prefixes[prefix] + "}" + local
        if colon:
            iri = key
            for sep in ("#", "/"):
                head, found, tail = iri.rpartition(sep)
                if found and tail:
                    return "{" + head + sep + "}" + tail
        return key

    def event(self, event: Mapping[str, Any]) -> str:
        out = [f"eventType={event.get('type', '')}"]
        for name in _ORDER:
            if name in event:
                out.append(self.field(name, event[name]))
        # The extension part: those inside standard fields first, in the canonical order, then the
        # event's own, sorted.
        out.extend(self.nested_extensions(name, event[name]) for name in _EXTENSION_POINTS if name in event)
        out.append(self.extensions(event, _KNOWN))
        return "".join(out)

    def nested_extensions(self, name: str, value: Any) -> str:
        """The user extensions inside a standard field with an extension point, written after the
        field's name (``readPoint{ns}local=v``); each sensor element as ``sensorElement`` with its
        metadata's and reports' extensions. Empty when the field holds none."""
        if name in ("readPoint", "bizLocation") and isinstance(value, Mapping):
            inner = self.extensions(value, frozenset({"id"}))
            return name + inner if inner else ""
        if name == "sensorElementList" and isinstance(value, list):
            blocks = [self.sensor_element_extensions(e) for e in value if isinstance(e, Mapping)]
            return "".join(sorted(b for b in blocks if b))
        return ""

    def sensor_element_extensions(self, element: Mapping[str, Any]) -> str:
        parts = []
        meta = element.get("sensorMetadata")
        if isinstance(meta, Mapping) and (inner := self.extensions(meta, frozenset(_SENSOR_METADATA))):
            parts.append("sensorMetadata" + inner)
        reports = [r for r in element.get("sensorReport") or [] if isinstance(r, Mapping)]
        inners = [self.extensions(r, frozenset(_SENSOR_REPORT)) for r in reports]
        parts.extend(sorted("sensorReport" + i for i in inners if i))
        parts.append(self.extensions(element, frozenset({"sensorMetadata", "sensorReport"})))
        body = "".join(parts)
        return "sensorElement" + body if body else ""

    def value(self, item: Any) -> str:
        """A leaf value; a compact IRI whose prefix the context defines is expanded first."""
        if isinstance(item, str):
            prefix, colon, local = item.strip().partition(":")
            if colon and prefix in self.prefixes and not local.startswith("//"):
                return _scalar(self.prefixes[prefix] + local)
        return _scalar(item)

    def field(self, name: str, value: Any) -> str:
        if name in _TIME_FIELDS and isinstance(value, str):
            return f"{name}={timestamp(value)}"
        if name in ("epcList", "inputEPCList", "childEPCs", "outputEPCList"):
            return name + "".join(sorted(f"epc={epc_to_digital_link(str(v))}" for v in value))
        if name == "parentID":
            return f"parentID={epc_to_digital_link(str(value))}"
        if name in (*_QUANTITY_LISTS, "outputQuantityList"):
            return name + "".join(sorted(self.quantity(q) for q in value))
        if name in ("bizStep", "disposition"):
            return f"{name}={cbv_uri(name, str(value))}"
        if name in ("readPoint", "bizLocation"):
            return f"{name}id={epc_to_digital_link(str(value.get('id', '')))}"
        if name == "persistentDisposition":
            parts = [f"{k}={cbv_uri(k, str(v))}" for k in ("set", "unset") for v in value.get(k, [])]
            return name + "".join(sorted(parts))
        if name == "bizTransactionList":
            return name + "".join(
                sorted(self.typed(t, "bizTransaction", "bizTransactionType") for t in value)
            )
        if name in ("sourceList", "destinationList"):
            child = name.removesuffix("List")
            return name + "".join(sorted(self.typed(t, child, "sourceDestType") for t in value))
        if name == "sensorElementList":
            # CBV 2.0 writes each element as ``sensorElement...``, without the list's name.
            return "".join(sorted(self.sensor_element(e) for e in value))
        if name == "ilmd":
            return name + self.extensions(value, frozenset())
        if isinstance(value, Mapping):
            return name + self.extensions(value, frozenset())
        if isinstance(value, list):
            return "".join(sorted(f"{name}={self.value(v)}" for v in value))
        return f"{name}={self.value(value)}"

    def quantity(self, element: Mapping[str, Any]) -> str:
        parts = [f"epcClass={epc_to_digital_link(str(element.get('epcClass', '')))}"]
        if "quantity" in element:
            parts.append(f"quantity={number(element['quantity'])}")
        if "uom" in element:
            parts.append(f"uom={element['uom']}")
        return "quantityElement" + "".join(parts)

    def typed(self, element: Mapping[str, Any], child: str, vocabulary: str) -> str:
        head = f"type={cbv_uri(vocabulary, str(element['type']))}" if "type" in element else ""
        return head + f"{child}={epc_to_digital_link(str(element.get(child, '')))}"

    def sensor_element(self, element: Mapping[str, Any]) -> str:
        out = "sensorElement"
        meta = element.get("sensorMetadata")
        if isinstance(meta, Mapping):
            out += "sensorMetadata" + self.ordered(meta, _SENSOR_METADATA)
        reports = element.get("sensorReport") or []
        return out + "".join(sorted("sensorReport" + self.ordered(r, _SENSOR_REPORT) for r in reports))

    def ordered(self, value: Mapping[str, Any], order: tuple[str, ...]) -> str:
        convert: dict[str, Callable[[Any], str]] = {
            "type": lambda v: gs1_voc_uri(str(v)),
            "exception": lambda v: gs1_voc_uri(str(v)),
            "component": lambda v: cbv_uri("component", str(v)),
        }
        parts = []
        for name in order:
            if name not in value:
                continue
            v = value[name]
            if name in _TIME_FIELDS:
                text = timestamp(str(v))
            elif name in convert:
                text = convert[name](v)
            elif name in ("deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"):
                text = epc_to_digital_link(str(v))
            else:
                text = self.value(v)
            parts.append(f"{name}={text}")
        return "".join(parts)

    def extensions(self, value: Mapping[str, Any], known: frozenset[str]) -> str:
        """Every member of ``value`` not in ``known``, sorted: user extensions (a prefixed key as
        ``{namespace}local``) and, inside them, members with plain names, which are data too."""
        parts = []
        for key, item in value.items():
            if key in known or key.startswith("@") or key in _COMMENTS:
                continue
            parts.append(self.extension(self.expand(key), item))
        return "".join(sorted(parts))

    def extension(self, name: str, item: Any) -> str:
        if isinstance(item, Mapping):
            return name + self.extensions(item, frozenset())
        if isinstance(item, list):
            return "".join(sorted(self.extension(name, i) for i in item))
        return f"{name}={self.value(item)}"


def context_prefixes(context: Any) -> dict[str, str]:
    """The prefix -> IRI definitions of a JSON-LD ``@context`` (strings in its objects)."""
    found: dict[str, str] = {}
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, Mapping):
            for key, value in item.items():
                if isinstance(value, str) and not key.startswith("@"):
                    found[key] = value
    return found


def pre_hash(event: Mapping[str, Any], prefixes: Mapping[str, str] | None = None) -> str:
    """The canonical pre-hash string of ``event``."""
    return PreHash(prefixes or {}).event(event)


def event_hash_id(event: Mapping[str, Any], prefixes: Mapping[str, str] | None = None) -> str:
    """The CBV 2.0 event hash ID of ``event``."""
    digest = hashlib.sha256(pre_hash(event, prefixes).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"
