"""Business domains, ranked low to high as in DESIGN.md; a domain imports only lower ones."""
