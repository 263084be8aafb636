"""EPC identifiers (电子产品代码): EPC URNs to their canonical GS1 Digital Link form, CBV words to URIs.

Used by the event hash (CBV 2.0 §8.9) and by the EPC link table so that a query by URN finds an
event captured with Digital Link URIs and the other way round. Schemes not listed stay as given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from stdnum import ean

DL_BASE = "https://id.gs1.org"
CBV_BASE = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://ref.gs1.org/voc/"

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
    return str(ean.calc_check_digit(digits))


# GS1 Digital Link short names of primary keys and qualifiers -> their application identifier.
_SHORT_NAMES = {
    "gtin": "01",
    "itip": "8006",
    "cpid": "8010",
    "gln": "414",
    "party": "417",
    "gsrnp": "8017",
    "gsrn": "8018",
    "gcn": "255",
    "sscc": "00",
    "gdti": "253",
    "ginc": "401",
    "gsin": "402",
    "grai": "8003",
    "giai": "8004",
    "cpv": "22",
    "lot": "10",
    "ser": "21",
    "cpsn": "8011",
    "glnx": "254",
}
_PRIMARY_KEYS = frozenset(
    {"01", "8006", "8010", "414", "417", "8017", "8018", "255", "00", "253", "401", "402", "8003", "8004"}
)
# Serials and other references are copied from the EPC URN as they are: the URN already
# percent-encodes what a URI path segment cannot carry (" % & / < > ? #), and the characters it
# leaves bare (! ' ( ) * + , : ...) are path characters (RFC 3986 §3.3). The GS1 reference
# implementation writes them so (example epclist_normalisation, CBV 2.0 hash 028e1a1a...).
_GCP_REF = re.compile(r"^(\d{6,12})\.(\d*)$")


def _with_check(digits: str) -> str:
    return digits + check_digit(digits)


def _split(rest: str, count: int) -> list[str] | None:
    """``rest`` split on its first ``count - 1`` dots (the last part, a serial, may hold dots)."""
    parts = rest.split(".", count - 1)
    return parts if len(parts) == count else None


def _gcp_and_ref(company: str, reference: str, total: int) -> bool:
    """Company prefix (6-12 digits) and reference are digits and together ``total`` digits long."""
    return (
        company.isdigit()
        and 6 <= len(company) <= 12
        and (reference.isdigit() or reference == "")
        and len(company) + len(reference) == total
    )


def _gtin(company: str, item: str) -> str | None:
    """GTIN-14 of an EPC company prefix and indicator + item reference."""
    if not _gcp_and_ref(company, item, 13) or not item:
        return None
    return _with_check(item[0] + company + item[1:])


def _piece(piece: str, total: str) -> bool:
    """ITIP piece and total: two digits each."""
    return len(piece) == 2 and len(total) == 2 and (piece + total).isdigit()


def _id_urn(scheme: str, rest: str) -> str | None:
    """``urn:epc:id:<scheme>:<rest>`` (TDS 2.0 EPC pure identity URI) as a Digital Link path."""
    if scheme in ("sgtin", "upui") and (p := _split(rest, 3)) and p[2] and (gtin := _gtin(p[0], p[1])):
        return f"/01/{gtin}/{'21' if scheme == 'sgtin' else '235'}/{p[2]}"
    if (
        scheme == "itip"
        and (p := _split(rest, 5))
        and p[4]
        and _piece(p[2], p[3])
        and (gtin := _gtin(p[0], p[1]))
    ):
        return f"/8006/{gtin}{p[2]}{p[3]}/21/{p[4]}"
    if scheme == "sscc" and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 17) and p[1]:
        return f"/00/{_with_check(p[1][0] + p[0] + p[1][1:])}"
    if scheme == "sgln" and (p := _split(rest, 3)) and _gcp_and_ref(p[0], p[1], 12) and p[2]:
        return f"/414/{_with_check(p[0] + p[1])}" + ("" if p[2] == "0" else f"/254/{p[2]}")
    if scheme == "pgln" and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 12):
        return f"/417/{_with_check(p[0] + p[1])}"
    if scheme == "grai" and (p := _split(rest, 3)) and _gcp_and_ref(p[0], p[1], 12) and p[2]:
        return f"/8003/{_with_check('0' + p[0] + p[1])}{p[2]}"
    if scheme in ("giai", "ginc") and (p := _split(rest, 2)) and _gcp_and_ref(p[0], "", len(p[0])) and p[1]:
        return f"/{'8004' if scheme == 'giai' else '401'}/{p[0]}{p[1]}"
    if scheme in ("gsrn", "gsrnp") and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 17):
        return f"/{'8018' if scheme == 'gsrn' else '8017'}/{_with_check(p[0] + p[1])}"
    if scheme == "gsin" and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 16):
        return f"/402/{_with_check(p[0] + p[1])}"
    if scheme in ("gdti", "sgcn") and (p := _split(rest, 3)) and _gcp_and_ref(p[0], p[1], 12) and p[2]:
        return f"/{'253' if scheme == 'gdti' else '255'}/{_with_check(p[0] + p[1])}{p[2]}"
    if scheme == "cpi" and "." in rest:
        head, _, serial = rest.rpartition(".")
        company, _, reference = head.partition(".")
        if _gcp_and_ref(company, "", len(company)) and reference and serial.isdigit():
            return f"/8010/{company + reference}/8011/{serial}"
    return None


def _class_urn(scheme: str, rest: str) -> str | None:
    """``urn:epc:class:lgtin:<gcp>.<item>.<lot>`` (a GTIN and lot) as a Digital Link path."""
    if scheme == "lgtin" and (p := _split(rest, 3)) and p[2] and (gtin := _gtin(p[0], p[1])):
        return f"/01/{gtin}/10/{p[2]}"
    return None


def _idpat_urn(scheme: str, rest: str) -> str | None:
    """``urn:epc:idpat:<scheme>:<key>.*`` (every serial of one class) as the class's Digital Link path."""
    if not rest.endswith(".*"):
        return None
    rest = rest[:-2]
    if scheme in ("sgtin", "upui") and (p := _split(rest, 2)) and (gtin := _gtin(p[0], p[1])):
        return f"/01/{gtin}"
    if scheme == "itip" and (p := _split(rest, 4)) and _piece(p[2], p[3]) and (gtin := _gtin(p[0], p[1])):
        return f"/8006/{gtin}{p[2]}{p[3]}"
    if scheme == "grai" and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 12):
        return f"/8003/{_with_check('0' + p[0] + p[1])}"
    if scheme in ("gdti", "sgcn") and (p := _split(rest, 2)) and _gcp_and_ref(p[0], p[1], 12):
        return f"/{'253' if scheme == 'gdti' else '255'}/{_with_check(p[0] + p[1])}"
    if scheme == "cpi" and (p := _split(rest, 2)) and _gcp_and_ref(p[0], "", len(p[0])) and p[1]:
        return f"/8010/{p[0] + p[1]}"
    return None


_URN_FORMS = {"urn:epc:id:": _id_urn, "urn:epc:class:": _class_urn, "urn:epc:idpat:": _idpat_urn}


def _digital_link_path(value: str) -> str | None:
    """The constrained canonical path of a GS1 Digital Link URI on any domain, or None.

    From the first primary-key segment on: short names become AIs, a GTIN is padded to 14 digits,
    the consumer product variant (22) is left out, a lot (10) is left out when a serial (21)
    follows, and the query string and fragment go.
    """
    if not value.startswith(("https://", "http://")):
        return None
    path = urlsplit(value).path
    segments = path.strip("/").split("/")
    names = [_SHORT_NAMES.get(s, s) for s in segments]
    start = next((i for i, s in enumerate(names) if s in _PRIMARY_KEYS and i + 1 < len(names)), None)
    if start is None:
        return None
    names = names[start:]
    if len(names) % 2:
        return None
    pairs = [(names[i], segments[start + i + 1]) for i in range(0, len(names), 2)]
    key, code = pairs[0]
    if len(code) < 5 or not code[:4].isdigit():
        return None
    if key == "01":
        if not code.isdigit() or len(code) not in (8, 12, 13, 14):
            return None
        code = code.zfill(14)
    elif key in ("00", "414", "417", "8017", "8018", "402") and not code.isdigit():
        return None
    qualifiers = [(ai, v) for ai, v in pairs[1:] if ai != "22"]
    if any(ai == "21" for ai, _ in qualifiers):
        qualifiers = [(ai, v) for ai, v in qualifiers if ai != "10"]
    return "/" + "/".join(f"{ai}/{v}" for ai, v in [(key, code), *qualifiers])


@lru_cache(maxsize=65536)
def epc_to_digital_link(value: str) -> str:
    """The canonical GS1 Digital Link URI (``https://id.gs1.org/...``) of an EPC URN, EPC class
    URN, EPC ID pattern URN or GS1 Digital Link URI on any domain; anything else unchanged."""
    value = value.strip()
    for prefix, convert in _URN_FORMS.items():
        if value.startswith(prefix):
            scheme, _, rest = value[len(prefix) :].partition(":")
            path = convert(scheme, rest)
            return DL_BASE + path if path is not None else value
    path = _digital_link_path(value)
    return DL_BASE + path if path is not None else value


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
