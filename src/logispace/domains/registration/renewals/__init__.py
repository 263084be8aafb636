"""Certificate renewals (续展): the holder's request in the window and the authority's decision.

The rules and the reads (:mod:`.service`) and the API (:mod:`.api`). Their forms sit on the pages that show
them: the holder's on the applicant's page (:mod:`..applications.pages`), the authority's on the review
queue (:mod:`..review.pages`).
"""
