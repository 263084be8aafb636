"""Certificate pages: the public verification page of a certificate (证书核验页), with its QR code.

Anyone may open ``/registry/certificates/{code}``; each view re-checks the authority's signature, the
ledger entry and the record (:func:`.service.public_view`) and says plainly whether the
certificate is valid, expired, cancelled, revoked or failed its checks.
"""

from __future__ import annotations

import segno
from fastapi import Request
from fastapi.responses import HTMLResponse

from logispace.domains.identity import page_session
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


def qr_svg(target: str) -> str:
    """An inline SVG QR code (segno) of ``target``; nothing is fetched from elsewhere."""
    return str(segno.make(target, error="m").svg_inline(scale=3, svgclass="qr", omitsize=False))


@router.get("/registry/certificates/{code}")
def certificate_page(request: Request, db: DbSession, settings: AppSettings, code: str) -> HTMLResponse:
    page_session(request, db, settings)  # the navigation of a logged-in visitor
    view = certificate_service.public_view(db, Clock.now(settings), code)
    absolute = str(request.base_url).rstrip("/") + view.page_url
    return render(
        request,
        "registration/certificate.html",
        {"cert": view, "absolute_url": absolute, "qr": qr_svg(absolute)},
    )
