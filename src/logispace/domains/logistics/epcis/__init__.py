"""EPCIS 2.0 capture and query (EPCIS采集与查询): the REST binding under ``/epcis``.

Documents are validated against the GS1 JSON schema (``data/``), events are keyed by their CBV 2.0
event hash ID (:mod:`.hashing`), EPCs take their GS1 Digital Link form (:mod:`.identifiers`); the
service captures a document in one transaction and answers the simple event query.
"""
