"""National-scale ranking benchmark: ``python -m bench.ranking`` (``make bench``).

3,000 eligible innovations, 40 judges, 7 final scoresheets per innovation, 6 criteria:
126,000 scores bulk-inserted into a fresh SQLite file and, when ``KIPP_BENCH_POSTGRES_URL``
names a database, into PostgreSQL too (its ``public`` schema is DROPPED and recreated: give it
a scratch database). For each database it prints the median of 5 of:

- ``select``: a bare SELECT of the same final scores through the same engine (the baseline);
- ``service``: ``ranking.competition_ranking`` (one query, aggregation, 1,000-sample bootstrap);
- ``http``: ``GET /api/v1/competitions/{id}/ranking`` through FastAPI's TestClient (JSON too);

their ratios to the baseline (target: service ≤ 3×), and the peak memory (tracemalloc) of one
ranking call. Figures go into docs/performance.md. Not a timed test: machines differ.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="kipp-bench-"))
os.environ.setdefault("KIPP_ENVIRONMENT", "test")
os.environ.setdefault("KIPP_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("KIPP_DATABASE_URL", f"sqlite:///{_TMP / 'unused.sqlite3'}")
os.environ.setdefault("KIPP_VAR_DIR", str(_TMP / "var"))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402
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
from kipp.security import create_access_token  # noqa: E402

INNOVATIONS = 3_000
JUDGES = 40
SHEETS_PER_INNOVATION = 7
AGENCIES = 60
REPEATS = 5
SEED = 20211201


def _chunks(rows: list[dict[str, object]], size: int = 10_000) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _load(engine: Engine) -> int:
    """Bulk-insert the national round; returns the competition id."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    criteria = default_criteria()
    with engine.begin() as connection:
        connection.execute(
            insert(Agency),
            [{"id": a, "code": f"OPD{a}", "name": f"OPD {a}"} for a in range(1, AGENCIES + 1)],
        )
        judge_agency = {j: 1 + (j - 1) % AGENCIES for j in range(1, JUDGES + 1)}
        connection.execute(
            insert(User),
            [
                {
                    "id": 1,
                    "email": "admin@bench.kipp",
                    "full_name": "Admin",
                    "role": "admin",
                    "password_hash": "-",
                }
            ]
            + [
                {
                    "id": 1 + j,
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
        quality = {i: rng.uniform(3, 9) for i in range(1, INNOVATIONS + 1)}
        leniency = {j: rng.gauss(0, 1) for j in range(1, JUDGES + 1)}
        innovations, sheets, scores = [], [], []
        for i in range(1, INNOVATIONS + 1):
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


def _interleaved(actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds of each action over REPEATS rounds, the actions taking turns in every
    round, so a load spike on the shared machine hits them alike rather than one of them."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(REPEATS):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def _bench(label: str, url: str) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    started = time.perf_counter()
    competition_id = _load(engine)
    load_seconds = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))

    with Session(engine) as session:
        competition = session.get(Competition, competition_id)
        assert competition is not None

        def bare_select() -> object:
            return (
                session.connection()
                .execute(
                    select(
                        Scoresheet.innovation_id,
                        Scoresheet.judge_id,
                        Score.criterion_key,
                        Score.value,
                    )
                    .join(Score, Score.scoresheet_id == Scoresheet.id)
                    .where(
                        Scoresheet.competition_id == competition_id, Scoresheet.status == "final"
                    )
                )
                .all()
            )

        def service() -> object:
            return ranking.competition_ranking(session=session, competition=competition)

        rows = len(bare_select())  # type: ignore[arg-type]
        started = time.perf_counter()
        service()
        service_first = time.perf_counter() - started
        tracemalloc.start()
        service()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

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
            median = _interleaved({"select": bare_select, "service": service, "http": http})
    engine.dispose()
    select_s, service_s, http_s = median["select"], median["service"], median["http"]

    print(f"\n== {label}: {INNOVATIONS} innovations, {JUDGES} judges, {rows:,} final scores")
    print(f"bulk load                {load_seconds:8.2f} s")
    print(f"bare SELECT (baseline)   {select_s * 1000:8.1f} ms")
    print(
        f"ranking service          {service_s * 1000:8.1f} ms   {service_s / select_s:5.2f}x  (first call {service_first * 1000:.0f} ms)"
    )
    print(f"GET …/ranking (HTTP)     {http_s * 1000:8.1f} ms   {http_s / select_s:5.2f}x")
    print(f"peak memory, one ranking {peak / 2**20:8.1f} MiB (tracemalloc)")
    verdict = "meets" if service_s / select_s <= 3 else "MISSES"
    print(f"target service ≤ 3x the bare SELECT: {verdict}")


def main() -> int:
    _bench("SQLite", f"sqlite:///{_TMP / 'bench.sqlite3'}")
    postgres = os.environ.get("KIPP_BENCH_POSTGRES_URL")
    if postgres:
        _bench("PostgreSQL", postgres)
    else:
        print("\nKIPP_BENCH_POSTGRES_URL is not set: PostgreSQL skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
