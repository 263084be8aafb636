"""Registration applications (登记申请): the subject files, completes, attaches materials and submits.

A subject files a draft, completes it, attaches materials and submits or resubmits it (:mod:`.service`);
co-subjects of a joint application confirm it (共同申请, :mod:`.joint`); the reads of an application and
of the records it led to (:mod:`.read`); the zip export of a whole file (登记档案导出, :mod:`.export`). The
API (:mod:`.api`) and the applicant's pages (:mod:`.pages`, with the holder's renewal form) serve them.
"""
