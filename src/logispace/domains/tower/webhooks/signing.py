"""Webhook signatures (推送签名): HMAC-SHA256 over the timestamp and the body.

Headers of every delivery::

    X-LogiSpace-Timestamp: 1767225600            (Unix seconds when it was sent)
    X-LogiSpace-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + body)>
    X-LogiSpace-Delivery: <delivery id>          (the same on every retry: receivers deduplicate)

A receiver recomputes the HMAC over the raw body and refuses a timestamp more than five minutes off,
so a captured message cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP = "X-LogiSpace-Timestamp"
SIGNATURE = "X-LogiSpace-Signature"
DELIVERY = "X-LogiSpace-Delivery"
TOPIC = "X-LogiSpace-Topic"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` and the hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret: str, timestamp: int, body: bytes, given: str, now: int) -> bool:
    """What a receiver checks: the signature matches and the timestamp is fresh."""
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)
