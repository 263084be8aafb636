"""ASGI middleware: trace ids, the request body limit, NUL-free URLs and security headers."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from logispace.core.errors import PROBLEM_MEDIA_TYPE, DomainError, InvalidInput, PayloadTooLarge

TRACE_ID_SCOPE_KEY = "logispace.trace_id"
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")

# Scripts only from our own files (ECharts, HTMX and swagger-ui are vendored under /static/vendor;
# data for a script travels in a <script type="application/json"> block, which never runs). Inline
# styles stay allowed: HTMX, ECharts and swagger-ui set them, and a style cannot run code.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
]
# Sent only when cookies are secure: a browser that saw it refuses plain http for a year.
_HSTS = (b"strict-transport-security", b"max-age=31536000")


def trace_id_of(scope: Scope) -> str:
    """The trace id of this request (set by :class:`TraceMiddleware`)."""
    return str(scope.get(TRACE_ID_SCOPE_KEY, ""))


class TraceMiddleware:
    """Gives every request a trace id (from a W3C ``traceparent`` or new) and returns it as
    ``X-Trace-Id``, with the security headers every response carries.

    ``hsts(scope)`` says whether to add ``Strict-Transport-Security`` (when cookies are secure,
    read from the running app's settings).
    """

    def __init__(self, app: ASGIApp, hsts: Callable[[Scope], bool] | None = None) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace_id = uuid.uuid4().hex
        for name, value in scope.get("headers", []):
            if name == b"traceparent":
                match = _TRACEPARENT.match(value.decode("latin-1").strip())
                if match:
                    trace_id = match.group(1)
        scope[TRACE_ID_SCOPE_KEY] = trace_id
        extra = _SECURITY_HEADERS
        if self.hsts is not None and self.hsts(scope):
            extra = [*_SECURITY_HEADERS, _HSTS]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-trace-id", trace_id.encode()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuses request bodies over the limit with a 413 problem.

    ``limit_for(scope)`` gives the limit of each request, read from the running app's settings so
    that a change of settings applies at once (e.g. a larger limit for data uploads streamed to
    disk). A declared ``Content-Length`` over the limit is refused before anything is read; a
    streamed body is counted as it arrives and the read fails with :class:`PayloadTooLarge`.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    await self._refuse(scope, send, declared, limit)
                    return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(f"the request body exceeds the limit of {limit} bytes", limit=limit)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, send: Send, declared: int, limit: int) -> None:
        error = PayloadTooLarge(
            f"the request body of {declared} bytes exceeds the limit of {limit} bytes",
            limit=limit,
        )
        await send_problem(scope, send, error, close=True)


class NulGuardMiddleware:
    """Refuses an API URL whose path or query carries a NUL character with a 422 problem naming
    the parameter.

    No field of the platform accepts NUL, and PostgreSQL cannot store or compare text with it, so
    it is stopped before any API route sees it. Pages (paths outside ``prefixes``) answer their own
    error pages. A lone surrogate cannot arrive here: Starlette and the server decode a URL as UTF-8
    with replacement, so ``%ED%A0%80`` becomes U+FFFD; bodies are checked by ``web.routing.ApiRoute``.
    """

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(self.prefixes):
            error = nul_in_url(scope.get("path", ""), scope.get("query_string", b""))
            if error is not None:
                await send_problem(scope, send, error)
                return
        await self.app(scope, receive, send)


def nul_in_url(path: str, query: bytes) -> InvalidInput | None:
    """The problem for a NUL in ``path`` or ``query``, or None."""
    if "\x00" in unquote(path):
        return InvalidInput(
            "the request path contains a NUL character",
            errors=[{"loc": ["path"], "msg": "must not contain a NUL character (%00)"}],
        )
    text = query.decode("latin-1")
    for name, value in parse_qsl(text, keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return InvalidInput(
                f"the query parameter {name.replace(chr(0), '')!r} contains a NUL character",
                errors=[
                    {
                        "loc": ["query", name.replace("\x00", "")],
                        "msg": "must not contain a NUL character (%00)",
                    }
                ],
            )
    return None


async def send_problem(scope: Scope, send: Send, error: DomainError, *, close: bool = False) -> None:
    """Answer with ``error`` as an RFC 9457 problem, before any route runs."""
    body = json.dumps(error.problem(instance=scope.get("path")), ensure_ascii=False).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
