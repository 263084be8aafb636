"""CKAN compatibility (CKAN 兼容接口): the published catalogue through the read subset of the CKAN Action API.

:mod:`.api` serves the actions (the further ones tabled in :mod:`.actions`: :mod:`.groups`,
:mod:`.lookup`, :mod:`.activity`), :mod:`.schemas` their arguments and answers, :mod:`.query` parses
Solr-style ``q``/``fq`` strings, and :mod:`.service` maps resources to CKAN datasets.
"""
