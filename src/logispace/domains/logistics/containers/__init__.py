"""Containers (一箱制): master data (ISO 6346 size types), the waybill holding one now, its history.

Built on :mod:`..waybills`: a container's history is the waybills it travelled on, and its table
is kept with theirs. API: ``/api/v1/containers``.
"""
