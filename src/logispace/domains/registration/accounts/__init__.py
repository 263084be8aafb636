"""Registration accounts (登记账户, 004:5444): one per subject, requested by it and issued by the authority.

The subject requests its account and the registration authority issues it with a unique account code
(:mod:`.service`); the overview (:mod:`.read`) shows everything the subject registered through it, served as
JSON (:mod:`.api`) and as the 登记账户 page (:mod:`.pages`).
"""
