"""Data intake (数据接入): outside formats taken in through the API and the ``logistics`` commands.

DCSA Track & Trace events and vehicle GPS CSV become EPCIS events (:mod:`.service`, captured by
:mod:`..epcis`); 网络货运 e-waybills become waybill drafts (:mod:`.waybill_drafts`). The pure
mappings of each format are in :mod:`.adapters`.
"""
