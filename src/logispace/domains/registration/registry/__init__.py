"""The public registry (登记结果公示): search of issued registrations, the publicity list, corrections.

Queries over records and applications in publicity (:mod:`.repository`), the search and the publicity list
(:mod:`.service`), the public pages with the objection form (:mod:`.pages`), and the correction (更正) an
interested party starts from a record (:mod:`.correction`).
"""
