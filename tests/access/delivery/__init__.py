"""Tests of delivery under a grant: sandbox SQL, output control, API queries, desensitization."""
