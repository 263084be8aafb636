"""Exceptions and alerts (异常预警): rules as data per party, evaluated as EPCIS events arrive and by a
periodic sweep; the alert feed (API, Server-Sent Events, page) with acknowledge, assign and resolve;
signed webhooks through an outbox (:mod:`logispace.domains.tower.webhooks`)."""
