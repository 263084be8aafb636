"""Run the command line as ``python -m logispace``."""

from logispace.cli import app

app(prog_name="logispace")
