"""Domain-free building blocks: database, errors, clock, crypto, identifiers, events."""
