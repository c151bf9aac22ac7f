"""A judge's phone on a slow network: how long until the assignment list, and the score screen.

Debian's Chromium (through Playwright, never a downloaded browser) at 360 px, with the network
and the CPU throttled through the DevTools protocol (Network.emulateNetworkConditions,
Emulation.setCPUThrottlingRate 4), against a live `kipp serve` with the demo data, signed in as a
demo judge (tokens and the last /me in localStorage, as after an earlier visit). Measured in the
page (performance.now(), from the navigation's start):

- cold: an empty HTTP cache, open /judge until the first assignment is on screen;
- warm: the same browser opens /judge again (immutable assets from cache, index.html 304);
- tap: on the list, a few seconds after it showed, tap the first open assignment until the
  score screen's rubric is on screen.

Each profile is measured against the server as it is and, unless --no-baseline, against the
same server with KIPP_COMPRESSION=0 KIPP_HTTP_CACHING=0 (how it served before: no compression,
no Cache-Control on assets, no 304). The SPA is the same build in both.

    python -m bench.phone [--runs 3] [--profile 3g|4g|all] [--no-baseline]   (make bench-phone)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from tests.live import LiveServer, kipp, kipp_env

from kipp.demo import data as demo_data

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "frontend" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
JUDGE_EMAIL = demo_data.email_for("juri1")
DEMO_PASSWORD = demo_data.DEMO_PASSWORD
CPU_SLOWDOWN = 4
SETTLE_S = 3.0  # the judge reads the list before tapping
GOALS_MS = {"cold": 2500, "warm": 1000, "tap": 500}


@dataclass(frozen=True)
class Profile:
    name: str
    latency_ms: float
    down_kbit: float
    up_kbit: float

    def conditions(self) -> dict[str, object]:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbit * 1000 / 8,
            "uploadThroughput": self.up_kbit * 1000 / 8,
        }


PROFILES = {
    "3g": Profile("Regular 3G", latency_ms=300, down_kbit=750, up_kbit=250),
    "4g": Profile("Slow 4G", latency_ms=150, down_kbit=1600, up_kbit=750),
}

# Installed before the app's own scripts: the moments the list and the rubric first appear,
# and the moment of the tap, in the page's own clock.
MARKS = """
(() => {
  window.__kipp = { list: null, tap: null, score: null }
  document.addEventListener('click', () => { window.__kipp.tap ??= performance.now() }, true)
  new MutationObserver(() => {
    const k = window.__kipp
    if (k.list === null && document.querySelector('a.item')) k.list = performance.now()
    if (k.tap !== null && k.score === null && document.getElementById('rubric-title')) k.score = performance.now()
  }).observe(document, { childList: true, subtree: true })
})()
"""


@contextmanager
def demo_server(var_dir: Path, *, optimised: bool) -> Iterator[LiveServer]:
    env = kipp_env(f"sqlite:///{var_dir / 'kipp.sqlite3'}", var_dir, environment="development")
    env["KIPP_FRONTEND_DIST"] = str(DIST)
    env["KIPP_COMPRESSION"] = env["KIPP_HTTP_CACHING"] = "1" if optimised else "0"
    for command in (("db", "upgrade"), ("seed-demo",)):
        done = kipp(env, *command)
        if done.returncode != 0:
            sys.exit(f"kipp {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    server = LiveServer(env=env, log=var_dir / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _session(base_url: str) -> dict[str, str]:
    """localStorage of a judge who signed in on this phone before."""
    form = urllib.parse.urlencode({"username": JUDGE_EMAIL, "password": DEMO_PASSWORD}).encode()
    with urllib.request.urlopen(f"{base_url}/api/v1/auth/token", data=form, timeout=30) as answer:
        pair = json.load(answer)
    request = urllib.request.Request(f"{base_url}/api/v1/me")
    request.add_header("Authorization", f"Bearer {pair['access_token']}")
    with urllib.request.urlopen(request, timeout=30) as answer:
        me = json.load(answer)
    tokens = {
        "accessToken": pair["access_token"],
        "refreshToken": pair["refresh_token"],
        "expiresAt": 4_102_444_800_000,
    }
    return {"kipp.tokens": json.dumps(tokens), "kipp.me": json.dumps(me)}


def _mark(page: Page, name: str, timeout_s: float = 60) -> float:
    page.wait_for_function(
        f"() => window.__kipp && window.__kipp.{name} !== null", timeout=timeout_s * 1000
    )
    return float(page.evaluate(f"() => window.__kipp.{name}"))


def measure_once(browser: Browser, base_url: str, profile: Profile) -> dict[str, float | str]:
    """One cold load, one warm load and one tap, in a fresh browser context."""
    storage = _session(base_url)
    context = browser.new_context(
        base_url=base_url, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    context.add_init_script(
        "if (!sessionStorage.getItem('bench')) {"
        f" for (const [k, v] of Object.entries({json.dumps(storage)})) localStorage.setItem(k, v);"
        " sessionStorage.setItem('bench', '1') }"
    )
    context.add_init_script(MARKS)
    page = context.new_page()
    encodings: set[str] = set()
    page.on(
        "response",
        lambda r: (
            encodings.add(r.headers.get("content-encoding", "identity"))
            if "/assets/index-" in r.url
            else None
        ),
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", profile.conditions())
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        page.goto("/judge", wait_until="commit")
        cold = _mark(page, "list")
        page.wait_for_timeout(SETTLE_S * 1000)
        page.goto("/judge", wait_until="commit")
        warm = _mark(page, "list")
        page.wait_for_timeout(SETTLE_S * 1000)
        page.locator("a.item").first.click()
        tap = _mark(page, "score") - _mark(page, "tap")
    finally:
        context.close()
    return {"cold": cold, "warm": warm, "tap": tap, "encoding": ",".join(sorted(encodings))}


def run(profile: Profile, runs: int, *, optimised: bool, browser: Browser) -> dict[str, object]:
    with (
        tempfile.TemporaryDirectory(prefix="kipp-bench-phone-") as tmp,
        demo_server(Path(tmp), optimised=optimised) as server,
    ):
        samples = [measure_once(browser, server.base_url, profile) for _ in range(runs)]
    medians = {key: statistics.median(float(s[key]) for s in samples) for key in GOALS_MS}
    return {"samples": samples, "median": medians, "encoding": samples[0]["encoding"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="measurements per profile (median)")
    parser.add_argument("--profile", choices=[*PROFILES, "all"], default="all")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the run without compression/caching"
    )
    args = parser.parse_args(argv)
    if not (DIST / "index.html").is_file():
        sys.exit("frontend/dist is not built: run `make install`.")
    profiles = list(PROFILES.values()) if args.profile == "all" else [PROFILES[args.profile]]
    variants = [True] if args.no_baseline else [True, False]
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for profile in profiles:
                print(
                    f"\n{profile.name} ({profile.latency_ms:.0f} ms, {profile.down_kbit:.0f}/{profile.up_kbit:.0f} kbit/s), CPU ×{CPU_SLOWDOWN}, 360 px, median of {args.runs}:"
                )
                for optimised in variants:
                    result = run(profile, args.runs, optimised=optimised, browser=browser)
                    median = result["median"]
                    assert isinstance(median, dict)
                    label = (
                        "compressed + cached"
                        if optimised
                        else "baseline (KIPP_COMPRESSION=0 KIPP_HTTP_CACHING=0)"
                    )
                    print(f"  {label}; index.js sent as {result['encoding']}")
                    for key, text in (
                        ("cold", "list visible, cold"),
                        ("warm", "list visible, warm"),
                        ("tap", "tap → score screen"),
                    ):
                        goal = GOALS_MS[key]
                        verdict = "ok" if median[key] <= goal else "over"
                        if optimised and profile.name == "Regular 3G" and median[key] > goal:
                            failed = True
                        all_runs = ", ".join(f"{float(s[key]):.0f}" for s in result["samples"])  # type: ignore[union-attr]
                        print(
                            f"    {text:<22} {median[key]:6.0f} ms   goal ≤ {goal} ms  {verdict:<4}  (runs: {all_runs})"
                        )
        finally:
            browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
