"""The sharing/open list (共享开放清单): numbered versions of the published catalogue, with the
sharing report (共享情况通报).

:mod:`.service` publishes versions and their differences; :mod:`.pages` shows them. The list's JSON
routes are in the catalogue API (:mod:`logispace.domains.catalog.api`).
"""
