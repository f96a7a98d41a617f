"""Browser tests: a real server (migrated, seeded, with demo accounts, as `make run` prepares it) driven by
Playwright in Debian's chromium. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The environment of the running test server, so fixtures can prepare data in its database.
server_env: dict[str, str] = {}


@pytest.fixture(scope="session")
def server_url():
    OUTPUT.mkdir(exist_ok=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    # A database and an upload folder of its own per run, so two runs never share (or delete) each other's.
    workdir = Path(tempfile.mkdtemp(prefix="e2e-", dir=OUTPUT))
    database = workdir / "e2e.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(workdir / "private"),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v", "0"], ["load_seeds"], ["load_demo"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    log = (OUTPUT / "e2e-server.log").open("w")
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("the test server did not start; see test-output/e2e-server.log")
    server_env.update(env)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def create_user(username: str, password: str = "medtalent-demo") -> None:
    """An extra account in the test server's database, for a test that must not share the demo ones."""
    code = (
        "from medtalent.accounts.models import User\n"
        f"User.objects.filter(username={username!r}).exists() or User.objects.create_user({username!r}, password={password!r})"
    )
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=server_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
