"""Registration statistics (登记统计季报): applications and registrations per quarter.

The counts (:mod:`.service`), served as JSON (:mod:`.api`) and as a page and a CSV (:mod:`.pages`).
"""
