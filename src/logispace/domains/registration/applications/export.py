"""Export of a registration's whole file (登记档案导出): a zip that ``logispace verify`` checks offline.

The zip is a ledger bundle (``logispace-bundle/1``, :mod:`logispace.domains.ledger.bundle`):

* ``manifest.json``: every other file with its SHA-256 and size; ``content`` holds the application
  as the API shows it (fields, steps, objections, overrun explanations, attachments), the
  registration record and the certificate (statement, signature, the signer's public key); ``receipts``
  names a receipt for every ledger entry of the file with what its leaf commits to;
* ``attachments/NN-material-filename``: the materials, read from the object store;
* ``receipts/INDEX.json``: a ``logispace-receipt/1`` of each entry at the latest signed tree head:
  the evidence (存证) the application cites, every attachment, step and objection, the record's and the
  certificate's entries.

The commits tie the manifest to the ledger: an attachment's ``sha256`` in ``files`` must be the one its
ledger entry recorded, a step's action and states must be the ones its entry recorded, the certificate's
statement and signature the ones its entry carries, and so on.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import uuid
import zipfile
from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.identity import Principal, public_key
from logispace.domains.ledger import entries_of_subjects, receipt_for, receipt_json
from logispace.domains.registration import repository
from logispace.domains.registration.applications.read import application_read, record_reads
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.models import RegistrationApplication, RegistrationCertificate
from logispace.domains.registration.workflow import Clock, subject_ref, visible
from logispace.storage import LocalObjectStore

FORMAT = "logispace-bundle/1"
KIND = "registration-file"
_UNSAFE = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._")[:80] or "file"


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


class _Zip:
    """Files of the zip in order, each listed with its hash."""

    def __init__(self) -> None:
        self.files: list[dict[str, Any]] = []
        self.data: dict[str, bytes] = {}

    def add(self, path: str, data: bytes, media_type: str, **extra: Any) -> int:
        self.files.append(
            {
                "path": path,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "media_type": media_type,
                **extra,
            }
        )
        self.data[path] = data
        return len(self.files) - 1


def _certificate_json(session: Session, certificate: RegistrationCertificate | None) -> dict[str, Any] | None:
    if certificate is None:
        return None
    key = public_key(session, certificate.key_id)
    return {
        "code": certificate.code,
        "status": certificate.status.value,
        "revision": certificate.revision,
        "statement": certificate.statement,
        "signature": base64.b64encode(bytes(certificate.signature)).decode(),
        "key_id": certificate.key_id,
        "algorithm": certificate.algorithm,
        "signer_public_key": base64.b64encode(key.public_key).decode() if key else None,
        "ledger_index": certificate.ledger_index,
        "ended_on": certificate.ended_on.isoformat() if certificate.ended_on else None,
        "end_ground": certificate.end_ground,
        "end_ledger_index": certificate.end_ledger_index,
        "page_url": certificate_service.page_url(certificate.code),
    }


def _commits(content: dict[str, Any], attachment_files: dict[int, int]) -> dict[int, list[dict[str, Any]]]:
    """What each ledger entry's leaf must say, as pointers into the manifest."""
    out: dict[int, list[dict[str, Any]]] = {}
    application = content["application"]
    app_pointer = "/content/application"
    for i, step in enumerate(application["steps"]):
        out.setdefault(step["ledger_index"], []).extend(
            [
                {"leaf": "/subject", "value": subject_ref(uuid.UUID(application["id"]))},
                {"leaf": "/payload/application_id", "manifest": f"{app_pointer}/id"},
                {"leaf": "/payload/action", "manifest": f"{app_pointer}/steps/{i}/action"},
                {"leaf": "/payload/from", "manifest": f"{app_pointer}/steps/{i}/from_state"},
                {"leaf": "/payload/to", "manifest": f"{app_pointer}/steps/{i}/to_state"},
            ]
        )
    for i, attachment in enumerate(application["attachments"]):
        out.setdefault(attachment["ledger_index"], []).extend(
            [
                {"leaf": "/kind", "value": "registration.attachment_added"},
                {"leaf": "/payload/application_id", "manifest": f"{app_pointer}/id"},
                {"leaf": "/payload/material", "manifest": f"{app_pointer}/attachments/{i}/material"},
                {"leaf": "/payload/sha256", "manifest": f"{app_pointer}/attachments/{i}/sha256"},
                {"leaf": "/payload/sha256", "manifest": f"/files/{attachment_files[i]}/sha256"},
            ]
        )
    for objection in application["objections"]:
        out.setdefault(objection["ledger_index"], []).append(
            {"leaf": "/payload/action", "value": "file_objection"}
        )
    record = content.get("record")
    if record is not None:
        out.setdefault(record["ledger_index"], []).extend(
            [
                {"leaf": "/kind", "value": "registration.record_issued"},
                {"leaf": "/payload/record_id", "manifest": "/content/record/id"},
                {"leaf": "/payload/holder_party_id", "manifest": "/content/record/holder/id"},
            ]
        )
    certificate = content.get("certificate")
    if certificate is not None:
        out.setdefault(certificate["ledger_index"], []).extend(
            [
                {"leaf": "/kind", "value": certificate_service.SIGNED_EVENT},
                {"leaf": "/payload/statement", "manifest": "/content/certificate/statement"},
                {"leaf": "/payload/signature", "manifest": "/content/certificate/signature"},
                {"leaf": "/payload/key_id", "manifest": "/content/certificate/key_id"},
            ]
        )
    if application.get("evidence_ledger_index") is not None:
        out.setdefault(application["evidence_ledger_index"], [])
    return out


def export_file(
    session: Session, p: Principal, settings: Settings, application_id: uuid.UUID
) -> tuple[str, bytes]:
    """The zip of an application's whole file, for its applicant's party or the authority (404 else)."""
    application: RegistrationApplication = visible(session, p, application_id)
    clock = Clock.now(settings)
    read = application_read(session, p, clock, application).model_dump(mode="json")
    initial = application.initial_application_id or application.id
    record = repository.record_of_initial(session, initial)
    certificate = repository.certificate_of_record(session, record.id) if record else None
    content: dict[str, Any] = {
        "application": read,
        "record": record_reads(session, [record])[0].model_dump(mode="json") if record else None,
        "certificate": _certificate_json(session, certificate),
    }

    bundle = _Zip()
    store = LocalObjectStore.from_settings(settings)
    attachment_files: dict[int, int] = {}
    for i, attachment in enumerate(read["attachments"]):
        with store.open(attachment["sha256"]) as handle:
            data = handle.read()
        material, filename = _safe(attachment["material"]), _safe(attachment["filename"] or "file")
        name = f"attachments/{i + 1:02d}-{material}-{filename}"
        attachment_files[i] = bundle.add(
            name, data, attachment["media_type"], material=attachment["material"]
        )

    commits = _commits(content, attachment_files)
    subjects = [subject_ref(application.id)]
    if record is not None:
        subjects.append(certificate_service.record_subject(record.id))
    if certificate is not None:
        subjects.append(certificate_service.certificate_subject(certificate.code))
    for index, kind, subject in entries_of_subjects(session, subjects):
        commits.setdefault(index, []).extend(
            [{"leaf": "/kind", "value": kind}, {"leaf": "/subject", "value": subject}]
        )

    receipts = []
    for index in sorted(commits):
        path = f"receipts/{index:08d}.json"
        bundle.add(path, _json_bytes(receipt_json(receipt_for(session, index))), "application/json")
        receipts.append({"index": index, "path": path, "commits": commits[index]})

    manifest = {
        "format": FORMAT,
        "kind": KIND,
        "exported_at": utcnow().astimezone(UTC).isoformat(),
        "application_id": str(application.id),
        "files": bundle.files,
        "receipts": receipts,
        "content": content,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json_bytes(manifest))
        for path, data in bundle.data.items():
            archive.writestr(path, data)
    stamp = utcnow().astimezone(UTC).strftime("%Y%m%d")
    return f"registration-{application.id}-{stamp}.zip", out.getvalue()
