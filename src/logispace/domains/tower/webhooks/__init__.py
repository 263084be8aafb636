"""Webhooks (预警推送): signed HTTP posts of a party's alerts, queued in an outbox and delivered with
retries and backoff; the URL is checked against SSRF when saved and before each delivery."""
