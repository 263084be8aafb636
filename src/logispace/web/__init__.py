"""HTTP surface shared by every domain: routing, problems, middleware, templates, static files."""
