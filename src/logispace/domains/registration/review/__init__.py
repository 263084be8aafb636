"""Registration review (登记审核): the authority accepts, refuses, reviews, issues, decides objections.

One table (:mod:`.actions`) names every review action with the service call, request body and permission
it takes; the API (:mod:`.api`) and the review page (:mod:`.pages`) are both built from it. The service
(:mod:`.service`) drives state machine A for the authority and files objections during publicity.
"""
