"""Screenshots of the main pages after the demo loads (docs/screenshots/*.png), as a new user sees them.

Loads the demo into a throwaway SQLite database (``logispace db upgrade`` and ``demo load``, as
``make demo`` does), serves it, and photographs each page at 1280 px with Debian's chromium through
Playwright, logged in as the demo user who works there. Run from the repository root:

    PYTHONPATH=src .venv/bin/python tools/screenshots.py            # all pages
    PYTHONPATH=src .venv/bin/python tools/screenshots.py --only portal

Not a test: it checks nothing, it only refreshes the pictures that README.md shows.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import serving  # noqa: E402  (the same server launcher as the tests)

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "LogiSpace-demo-2026"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
]

SHOTS: tuple[tuple[str, str, str], ...] = (
    # (file name, demo user or "" for a visitor, path)
    ("portal", "", "/"),
    ("catalog", "", "/catalog"),
    ("open-data", "", "/catalog?open_type=unconditional"),
    ("registry", "", "/registry"),
    ("publicity", "", "/registry/publicity"),
    ("verify", "", "/verify"),
    ("dashboard-authority", "admin", "/dashboard"),
    ("grading", "admin", "/catalog/grading"),
    ("jurisdiction-waybills", "admin", "/authority/waybills"),
    ("jurisdiction-documents", "admin", "/authority/documents"),
    ("dashboard-registrar", "registrar", "/registration/review"),
    ("dashboard-holder", "port", "/dashboard"),
    ("documents", "carrier", "/documents"),
    ("trace", "carrier", "/trace"),
    ("statistics", "", "/registry/statistics"),
    ("api-guide", "", "/api/guide"),
    ("access", "bank", "/access"),
    ("operation", "operator", "/operation"),
    ("disclosure", "", "/operation/disclosure"),
    ("trading", "bank", "/trading"),
    ("tower", "carrier", "/tower"),
    ("alerts", "carrier", "/tower/alerts"),
    ("dispatch", "carrier", "/dispatch"),
)

FOLLOWED: tuple[tuple[str, str, str, str], ...] = (
    # (file name, demo user, a list page, the first link on it whose address matches): pages whose
    # address holds a generated number
    ("resource", "", "/catalog?open_type=unconditional", r"^/catalog/resources/[A-Z0-9]+$"),
    ("trace-waybill", "shipper01", "/logistics/waybills?status=closed", r"^/trace/waybills/[A-Z0-9-]+$"),
)


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"/dashboard"))


def _opened(browser: Browser, base: str, user: str, contexts: dict[str, Page]) -> Page:
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    contexts[user] = context.new_page()
    if user:
        log_in(contexts[user], user)
    return contexts[user]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="a regular expression: only the shots whose name matches")
    only = parser.parse_args().only
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "LOGISPACE_DATABASE_URL": f"sqlite:///{folder}/demo.sqlite",
            "LOGISPACE_VAR_DIR": folder,
            "LOGISPACE_LEDGER_MASTER_KEY": os.environ.get("LOGISPACE_LEDGER_MASTER_KEY", "ab" * 32),
        }
        cli = [sys.executable, "-m", "logispace"]
        subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*cli, "demo", "load"], env=env, check=True, capture_output=True)
        with serving(env, Path(folder) / "server.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            contexts: dict[str, Page] = {}
            for name, user, path in SHOTS:
                if only and not re.search(only, name):
                    continue
                page = contexts.get(user) or _opened(browser, base, user, contexts)
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                print(f"{name}.png  {user or 'visitor'}  {path}")
            for name, user, listing, link in FOLLOWED:
                if only and not re.search(only, name):
                    continue
                page = contexts.get(user) or _opened(browser, base, user, contexts)
                page.goto(listing)
                hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
                target = next(h for h in hrefs if h and re.match(link, h))
                page.goto(target)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                print(f"{name}.png  {user or 'visitor'}  {target}")
            browser.close()


if __name__ == "__main__":
    main()
