"""Full-chain trace (全程追溯): an EPC, a container or a waybill, from EPCIS events and stored waybills.

:mod:`.service` traces an EPC or container, :mod:`.waybill_chain` a waybill; :mod:`.stored_waybills`
gives the windows the stored waybills open and their verified documents. API ``/api/v1/trace``,
pages ``/trace``.
"""
