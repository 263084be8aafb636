"""Multimodal waybills (多式联运一单制): drafts, legs, signed transitions, the chain of custody.

The rules are pure (:mod:`.policies`); the service stores waybills with their legs and containers
(the ``containers`` and ``container_assignments`` tables are in :mod:`.models` too, because a
draft names containers first) and signs each step (:mod:`.custody`). API: ``/api/v1/waybills``.
"""
