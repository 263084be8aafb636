"""Verifiable bundles (可验证导出包): a zip of files, a manifest and ledger receipts, checked offline.

A domain exports a file (e.g. a registration's whole file) as a zip holding ``manifest.json`` and
the files it lists. The manifest (``logispace-bundle/1``)::

    {"format": "logispace-bundle/1", "kind": "...",
     "files": [{"path", "sha256", "size", "media_type"}],          # every other file of the zip
     "receipts": [{"index", "path", "commits": [...]}],             # a logispace-receipt/1 per entry
     "content": {...}}                                              # what the domain says

Each commit ties the receipt's leaf to the manifest: ``{"leaf": "/payload/sha256", "manifest":
"/files/3/sha256"}`` says that the value at that JSON pointer (RFC 6901) of the leaf equals the value at
that pointer of the manifest; ``{"leaf": "/kind", "value": "..."}`` compares with a literal.
:func:`verify_bundle` checks that every file matches the manifest (and nothing is missing or extra),
that every receipt verifies (against pinned keys when given) and is the receipt of the entry the
manifest names, and that every commit holds. It never raises on bad input.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from logispace.domains.ledger.offline import (
    INVALID,
    UNREADABLE,
    VALID,
    Unreadable,
    Verdict,
    read_base64,
    read_format,
)
from logispace.domains.ledger.receipts import PROMISE_FORMAT, check_receipt, read_receipt, verify_promise

FORMAT = "logispace-bundle/1"
MANIFEST = "manifest.json"
_MISSING = object()


@dataclass
class BundleVerdict(Verdict):
    """The outcome of checking a bundle: ``valid``, ``invalid`` or ``unreadable``."""

    files: int = 0
    receipts: int = 0
    kind: str | None = None


def pointer(document: Any, path: str) -> Any:
    """The value at JSON pointer ``path`` (RFC 6901), or a sentinel when there is none."""
    if path == "":
        return document
    if not path.startswith("/"):
        return _MISSING
    here = document
    for raw in path[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(here, dict) and token in here:
            here = here[token]
        elif isinstance(here, list) and token.isdigit() and int(token) < len(here):
            here = here[int(token)]
        else:
            return _MISSING
    return here


def _show(value: Any) -> str:
    if value is _MISSING:
        return "absent"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], reasons: list[str]) -> int:
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise ValueError("manifest.files is not a list")
    names = [n for n in archive.namelist() if n != MANIFEST and not n.endswith("/")]
    if len(set(names)) != len(names):
        reasons.append("the zip holds two files of the same name")
    paths = set()
    for i, entry in enumerate(listed):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ValueError(f"manifest.files[{i}] has no path")
        path = entry["path"]
        paths.add(path)
        if path not in names:
            reasons.append(f"{path} is listed in the manifest but missing from the zip")
            continue
        data = archive.read(path)
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.get("sha256"):
            reasons.append(
                f"{path}: its SHA-256 is {digest}, the manifest says {entry.get('sha256')} "
                "(the file was changed)"
            )
        elif entry.get("size") != len(data):
            reasons.append(f"{path}: {len(data)} bytes, the manifest says {entry.get('size')}")
    for name in names:
        if name not in paths:
            reasons.append(f"{name} is in the zip but not in the manifest")
    return len(listed)


def _check_receipt(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    i: int,
    entry: Any,
    pinned: list[dict[str, Any]] | None,
    reasons: list[str],
) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise ValueError(f"manifest.receipts[{i}] has no path")
    path, index = entry["path"], entry.get("index")
    try:
        document = json.loads(archive.read(path))
        if isinstance(document, dict) and document.get("format") == PROMISE_FORMAT:
            # admitted, not yet integrated when exported: its signed entry timestamp stands for it
            verdict = verify_promise(document, pinned)
            leaf_input = read_base64(document.get("entry"), "leaf_input", "entry")
        else:
            receipt = read_receipt(document)
            verdict = check_receipt(receipt, pinned)
            leaf_input = receipt.leaf_input
    except KeyError:
        reasons.append(f"{path}: the receipt of entry {index} is missing from the zip")
        return
    except Unreadable as exc:
        reasons.append(f"{path}: {exc}")
        return
    except ValueError as exc:
        reasons.append(f"{path}: not a readable receipt ({exc})")
        return
    if verdict.status != VALID:
        reasons.extend(f"{path}: {reason}" for reason in verdict.reasons)
        return
    named = verdict.entry_id if verdict.entry_id is not None else verdict.index
    if named != index:
        reasons.append(f"{path} is the receipt of entry {named}, the manifest says entry {index}")
        return
    try:
        leaf = json.loads(leaf_input)
    except ValueError:
        reasons.append(f"{path}: the leaf of entry {index} is not JSON")
        return
    commits = entry.get("commits", [])
    if not isinstance(commits, list):
        raise ValueError(f"manifest.receipts[{i}].commits is not a list")
    for commit in commits:
        if not isinstance(commit, dict) or not isinstance(commit.get("leaf"), str):
            raise ValueError(f"manifest.receipts[{i}] has a commit without a leaf pointer")
        found = pointer(leaf, commit["leaf"])
        if "manifest" in commit:
            expected, source = (
                pointer(manifest, str(commit["manifest"])),
                f"the manifest's {commit['manifest']}",
            )
        else:
            expected, source = commit.get("value", _MISSING), "the manifest"
        if found is _MISSING or found != expected:
            reasons.append(
                f"{path}: entry {index}'s {commit['leaf']} is {_show(found)}, {source} says {_show(expected)}"
            )


def verify_bundle(data: bytes, pinned: list[dict[str, Any]] | None = None) -> BundleVerdict:
    """Check a bundle zip offline (see the module docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return BundleVerdict(UNREADABLE, [f"not a zip file: {exc}"])
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except KeyError:
            return BundleVerdict(UNREADABLE, ["the zip has no manifest.json"])
        except (ValueError, zipfile.BadZipFile) as exc:
            return BundleVerdict(UNREADABLE, [f"manifest.json is not readable JSON: {exc}"])
        try:
            read_format(manifest, FORMAT, "manifest")
        except Unreadable as exc:
            return BundleVerdict(UNREADABLE, [str(exc)])
        verdict = BundleVerdict(VALID, kind=str(manifest.get("kind")))
        try:
            verdict.files = _check_files(archive, manifest, verdict.reasons)
            receipts = manifest.get("receipts")
            if not isinstance(receipts, list):
                raise ValueError("manifest.receipts is not a list")
            listed = {f.get("path") for f in manifest["files"] if isinstance(f, dict)}
            for i, entry in enumerate(receipts):
                _check_receipt(archive, manifest, i, entry, pinned, verdict.reasons)
                if isinstance(entry, dict) and entry.get("path") not in listed:
                    verdict.reasons.append(
                        f"{entry.get('path')} is a receipt the manifest's files do not list"
                    )
            verdict.receipts = len(receipts)
        except (ValueError, zipfile.BadZipFile) as exc:
            return BundleVerdict(UNREADABLE, [f"manifest.json: {exc}"])
    if pinned is None:
        verdict.notes.append(
            "the keys were taken from the receipts themselves: "
            "pin the ledger's keys (--key keys.json) to trust them"
        )
    if verdict.reasons:
        verdict.status = INVALID
    return verdict
