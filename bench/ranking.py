"""National-scale ranking and export benchmark: ``python -m bench.ranking`` (``make bench``).

3,000 (then 30,000) eligible innovations, 40 judges, 7 final scoresheets per innovation, 6
criteria: 126,000 (1,260,000) scores bulk-inserted into a fresh SQLite file and, when
``KIPP_BENCH_POSTGRES_URL`` names a database, into PostgreSQL too (its ``public`` schema is
DROPPED and recreated: give it a scratch database). For each it prints medians of:

- ``driver fetch``: the same final scores fetched with the plain driver (``sqlite3`` /
  ``psycopg``, no SQLAlchemy): the baseline;
- ``ranking service``: ``ranking.competition_ranking`` with the default method
  (``judge_effects``) and 1,000 draws, from the query to the response model;
- ``GET …/ranking``: the same through FastAPI's TestClient (JSON too);
- ``scores.csv``: the streamed export, every byte produced, against a plain script that
  fetches the same rows with the driver and writes them with the stdlib ``csv`` module;

their ratios to the baselines (targets: ranking ≤ 2x at 3,000 and ≤ 3x at 30,000, export
≤ 2x), and the peak memory (tracemalloc) of one ranking with 100, 1,000 and 10,000 draws.
Figures go into docs/performance.md. Not a timed test: machines differ.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_TMP = Path(tempfile.mkdtemp(prefix="kipp-bench-"))
os.environ.setdefault("KIPP_ENVIRONMENT", "test")
os.environ.setdefault("KIPP_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("KIPP_DATABASE_URL", f"sqlite:///{_TMP / 'unused.sqlite3'}")
os.environ.setdefault("KIPP_VAR_DIR", str(_TMP / "var"))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from kipp import migrate  # noqa: E402
from kipp.app import create_app  # noqa: E402
from kipp.competitions.defaults import (  # noqa: E402
    STAGE_KEYS,
    STAGE_NAMES,
    default_admin_checklist,
    default_criteria,
    default_proposal_template,
)
from kipp.config import get_settings  # noqa: E402
from kipp.db import get_session, make_engine, unit_of_work  # noqa: E402
from kipp.exports.tabular import csv_chunks  # noqa: E402
from kipp.models import (  # noqa: E402
    Agency,
    Competition,
    Criterion,
    Innovation,
    PanelMember,
    Score,
    Scoresheet,
    Stage,
    User,
)
from kipp.ranking import service as ranking  # noqa: E402
from kipp.results import exports as results_exports  # noqa: E402
from kipp.security import create_access_token  # noqa: E402

SIZES = (3_000, 30_000)
TARGETS = {3_000: 2.0, 30_000: 3.0}
EXPORT_TARGET = 2.0
JUDGES = 40
SHEETS_PER_INNOVATION = 7
AGENCIES = 60
SEED = 20211201


def _chunks(rows: list[dict[str, object]], size: int = 10_000) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _load(engine: Engine, innovations_count: int) -> int:
    """Bulk-insert the national round; returns the competition id."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    criteria = default_criteria()
    with engine.begin() as connection:
        connection.execute(
            insert(Agency),
            [
                {"id": a, "organisation_id": 1, "code": f"OPD{a}", "name": f"OPD {a}"}
                for a in range(1, AGENCIES + 1)
            ],
        )
        judge_agency = {j: 1 + (j - 1) % AGENCIES for j in range(1, JUDGES + 1)}
        connection.execute(
            insert(User),
            [
                {
                    "id": 1,
                    "organisation_id": 1,
                    "email": "admin@bench.kipp",
                    "full_name": "Admin",
                    "role": "admin",
                    "password_hash": "-",
                }
            ]
            + [
                {
                    "id": 1 + j,
                    "organisation_id": 1,
                    "email": f"juri{j}@bench.kipp",
                    "full_name": f"Juri {j}",
                    "role": "judge",
                    "agency_id": judge_agency[j],
                    "password_hash": "-",
                }
                for j in range(1, JUDGES + 1)
            ],
        )
        connection.execute(
            insert(Competition),
            [
                {
                    "id": 1,
                    "organisation_id": 1,
                    "name": "KIPP Nasional (bench)",
                    "year": now.year,
                    "level": "nasional",
                    "region": "Indonesia",
                    "top_n": 99,
                    "published": True,
                    "proposal_template": default_proposal_template(),
                    "admin_checklist": default_admin_checklist(),
                    "current_stage": "nomination",
                }
            ],
        )
        week = timedelta(days=7)
        connection.execute(
            insert(Stage),
            [
                {
                    "competition_id": 1,
                    "key": key,
                    "name": STAGE_NAMES[key],
                    "position": i + 1,
                    "starts_at": now - 4 * week + i * week,
                    "ends_at": now - 3 * week + i * week,
                }
                for i, key in enumerate(STAGE_KEYS)
            ],
        )
        connection.execute(
            insert(Criterion),
            [{"competition_id": 1, "position": p, **c} for p, c in enumerate(criteria)],
        )
        connection.execute(
            insert(PanelMember),
            [{"competition_id": 1, "user_id": 1 + j} for j in range(1, JUDGES + 1)],
        )
        quality = {i: rng.uniform(3, 9) for i in range(1, innovations_count + 1)}
        leniency = {j: rng.gauss(0, 1) for j in range(1, JUDGES + 1)}
        innovations, sheets, scores = [], [], []
        for i in range(1, innovations_count + 1):
            agency = 1 + rng.randrange(AGENCIES)
            innovations.append(
                {
                    "id": i,
                    "competition_id": 1,
                    "agency_id": agency,
                    "title": f"Inovasi {i}",
                    "status": "eligible",
                    "sections": {},
                    "links": [],
                }
            )
            eligible = [j for j in range(1, JUDGES + 1) if judge_agency[j] != agency]
            for j in rng.sample(eligible, SHEETS_PER_INNOVATION):
                sheet_id = len(sheets) + 1
                sheets.append(
                    {
                        "id": sheet_id,
                        "competition_id": 1,
                        "innovation_id": i,
                        "judge_id": 1 + j,
                        "status": "final",
                        "submitted_at": now,
                    }
                )
                for c in criteria:
                    value = round(quality[i] + leniency[j] + rng.gauss(0, 1))
                    scores.append(
                        {
                            "scoresheet_id": sheet_id,
                            "criterion_key": c["key"],
                            "value": max(1, min(10, value)),
                        }
                    )
        for table, rows in ((Innovation, innovations), (Scoresheet, sheets), (Score, scores)):
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)
    return 1


SCORES_SQL = (
    "SELECT s.innovation_id, s.judge_id, sc.criterion_key, sc.value FROM scoresheets s "
    "JOIN scores sc ON sc.scoresheet_id = s.id WHERE s.competition_id = 1 AND s.status = 'final'"
)
# The scores export's rows, as a plain script would fetch them (same joins, same order).
EXPORT_SQL = (
    "SELECT i.id, i.title, a.code, u.id, u.full_name, sc.criterion_key, c.weight, sc.value, "
    "s.status, s.submitted_at FROM scoresheets s JOIN scores sc ON sc.scoresheet_id = s.id "
    "JOIN innovations i ON i.id = s.innovation_id JOIN agencies a ON a.id = i.agency_id "
    "JOIN users u ON u.id = s.judge_id LEFT JOIN criteria c ON c.competition_id = 1 "
    "AND c.key = sc.criterion_key WHERE s.competition_id = 1 "
    "ORDER BY s.innovation_id, s.judge_id, c.position, sc.criterion_key"
)


def _driver(url: str) -> Callable[[], Any]:
    """A plain DBAPI connection to the bench database, without SQLAlchemy."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        return lambda: sqlite3.connect(path)
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    return lambda: psycopg.connect(plain)


def _driver_fetch(connection: Any, sql: str) -> list[Any]:
    cursor = connection.cursor()
    cursor.execute(sql)
    rows: list[Any] = cursor.fetchall()
    cursor.close()
    return rows


def _plain_csv(connection: Any) -> int:
    """The baseline export: fetch with the driver in batches, write with the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cursor = connection.cursor()
    cursor.execute(EXPORT_SQL)
    size = 0
    while batch := cursor.fetchmany(2000):
        writer.writerows(batch)
        size += len(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    cursor.close()
    return size


def _interleaved(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each action over ``repeats`` rounds, the actions taking turns in
    every round, so a load spike on the shared machine hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def _peak(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _bench(label: str, url: str, size: int) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    started = time.perf_counter()
    competition_id = _load(engine, size)
    load_seconds = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    plain = _driver(url)()
    repeats = 9 if size <= 3_000 else 3

    with Session(engine) as session:
        competition = session.get(Competition, competition_id)
        assert competition is not None
        method = competition.aggregation_method

        def service(samples: int = 1000) -> object:
            return ranking.competition_ranking(
                session=session, competition=competition, bootstrap_samples=samples
            )

        def export() -> int:
            table = results_exports.scores_table(
                session=session, competition=competition, method=None, language="id"
            )
            return sum(len(chunk) for chunk in csv_chunks(table))

        rows = len(_driver_fetch(plain, SCORES_SQL))
        service()  # warm up
        memory = {samples: _peak(lambda s=samples: service(s)) for samples in (100, 1000, 10_000)}

        app = create_app(get_settings())

        def _session() -> Iterator[Session]:
            yield from unit_of_work(Session(engine, expire_on_commit=False))

        app.dependency_overrides[get_session] = _session
        token = create_access_token(
            user_id=1, secret_key=get_settings().secret_key, lifetime=timedelta(hours=1)
        )
        with TestClient(app) as client:

            def http() -> object:
                response = client.get(
                    f"/api/v1/competitions/{competition_id}/ranking",
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.status_code == 200, response.text
                return response

            http()  # warm up
            median = _interleaved(
                {
                    "fetch": lambda: _driver_fetch(plain, SCORES_SQL),
                    "service": service,
                    "http": http,
                },
                repeats,
            )
        exports = (
            _interleaved({"plain": lambda: _plain_csv(plain), "export": export}, repeats)
            if size <= 3_000
            else None
        )
    plain.close()
    engine.dispose()
    fetch_s, service_s, http_s = median["fetch"], median["service"], median["http"]
    target = TARGETS[size]

    print(f"\n== {label}: {size:,} innovations, {JUDGES} judges, {rows:,} final scores")
    print(f"bulk load                  {load_seconds:8.2f} s")
    print(f"driver fetch (baseline)    {fetch_s * 1000:8.1f} ms")
    print(
        f"ranking service ({method}, 1,000 draws) {service_s * 1000:8.1f} ms   "
        f"{service_s / fetch_s:5.2f}x  (target <= {target:g}x: "
        f"{'meets' if service_s / fetch_s <= target else 'MISSES'})"
    )
    print(f"GET …/ranking (HTTP)       {http_s * 1000:8.1f} ms   {http_s / fetch_s:5.2f}x")
    print(
        "peak memory, one ranking   "
        + ", ".join(f"{mib:.1f} MiB ({samples:,} draws)" for samples, mib in memory.items())
    )
    if exports is not None:
        plain_s, export_s = exports["plain"], exports["export"]
        print(f"plain driver + csv module  {plain_s * 1000:8.1f} ms")
        print(
            f"scores.csv export (streamed) {export_s * 1000:6.1f} ms   {export_s / plain_s:5.2f}x  "
            f"(target <= {EXPORT_TARGET:g}x: "
            f"{'meets' if export_s / plain_s <= EXPORT_TARGET else 'MISSES'})"
        )


def main() -> int:
    sizes = [int(s) for s in sys.argv[1:]] or list(SIZES)
    postgres = os.environ.get("KIPP_BENCH_POSTGRES_URL")
    for size in sizes:
        _bench("SQLite", f"sqlite:///{_TMP / f'bench-{size}.sqlite3'}", size)
        if postgres:
            _bench("PostgreSQL", postgres, size)
    if not postgres:
        print("\nKIPP_BENCH_POSTGRES_URL is not set: PostgreSQL skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
