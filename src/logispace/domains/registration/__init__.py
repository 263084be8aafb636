"""Public data resource registration (公共数据资源登记): pure rules only for now (policy-spec §1).

The state machines (A: application, B: record/certificate) are data in :mod:`.application_policy` and
:mod:`.record_policy`; models, service and API come later and must go through these rules.
"""
