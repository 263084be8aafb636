"""Notarized documents (单证存证): a party signs a document's hash and appends the statement to the log.

Built on the ledger's Merkle log (:mod:`logispace.domains.ledger.service`): :mod:`.service`
notarizes, versions and verifies (鉴真); :mod:`.policies` says who may; :mod:`.api` and
:mod:`.pages` are the JSON API and the pages. The document tables are in the ledger's
:mod:`~logispace.domains.ledger.models`.
"""
