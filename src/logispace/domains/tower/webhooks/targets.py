"""Where a webhook may point (推送地址校验): http(s) URLs of public hosts only (SSRF).

The host is resolved and every address it resolves to must be public: loopback, private (RFC 1918,
unique local), link-local (cloud metadata at 169.254.169.254), multicast, reserved, unspecified and
carrier-grade NAT addresses are refused, for IPv4 and IPv6 (an IPv4-mapped IPv6 address is judged as
its IPv4 address). The operator may allow named hosts (``LOGISPACE_TOWER_WEBHOOK_ALLOWED_HOSTS``).
The check runs when a webhook is saved and again before every delivery, so a host whose DNS answer
changes later (DNS rebinding) is refused then.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from logispace.domains.tower.webhooks.errors import WebhookUrlRefused

Resolver = Callable[[str, int], list[str]]

CGNAT = ipaddress.ip_network("100.64.0.0/10")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (A and AAAA)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def public(address: str) -> bool:
    """Whether ``address`` is a public unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT)
    )


def allowed_hosts(setting: str | None) -> frozenset[str]:
    """The operator's allowed host names, lower-cased."""
    return frozenset(h.strip().lower().rstrip(".") for h in (setting or "").split(",") if h.strip())


def check_url(url: str, allowed: Iterable[str] = (), resolve: Resolver = system_resolver) -> str:
    """``url`` if a webhook may be delivered there, else :class:`WebhookUrlRefused` naming ``url``."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, for one
        raise WebhookUrlRefused("the webhook URL cannot be read as a URL", field="url") from None
    if parts.scheme not in ("http", "https"):
        raise WebhookUrlRefused("the webhook URL must start with http:// or https://", field="url")
    if parts.username or parts.password:
        raise WebhookUrlRefused("the webhook URL must not carry a user name or password", field="url")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise WebhookUrlRefused("the webhook URL names no host", field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookUrlRefused(
            "the webhook URL's port is not a number from 0 to 65535", field="url"
        ) from None
    if host in set(allowed):
        return url
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host, port)
    if not addresses:
        raise WebhookUrlRefused(f"the webhook host {host} does not resolve", field="url")
    refused = [a for a in addresses if not public(a)]
    if refused:
        raise WebhookUrlRefused(
            f"the webhook host {host} resolves to {', '.join(refused)}: loopback, private, link-local, "
            "multicast and reserved addresses are refused",
            field="url",
        )
    return url
