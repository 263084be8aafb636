"""Typed factories for test records, built through the services (never raw inserts)."""
