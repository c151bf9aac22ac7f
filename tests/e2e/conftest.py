"""Browser end-to-end tests: a real KIPP server in a subprocess, driven by Debian's Chromium.

The server gets its own temporary var dir and SQLite file, migrated and loaded with the demo
data once per run. Nothing here touches the API tests' database fixtures: tests/conftest.py sets
KIPP_* variables at import time for those, so every variable the subprocess reads is set
explicitly below.

Nothing is skipped silently: a missing Chromium, a missing build of the web app or a server that
does not become ready fails the run with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist"
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("KIPP_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEMO_PASSWORD = "kipp-demo-2021"
READY_TIMEOUT_S = 60.0

SIZES: dict[str, dict[str, int]] = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}


@dataclass(frozen=True)
class Server:
    url: str
    var_dir: Path
    log: Path

    def api(
        self, path: str, *, method: str = "GET", body: object = None, token: str | None = None
    ) -> Any:
        """Call the JSON API directly (for set-up and checks the browser need not do)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response) if response.status != 204 else None

    def token(self, email: str, password: str = DEMO_PASSWORD) -> str:
        """An access token for a demo account."""
        form = urllib.parse.urlencode({"username": email, "password": password}).encode()
        with urllib.request.urlopen(
            f"{self.url}/api/v1/auth/token", data=form, timeout=30
        ) as response:
            return str(json.load(response)["access_token"])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kipp_command() -> list[str]:
    script = Path(sys.executable).with_name("kipp")
    if script.exists():
        return [str(script)]
    found = shutil.which("kipp")
    if found:
        return [found]
    pytest.fail("The `kipp` command is not installed next to this Python; run `make install`.")


def _server_env(var_dir: Path, port: int, dist: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
    env.update(
        {
            # A demo server: the demo data and its login list exist only in development.
            "KIPP_ENVIRONMENT": "development",
            "KIPP_SECRET_KEY": "e2e-secret-key-not-for-production-0123456789abcdef",
            "KIPP_VAR_DIR": str(var_dir),
            "KIPP_DATABASE_URL": f"sqlite:///{var_dir / 'kipp.sqlite3'}",
            "KIPP_STORAGE_DIR": str(var_dir / "storage"),
            "KIPP_FRONTEND_DIST": str(dist),
            "KIPP_HOST": "127.0.0.1",
            "KIPP_PORT": str(port),
            # Links in e-mails point at this server.
            "KIPP_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "KIPP_WORKERS": "1",
            # The tests sign in many times as the same accounts; they never fail a login on purpose
            # except where a test says so, but a slow run must not trip the rate limit.
            "KIPP_LOGIN_MAX_FAILURES": "50",
        }
    )
    return env


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=120
        )
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(command)}` failed (exit {result.returncode}):\n{_tail(log)}")


@contextmanager
def running_server(
    name: str = "server", *, settings: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start a migrated, demo-loaded KIPP on a free port; stop it and keep its log on exit.

    A test module that must change shared state (advance a competition, say) starts its own
    with this instead of using the session's `server`. ``settings``: more KIPP_* variables for
    it (an SMTP server to deliver to, say)."""
    if not (DIST / "index.html").is_file():
        pytest.fail(
            f"{DIST / 'index.html'} is missing: build the web app (`npm --prefix frontend run build`)."
        )
    var_dir = Path(tempfile.mkdtemp(prefix="kipp-e2e-"))
    log = var_dir / "server.log"
    port = _free_port()
    # Serve a snapshot of the build: a `npm run build` elsewhere empties frontend/dist mid-run.
    dist = var_dir / "dist"
    shutil.copytree(DIST, dist)
    env = {**_server_env(var_dir, port, dist), **(settings or {})}
    kipp = _kipp_command()
    _run([*kipp, "db", "upgrade"], env, log)
    _run([*kipp, "seed-demo"], env, log)

    url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "kipp.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"The server exited with {process.returncode} before it was ready:\n{_tail(log)}"
                )
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"The server was not ready after {READY_TIMEOUT_S:.0f} s:\n{_tail(log)}"
                )
            time.sleep(0.2)
        yield Server(url=url, var_dir=var_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        # Keep the server's log next to the screenshots: a 500 in a test is explained there.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / f"{name}.log")
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The session's KIPP: migrated, demo data loaded, serving the built SPA."""
    with running_server() as started:
        yield started


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless. Never downloads a browser."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The end-to-end tests need Chromium at {CHROMIUM} (Debian: `apt-get install chromium`; "
            "or point KIPP_E2E_CHROMIUM at another Chromium binary). They never download one."
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_page(browser: Browser, server: Server, size: str) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        base_url=server.url,
        viewport=SIZES[size],
        locale="id-ID",
        timezone_id="Asia/Makassar",
        device_scale_factor=1,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.kipp_size = size  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    # An uncaught exception in the app fails the test that caused it, even if the page looked fine.
    assert not errors, f"Uncaught errors in the page: {errors}"


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[Page]:
    """A page in a 360×740 viewport (the judge's phone)."""
    yield from _new_page(browser, server, "phone")


@pytest.fixture
def desktop(browser: Browser, server: Server) -> Iterator[Page]:
    """A page in a 1280×800 viewport."""
    yield from _new_page(browser, server, "desktop")


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: Browser, server: Server) -> Iterator[Page]:
    """The same test at both sizes."""
    yield from _new_page(browser, server, request.param)


def size_of(page: Page) -> str:
    return str(getattr(page, "kipp_size", "page"))


def assert_no_horizontal_overflow(page: Page) -> None:
    """The page never scrolls sideways (a wide table scrolls inside its own box instead)."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth
            if (document.documentElement.scrollWidth <= width) return null
            const wide = [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > width + 1)
                .filter((el) => !el.closest('.table-scroll') || el.classList.contains('table-scroll'))
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''))
            return { scrollWidth: document.documentElement.scrollWidth, width, wide }
        }"""
    )
    assert overflow is None, (
        f"The page scrolls sideways on {page.url} ({size_of(page)}): {overflow}"
    )


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to tests/e2e/artifacts/<name>-<size>.png (git-ignored).

    Also fails when the page scrolls sideways: every screenshot is a layout check."""
    assert_no_horizontal_overflow(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}-{size_of(page)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _format_violation(violation: dict[str, object]) -> str:
    nodes = violation.get("nodes") or []
    lines = [
        f"[{violation.get('impact')}] {violation.get('id')}: {violation.get('help')} ({violation.get('helpUrl')})"
    ]
    for node in nodes[:10]:  # type: ignore[union-attr]
        target = node.get("target")
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    at {target}: {summary}")
        lines.append(f"       {str(node.get('html'))[:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, include: str | None = None) -> None:
    """Run axe-core on the page (or the `include` selector); fail on serious or critical issues."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run `npm --prefix frontend ci` (axe-core is a devDependency)."
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self')
        # does not govern; an injected <script> tag would be refused, as it should be.
        page.evaluate(AXE_JS.read_text() + "\n;undefined")
    results = page.evaluate(
        """async (include) => {
            const context = include ? { include: [include] } : document
            return await window.axe.run(context, { resultTypes: ['violations'] })
        }""",
        include,
    )
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    if bad:
        report = "\n".join(_format_violation(v) for v in bad)
        print(f"axe-core violations on {page.url} ({size_of(page)}):\n{report}")
        pytest.fail(
            f"{len(bad)} serious/critical accessibility violation(s) on {page.url}:\n{report}"
        )


def login(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and wait until the app has left the login page."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


@contextmanager
def browser_page(browser: Browser, server: Server, size: str) -> Iterator[Page]:
    """A page of `size` against any server (for modules that start their own)."""
    yield from _new_page(browser, server, size)
