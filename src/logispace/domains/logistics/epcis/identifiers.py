"""EPC identifiers (电子产品代码): EPC URNs to their canonical GS1 Digital Link form, CBV words to URIs.

Used by the event hash (CBV 2.0 §8.9) and by the EPC link table so that a query by URN finds an
event captured with Digital Link URIs and the other way round. Schemes not listed stay as given.
"""

from __future__ import annotations

from functools import lru_cache

DL_BASE = "https://id.gs1.org"
CBV_BASE = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

# CBV vocabulary field -> prefix of its GS1 Web URI term (CBV 2.0 §8.2).
CBV_PREFIX = {
    "bizStep": "BizStep-",
    "disposition": "Disp-",
    "set": "Disp-",
    "unset": "Disp-",
    "bizTransactionType": "BTT-",
    "sourceDestType": "SDT-",
    "reason": "ER-",
    "component": "Comp-",
}
# Old URN forms of the same vocabularies (EPCIS 1.x): urn:epcglobal:cbv:<kind>:<word>.
_CBV_URN_KIND = {
    "bizstep": "BizStep-",
    "disp": "Disp-",
    "btt": "BTT-",
    "sdt": "SDT-",
    "er": "ER-",
}


def check_digit(digits: str) -> str:
    """GS1 mod-10 check digit of ``digits`` (weights 3,1,3,... from the right)."""
    backwards = digits[::-1]
    total = 3 * sum(map(int, backwards[0::2])) + sum(map(int, backwards[1::2]))
    return str((10 - total % 10) % 10)


def _parts(value: str, count: int) -> list[str] | None:
    parts = value.split(".")
    if len(parts) != count:
        return None
    return parts


def _numeric(*parts: str) -> bool:
    return all(p.isdigit() for p in parts)


@lru_cache(maxsize=65536)
def epc_to_digital_link(value: str) -> str:
    """The canonical GS1 Digital Link URI of an EPC URN; anything else is returned unchanged."""
    value = value.strip()
    for prefix in ("urn:epc:id:", "urn:epc:class:"):
        if value.startswith(prefix):
            scheme, _, rest = value[len(prefix) :].partition(":")
            converted = _convert(scheme, rest)
            return converted if converted is not None else value
    return value


def _convert(scheme: str, rest: str) -> str | None:
    if scheme == "sgtin" and (p := _parts(rest, 3)) and _numeric(p[0], p[1]) and p[1]:
        gtin = p[1][0] + p[0] + p[1][1:]
        return f"{DL_BASE}/01/{gtin}{check_digit(gtin)}/21/{p[2]}"
    if scheme == "lgtin" and (p := _parts(rest, 3)) and _numeric(p[0], p[1]) and p[1]:
        gtin = p[1][0] + p[0] + p[1][1:]
        return f"{DL_BASE}/01/{gtin}{check_digit(gtin)}/10/{p[2]}"
    if scheme == "sscc" and (p := _parts(rest, 2)) and _numeric(*p) and p[1]:
        sscc = p[1][0] + p[0] + p[1][1:]
        return f"{DL_BASE}/00/{sscc}{check_digit(sscc)}"
    if scheme == "sgln" and (p := _parts(rest, 3)) and _numeric(p[0], p[1]):
        gln = p[0] + p[1]
        tail = "" if p[2] == "0" else f"/254/{p[2]}"
        return f"{DL_BASE}/414/{gln}{check_digit(gln)}{tail}"
    if scheme == "pgln" and (p := _parts(rest, 2)) and _numeric(*p):
        gln = p[0] + p[1]
        return f"{DL_BASE}/417/{gln}{check_digit(gln)}"
    if scheme == "grai" and (p := _parts(rest, 3)) and _numeric(p[0], p[1]):
        grai = "0" + p[0] + p[1]
        return f"{DL_BASE}/8003/{grai}{check_digit(grai)}{p[2]}"
    if scheme == "giai" and (p := _parts(rest, 2)) and _numeric(p[0]):
        return f"{DL_BASE}/8004/{p[0]}{p[1]}"
    if scheme == "gsrn" and (p := _parts(rest, 2)) and _numeric(*p):
        gsrn = p[0] + p[1]
        return f"{DL_BASE}/8018/{gsrn}{check_digit(gsrn)}"
    if scheme == "gdti" and (p := _parts(rest, 3)) and _numeric(p[0], p[1]):
        gdti = p[0] + p[1]
        return f"{DL_BASE}/253/{gdti}{check_digit(gdti)}{p[2]}"
    return None


def cbv_uri(field: str, value: str) -> str:
    """A CBV value as its GS1 Web URI: bare words and ``urn:epcglobal:cbv:`` URNs are expanded."""
    value = value.strip()
    prefix = CBV_PREFIX.get(field)
    if prefix is None:
        return value
    if value.startswith("urn:epcglobal:cbv:"):
        kind, _, word = value[len("urn:epcglobal:cbv:") :].partition(":")
        mapped = _CBV_URN_KIND.get(kind)
        return f"{CBV_BASE}{mapped}{word}" if mapped and word else value
    if value.startswith("cbv:"):
        return CBV_BASE + value[4:]
    if ":" in value:
        return value
    return f"{CBV_BASE}{prefix}{value}"


def gs1_voc_uri(value: str) -> str:
    """A GS1 Web vocabulary term (measurement or alert type) as its URI."""
    value = value.strip()
    if value.startswith("gs1:"):
        return GS1_VOC + value[4:]
    return value if ":" in value else GS1_VOC + value
