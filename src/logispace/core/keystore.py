"""Key store (密钥保管): the master key that seals private signing keys at rest.

The key comes from ``LOGISPACE_LEDGER_MASTER_KEY`` (64 hexadecimal characters); without it, from
``var_dir/ledger-master.key``, created with mode 0600 on first use. Every domain that keeps
private keys (the ledger's tree-head keys, the parties' document keys) seals them with it.
"""

from __future__ import annotations

import os
import secrets

from logispace.core.config import Settings


def master_key(settings: Settings) -> bytes:
    """The 32-byte key sealing the ledger's private keys: from settings, else from
    ``var_dir/ledger-master.key`` (created with mode 0600 on first use)."""
    if settings.ledger_master_key is not None:
        text = settings.ledger_master_key.get_secret_value()
    else:
        path = settings.var_dir / "ledger-master.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ValueError("the ledger master key must be 64 hexadecimal characters")
    return key
