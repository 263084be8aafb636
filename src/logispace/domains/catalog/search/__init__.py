"""Catalogue search (目录检索): published resources in the full-text index, searched with facets.

:mod:`.service` indexes and searches; the resource service, the CKAN view and distributions keep the
index current through it.
"""
