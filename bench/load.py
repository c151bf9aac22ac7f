"""Judges saving scoresheet drafts at once, against a real ``kipp serve``.

``python -m bench.load`` runs, on SQLite (1 worker) and, when ``KIPP_BENCH_POSTGRES_URL`` names
a scratch database (its ``public`` schema is DROPPED), on PostgreSQL (1 and 2 workers):

- *think*: 50 judges saving with a think time of 2–5 s for 60 s (the realistic panel; goal
  p95 ≤ 100 ms on a 2-core machine);
- *stall*: 30 and 200 writers with no think time for 60 s (200 used to stall a worker for 30 s:
  kipp/admission.py). Goal: 0 errors, every answer within a few seconds, and the throughput at
  200 writers at least that at 30 (printed as a ratio).

``--seconds`` and ``--writers`` shorten or change a run. Not a timed test: tests/test_load.py
runs a short stall check in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

KIPP = [sys.executable, "-m", "kipp.cli"]
T = TypeVar("T")
PASSWORD = "sandi-panjang-untuk-beban"
CRITERIA = (
    "kebaruan",
    "efektivitas",
    "kemanfaatan",
    "kemudahan_replikasi",
    "keberlanjutan",
    "penguasaan_materi",
)


@dataclass
class Outcome:
    writers: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status.startswith("2"))

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self, label: str) -> str:
        return (
            f"{label:<34} {self.requests:>6} req {self.throughput:>7.1f}/s  "
            f"p50 {self.quantile(0.5) * 1000:>7.1f} ms  p95 {self.quantile(0.95) * 1000:>7.1f} ms  "
            f"p99 {self.quantile(0.99) * 1000:>7.1f} ms  max {max(self.latencies, default=0):>6.2f} s"
            f"  errors {self.errors} {dict(self.statuses) if self.errors else ''}"
        )


# --------------------------------------------------------------------------- the database


def prepare_database(database_url: str, *, judges: int, innovations: int = 19) -> list[int]:
    """Migrate, then a competition in its open presentation stage: ``judges`` judges (one
    agency) on the panel, ``innovations`` eligible innovations of other agencies, the default
    rubric. Returns the innovation ids."""
    from tests.factories import Factory

    from kipp import migrate
    from kipp.models import Role
    from kipp.security import hash_password

    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(database_url)
    hashed = hash_password(PASSWORD)
    with Session(engine) as session:
        factory = Factory(session)
        panel_agency = factory.agency(code="PANEL", name="Tim Penilai")
        competition = factory.competition(current_stage="presentation")
        factory.add_default_criteria(competition)
        panel = [
            factory.user(
                Role.JUDGE,
                email=f"juri{n}@beban.kipp.id",
                agency=panel_agency,
                password_hash=hashed,
            )
            for n in range(1, judges + 1)
        ]
        factory.add_panel(competition, panel)
        ids = [factory.innovation(competition, status="eligible").id for _ in range(innovations)]
        session.commit()
    engine.dispose()
    return ids


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(database_url: str, *, workers: int = 1, var_dir: Path) -> Iterator[str]:
    """``kipp serve`` on a free loopback port; yields its base URL once /readyz answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
    env.update(
        {
            "KIPP_ENVIRONMENT": "test",
            "KIPP_SECRET_KEY": "load-secret-key-not-for-production-0123456789abcdef",
            "KIPP_DATABASE_URL": database_url,
            "KIPP_VAR_DIR": str(var_dir),
            "KIPP_LOGIN_MAX_FAILURES": "1000",
        }
    )
    log = (var_dir / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [*KIPP, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kipp serve did not start: {var_dir}/serve-{port}.log")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def log_in(base: str, judges: int) -> list[str]:
    with httpx.Client(base_url=base, timeout=60) as client:
        tokens = []
        for n in range(1, judges + 1):
            response = client.post(
                "/api/v1/auth/token",
                data={"username": f"juri{n}@beban.kipp.id", "password": PASSWORD},
            )
            response.raise_for_status()
            tokens.append(response.json()["access_token"])
    return tokens


# --------------------------------------------------------------------------- the load


async def hammer(
    base: str,
    *,
    tokens: list[str],
    innovation_ids: list[int],
    writers: int,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
    seed: int = 2021,
) -> Outcome:
    """``writers`` concurrent judges, each saving a draft, (thinking,) saving again … until
    ``seconds`` have passed. Every request's latency and status is recorded; a request that
    gets no answer counts as an error (``timeout`` / the exception's name)."""
    outcome = Outcome(writers=writers, seconds=seconds)
    stop = time.monotonic() + seconds
    # Idle connections are dropped by the client before uvicorn's 5-second keep-alive timeout
    # can close them under a request being sent (a client-side race, not a server error).
    limits = httpx.Limits(
        max_connections=writers, max_keepalive_connections=writers, keepalive_expiry=2.0
    )

    # Writers sharing a judge's token write disjoint innovations: one person's two devices
    # racing to create the same sheet is another test's subject.
    shares = -(-writers // len(tokens))

    async def judge(n: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed + n)
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        share = n // len(tokens)
        mine = [i for k, i in enumerate(innovation_ids) if k % shares == share] or innovation_ids
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < stop:
            innovation_id = rng.choice(mine)
            body = {
                "scores": {key: rng.randint(1, 10) for key in CRITERIA},
                "comment": "Catatan juri " + str(rng.random()),
            }
            started = time.perf_counter()
            try:
                response = await client.put(
                    f"/api/v1/innovations/{innovation_id}/scores/me", json=body, headers=headers
                )
                status = str(response.status_code)
            except httpx.TimeoutException:
                status = "timeout"
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            outcome.latencies.append(time.perf_counter() - started)
            outcome.statuses[status] += 1
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))

    async with httpx.AsyncClient(base_url=base, timeout=90, limits=limits) as client:
        await asyncio.gather(*(judge(n, client) for n in range(writers)))
    return outcome


def run_isolated(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the caller may already be inside a running event
    loop (Playwright's sync API keeps one in a test session's main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_case(
    database_url: str,
    *,
    var_dir: Path,
    workers: int,
    writers: int,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
    judges: int = 50,
) -> Outcome:
    innovation_ids = prepare_database(database_url, judges=judges)
    with serve(database_url, workers=workers, var_dir=var_dir) as base:
        tokens = log_in(base, judges)
        return run_isolated(
            hammer(
                base,
                tokens=tokens,
                innovation_ids=innovation_ids,
                writers=writers,
                seconds=seconds,
                think=think,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writers", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kipp-load-"))
    databases = [("SQLite", f"sqlite:///{tmp / 'load.sqlite3'}", (1,))]
    postgres = os.environ.get("KIPP_BENCH_POSTGRES_URL")
    if postgres:
        databases.append(("PostgreSQL", postgres, (1, 2)))
    print(f"Judges saving drafts for {args.seconds:.0f} s each (kipp serve on 127.0.0.1)")
    for name, url, worker_counts in databases:
        for workers in worker_counts:
            if url.startswith("sqlite"):
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            label = f"{name}, {workers} worker{'s' if workers > 1 else ''}"
            realistic = run_case(
                url, var_dir=tmp, workers=workers, writers=50, seconds=args.seconds, think=(2, 5)
            )
            print(realistic.line(f"{label}: 50 judges, think 2–5 s"))
            baseline = run_case(url, var_dir=tmp, workers=workers, writers=30, seconds=args.seconds)
            print(baseline.line(f"{label}: 30 writers, no think"))
            heavy = run_case(
                url, var_dir=tmp, workers=workers, writers=args.writers, seconds=args.seconds
            )
            print(heavy.line(f"{label}: {args.writers} writers, no think"))
            ratio = heavy.throughput / baseline.throughput
            print(
                f"{'':<34} throughput {args.writers} vs 30 writers: {ratio:.2f}× "
                f"(goal ≥ 1.0×); p95 with think time: "
                f"{realistic.quantile(0.95) * 1000:.1f} ms (goal ≤ 100 ms)"
            )


if __name__ == "__main__":
    main()
