"""Waybill shares (运单共享): a party of a waybill lets a named party, such as its bank, read the
waybill's trace and chain of custody for a period (真实贸易核验), revocable, each step in the ledger."""
