"""Party signing keys (主体签名密钥): one active key pair per party, rotated by its admin.

:mod:`.service` makes, opens, rotates and lists the keys; :mod:`.api` serves the public keys and the
rotation.
"""
