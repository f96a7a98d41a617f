"""Browser tests: a real server (migrated, seeded, with demo accounts, as `make run` prepares it) driven by
Playwright in Debian's chromium. Screenshots go to test-output/screenshots/. Every page visited is checked with
axe-core (WCAG 2 A/AA) and a test fails on any violation: docs/testing.md."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, sync_playwright
from playwright.sync_api import Error as PlaywrightError

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
    # One server per test process (`-n 2`): each writes its own log.
    log_name = f"e2e-server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    log = (OUTPUT / log_name).open("w")
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
        raise RuntimeError(f"the test server did not start; see test-output/{log_name}")
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


# Every page a browser test visits is checked with axe-core (tests/e2e/assets/: the npm package's axe.min.js,
# version in its README) against WCAG 2.0 and 2.1, levels A and AA: when it has loaded, after every HTMX swap, and
# the page the test ends on once more; a test with a violation fails at teardown and lists them. See
# docs/testing.md.
ASSETS = Path(__file__).resolve().parent / "assets"
AXE_SCRIPT = (
    (ASSETS / "axe.min.js").read_text(encoding="utf-8") + "\n" + (ASSETS / "axe-runner.js").read_text(encoding="utf-8")
)
FINAL_CHECK = "() => window.__mtAxe && window.__mtAxe.settle().then(() => window.__mtAxe.final())"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# The only way to let a violation pass: one rule on one page (path), with the reason written here. Keep it empty.
AXE_EXCEPTIONS: dict[tuple[str, str], str] = {}


# What the checks cost, printed at the end of the run (pytest_terminal_summary).
AXE_TOTALS = {"checks": 0, "ms": 0}
AXE_SLOWEST: list[tuple[int, str]] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if AXE_TOTALS["checks"]:
        slowest = ", ".join(f"{page} {ms} ms" for ms, page in sorted(AXE_SLOWEST, reverse=True)[:5])
        terminalreporter.write_line(
            f"axe-core: {AXE_TOTALS['checks']} checks, {AXE_TOTALS['ms'] / 1000:.1f} s in the browser; slowest: {slowest}"
        )


class AxeResults:
    """The violations axe-core reported in one browser context, each (page, rule, elements) once."""

    def __init__(self, name: str):
        self.name = name
        self.violations: dict[tuple[str, str, tuple[str, ...]], dict] = {}
        self.errors: list[str] = []
        self.checks = 0
        self.checked: list[str] = []  # the pages checked, in order, with when: "/me/ (on load)"

    def report(self, source, payload: dict) -> None:
        self.checks += 1
        AXE_TOTALS["checks"] += 1
        AXE_TOTALS["ms"] += payload.get("ms", 0)
        parts = urlsplit(payload["url"])
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        self.checked.append(f"{page} ({payload['reason']})")
        AXE_SLOWEST.append((payload.get("ms", 0), self.checked[-1]))
        if "error" in payload:
            self.errors.append(f"{page} ({payload['reason']}): axe-core could not run: {payload['error']}")
            return
        for violation in payload["violations"]:
            if (parts.path, violation["id"]) in AXE_EXCEPTIONS:
                continue
            key = (page, violation["id"], tuple(violation["targets"]))
            self.violations.setdefault(key, {**violation, "page": page, "reason": payload["reason"]})

    def message(self) -> str:
        """One entry per rule and elements, with the pages it was found on."""
        found: dict[tuple[str, tuple[str, ...]], list[dict]] = {}
        for (_page, rule, targets), violation in self.violations.items():
            found.setdefault((rule, targets), []).append(violation)
        lines = [f"axe-core found WCAG 2 A/AA violations in the {self.name} browser ({len(found)}):"]
        for (rule, targets), seen in found.items():
            v = seen[0]
            lines.append(f"- {rule} [{v['impact']}] {v['help']} ({v['helpUrl']})")
            more = f" … and {v['count'] - len(targets)} more" if v["count"] > len(targets) else ""
            lines.append(f"    elements: {', '.join(targets)}{more}")
            lines.extend(f"    {line.strip()}" for line in v["summary"].splitlines()[:3])
            pages = ", ".join(f"{x['page']} ({x['reason']})" for x in seen)
            lines.append(f"    pages: {pages}")
        lines.extend(f"- {error}" for error in self.errors)
        return "\n".join(lines)


SETTLE = "() => window.__mtAxe && window.__mtAxe.settle()"


def _settle_first(page, navigate):
    """`page.goto` (reload, back, forward) once the checks of the page it leaves are done: a navigation the
    browser starts does not wait for the page's scripts, and a result still on its way would be lost."""

    def settled_navigation(*args, **kwargs):
        with contextlib.suppress(PlaywrightError):  # a page that is not (or no longer) one of ours
            page.evaluate(SETTLE)
        return navigate(*args, **kwargs)

    return settled_navigation


def _watch(page) -> None:
    if not getattr(page, "axe_watched", False):
        page.axe_watched = True
        for name in ("goto", "reload", "go_back", "go_forward"):
            setattr(page, name, _settle_first(page, getattr(page, name)))


def checked_context(browser, name: str, **options) -> BrowserContext:
    """A browser context whose pages axe-core checks; finish it with `finish_context`. The site's CSP stays on."""
    context = browser.new_context(**options)
    context.axe = AxeResults(name)
    context.expose_binding("__mtAxeReport", context.axe.report)
    context.add_init_script(script=AXE_SCRIPT)
    context.on("page", _watch)
    return context


def finish_context(context) -> None:
    """Check the pages as the test leaves them, close the context, fail on any violation found in it."""
    for open_page in context.pages:
        for _attempt in range(3):
            try:
                open_page.evaluate(FINAL_CHECK)
                break
            except PlaywrightError:
                # The page was navigating (its document went away under the check): check the new one.
                if open_page.is_closed():
                    break
                open_page.wait_for_load_state("load")
        else:
            context.axe.errors.append(f"{open_page.url}: the last page could not be checked")
    context.close()
    if context.axe.violations or context.axe.errors:
        pytest.fail(context.axe.message(), pytrace=False)


@pytest.fixture
def new_context(browser):
    """Another checked browser context in a test (e.g. a second user): `new_context("name", viewport=...)`."""
    contexts = []

    def make(name: str, **options):
        contexts.append(checked_context(browser, name, **{"locale": "zh-CN", **options}))
        return contexts[-1]

    yield make
    for context in contexts:
        finish_context(context)


@pytest.fixture
def page(browser):
    context = checked_context(browser, "desktop 1366×900", viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    _watch(page)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    finish_context(context)


@pytest.fixture
def phone_page(browser):
    context = checked_context(browser, "phone 390×844", viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    _watch(page)
    yield page
    finish_context(context)


def shot(page, name: str) -> Path:
    """The whole page as a PNG in test-output/screenshots/. Chromium cannot capture a very tall page (a long
    agreement on a phone) in one piece: then its first 12,000 pixels."""
    path = SCREENSHOTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError:
        width = page.viewport_size["width"] if page.viewport_size else 1366
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": 12_000})
    return path


def run_in_server(code: str) -> str:
    """Run Python in the test server's project (`manage.py shell -c`, on its database); what it printed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=server_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def create_user(username: str, password: str = "medtalent-demo") -> None:
    """An extra account in the test server's database, for a test that must not share the demo ones."""
    run_in_server(
        "from medtalent.accounts.models import User\n"
        f"User.objects.filter(username={username!r}).exists() or User.objects.create_user({username!r}, password={password!r})"
    )
