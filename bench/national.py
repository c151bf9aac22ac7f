"""The national ranking on a deployment of many organisers: ``python -m bench.national``
(``make bench-scale``).

One deployment holds the nation: the national organiser (the default organisation) and
**100 regional organisations** (provinces, regencies, cities), each with its own agencies
(six apiece; the codes repeat from one organisation to the next, as they may) and its own
regional round feeding the national competition (``parent_competition_id``): 270
innovations, 30 of them judged by 5 judges (5 final sheets each), the others submitted or
found ineligible — 27,000 regional innovations and 3,000 national proposals, the 30,000
innovations of the catalogue benchmark. The national competition has **3,000 proposals from
agencies of all 100 organisations, 40 national judges, 7 final sheets per proposal, 6
criteria: 126,000 scores** beside the regional rounds' 90,000. All bulk-inserted into a
fresh SQLite file and, when ``KIPP_BENCH_POSTGRES_URL`` names a scratch database (its
``public`` schema is DROPPED), into PostgreSQL.

For each it prints, as ``bench.ranking`` does (interleaved rounds, medians of 5): the national
competition's final scores fetched with the plain driver (the floor), the ranking service
(default method ``judge_effects``, 1,000 draws), ``GET …/ranking`` over HTTP, their ratios
(target <= 2x), and the peak memory of one ranking. Not a timed test: machines differ.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, text, update
from sqlalchemy.orm import Session

from bench.ranking import (
    _TMP,
    _driver,
    _driver_fetch,
    _interleaved,
    _peak,
)
from kipp import migrate
from kipp.app import create_app
from kipp.competitions.defaults import (
    STAGE_KEYS,
    STAGE_NAMES,
    default_admin_checklist,
    default_criteria,
    default_proposal_template,
)
from kipp.config import get_settings
from kipp.db import get_session, make_engine, unit_of_work
from kipp.models import (
    Agency,
    Competition,
    Criterion,
    Innovation,
    Organisation,
    PanelMember,
    Score,
    Scoresheet,
    Stage,
    User,
)
from kipp.ranking import service as ranking
from kipp.security import create_access_token

ORGANISATIONS = 100  # regional organisers, besides the national one (the default, id 1)
AGENCIES_PER_ORGANISATION = 6
REGIONAL_INNOVATIONS = 30  # judged, per regional round
REGIONAL_UNJUDGED = 240  # submitted or ineligible, per regional round
REGIONAL_JUDGES = 5
NATIONAL_PROPOSALS = 3_000
NATIONAL_JUDGES = 40
SHEETS_PER_PROPOSAL = 7
NATIONAL = 1  # the national competition's id
TARGET = 2.0
SEED = 20211201
LEVELS = ("provinsi", "kabupaten", "kota")


def _scores_sql(competition_id: int) -> str:
    return (
        "SELECT s.innovation_id, s.judge_id, sc.criterion_key, sc.value FROM scoresheets s "
        "JOIN scores sc ON sc.scoresheet_id = s.id "
        f"WHERE s.competition_id = {competition_id} AND s.status = 'final'"
    )


class _Rows:
    """Rows per table, with ids handed out in insertion order."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, object]]] = {}

    def add(self, table: type, **row: object) -> int:
        rows = self.rows.setdefault(table, [])
        if hasattr(table, "id"):
            row.setdefault("id", len(rows) + 1)
        rows.append(row)
        return int(row.get("id", 0))  # type: ignore[call-overload]


def _competition(
    rows: _Rows, *, organisation: int, name: str, level: str, parent: int | None, now: datetime
) -> int:
    competition = rows.add(
        Competition,
        organisation_id=organisation,
        name=name,
        year=now.year,
        level=level,
        region=name,
        top_n=99 if parent is None else 3,
        published=True,
        proposal_template=default_proposal_template(),
        admin_checklist=default_admin_checklist(),
        current_stage="nomination",
        parent_competition_id=parent,
    )
    week = timedelta(days=7)
    for i, key in enumerate(STAGE_KEYS):
        rows.add(
            Stage,
            competition_id=competition,
            key=key,
            name=STAGE_NAMES[key],
            position=i + 1,
            starts_at=now - 4 * week + i * week,
            ends_at=now - 3 * week + i * week,
        )
    for position, criterion in enumerate(default_criteria()):
        rows.add(Criterion, competition_id=competition, position=position, **criterion)
    return competition


def _judged(
    rows: _Rows,
    rng: random.Random,
    *,
    competition: int,
    agencies: list[int],
    judges: list[int],
    innovations: int,
    sheets: int,
    now: datetime,
) -> None:
    """``innovations`` eligible innovations of ``agencies``, each scored by ``sheets`` of
    ``judges`` (final sheets, every default criterion)."""
    leniency = {j: rng.gauss(0, 1) for j in judges}
    for judge in judges:
        rows.add(PanelMember, competition_id=competition, user_id=judge)
    for _ in range(innovations):
        quality = rng.uniform(3, 9)
        innovation = rows.add(
            Innovation,
            competition_id=competition,
            agency_id=rng.choice(agencies),
            title=f"Inovasi {len(rows.rows.get(Innovation, [])) + 1}",
            status="eligible",
            sections={},
            links=[],
        )
        for judge in rng.sample(judges, sheets):
            sheet = rows.add(
                Scoresheet,
                competition_id=competition,
                innovation_id=innovation,
                judge_id=judge,
                status="final",
                submitted_at=now,
            )
            for criterion in default_criteria():
                value = round(quality + leniency[judge] + rng.gauss(0, 1))
                rows.add(
                    Score,
                    scoresheet_id=sheet,
                    criterion_key=criterion["key"],
                    value=max(1, min(10, value)),
                )


def _load(engine: Engine) -> dict[str, int]:
    """Bulk-insert the nation; returns the row counts."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    rows = _Rows()
    rows.add(
        User,
        id=1,
        organisation_id=1,
        email="admin@bench.kipp",
        full_name="Admin",
        role="admin",
        password_hash="-",
    )
    # The national organiser: the default organisation (id 1, made by the migrations).
    national_agency = rows.add(Agency, organisation_id=1, code="KEMENPAN", name="Kementerian")
    national_judges = [
        rows.add(
            User,
            id=1 + j,
            organisation_id=1,
            email=f"juri{j}@bench.kipp",
            full_name=f"Juri Nasional {j}",
            role="judge",
            agency_id=national_agency,
            password_hash="-",
        )
        for j in range(1, NATIONAL_JUDGES + 1)
    ]
    national = _competition(
        rows, organisation=1, name="KIPP Nasional (bench)", level="nasional", parent=None, now=now
    )
    assert national == NATIONAL
    proposal_agencies: list[int] = []
    for o in range(2, ORGANISATIONS + 2):
        rows.add(
            Organisation,
            id=o,
            slug=f"org-{o}",
            name=f"Pemerintah Daerah {o}",
            level=LEVELS[o % 3],
            region=f"Daerah {o}",
        )
        agencies = [
            rows.add(Agency, organisation_id=o, code=f"OPD{a}", name=f"OPD {a} Daerah {o}")
            for a in range(1, AGENCIES_PER_ORGANISATION + 1)
        ]
        proposal_agencies += agencies
        judges = [
            rows.add(
                User,
                organisation_id=o,
                email=f"juri{j}@org-{o}.bench.kipp",
                full_name=f"Juri {j} Daerah {o}",
                role="judge",
                password_hash="-",
                id=10_000 + o * 100 + j,
            )
            for j in range(1, REGIONAL_JUDGES + 1)
        ]
        regional = _competition(
            rows,
            organisation=o,
            name=f"KIPP Daerah {o}",
            level=LEVELS[o % 3],
            parent=national,
            now=now,
        )
        for n in range(REGIONAL_UNJUDGED):
            rows.add(
                Innovation,
                competition_id=regional,
                agency_id=rng.choice(agencies),
                title=f"Inovasi daerah {o}-{n}",
                status="submitted" if n % 3 else "ineligible",
                sections={},
                links=[],
            )
        _judged(
            rows,
            rng,
            competition=regional,
            agencies=agencies,
            judges=judges,
            innovations=REGIONAL_INNOVATIONS,
            sheets=REGIONAL_JUDGES,
            now=now,
        )
    _judged(
        rows,
        rng,
        competition=national,
        agencies=proposal_agencies,
        judges=national_judges,
        innovations=NATIONAL_PROPOSALS,
        sheets=SHEETS_PER_PROPOSAL,
        now=now,
    )
    order = (
        Organisation,
        Agency,
        User,
        Competition,
        Stage,
        Criterion,
        PanelMember,
        Innovation,
        Scoresheet,
        Score,
    )
    with engine.begin() as connection:
        for table in order:
            table_rows = rows.rows.get(table, [])
            for start in range(0, len(table_rows), 10_000):
                connection.execute(insert(table), table_rows[start : start + 10_000])
        if engine.dialect.name == "postgresql":
            for table in (t for t in order if hasattr(t, "id")):
                name = table.__tablename__  # type: ignore[attr-defined]
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT MAX(id) FROM {name}))"
                    )
                )
        connection.execute(
            update(Organisation)
            .where(Organisation.id == 1)
            .values(name="Penyelenggara Nasional", level="nasional", region="Indonesia")
        )
    return {table.__tablename__: len(rows.rows.get(table, [])) for table in order}  # type: ignore[attr-defined]


def _bench(label: str, url: str) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    started = time.perf_counter()
    counts = _load(engine)
    load_seconds = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    plain = _driver(url)()
    sql = _scores_sql(NATIONAL)
    with Session(engine) as session:
        competition = session.get(Competition, NATIONAL)
        assert competition is not None

        def service(samples: int = 1000) -> object:
            return ranking.competition_ranking(
                session=session, competition=competition, bootstrap_samples=samples
            )

        national_scores = len(_driver_fetch(plain, sql))
        out = service()
        # Distinct agency labels: another organisation's agency carries its region.
        organisations_ranked = len({e["agency_code"] for e in out.entries})
        memory = _peak(service)
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
                    f"/api/v1/competitions/{NATIONAL}/ranking",
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.status_code == 200, response.text
                return response

            http()  # warm up
            median = _interleaved(
                {"fetch": lambda: _driver_fetch(plain, sql), "service": service, "http": http},
                5,
            )
    plain.close()
    engine.dispose()
    fetch_s, service_s, http_s = median["fetch"], median["service"], median["http"]
    print(
        f"\n== {label}: {ORGANISATIONS} organisations + the national organiser, "
        f"{counts['agencies']:,} agencies, {counts['competitions']:,} competitions, "
        f"{counts['innovations']:,} innovations, {counts['scores']:,} scores"
    )
    print(
        f"national competition: {NATIONAL_PROPOSALS:,} proposals from "
        f"{len(out.entries):,} ranked ({organisations_ranked} distinct agency labels), "
        f"{NATIONAL_JUDGES} judges, {national_scores:,} final scores"
    )
    print(f"bulk load                  {load_seconds:8.2f} s")
    print(f"driver fetch (baseline)    {fetch_s * 1000:8.1f} ms")
    ratio = service_s / fetch_s
    print(
        f"national ranking ({competition.aggregation_method}, 1,000 draws) "
        f"{service_s * 1000:8.1f} ms   {ratio:5.2f}x  (target <= {TARGET:g}x: "
        f"{'meets' if ratio <= TARGET else 'MISSES'})"
    )
    print(f"GET …/ranking (HTTP)       {http_s * 1000:8.1f} ms   {http_s / fetch_s:5.2f}x")
    print(f"peak memory, one ranking   {memory:.1f} MiB")


def main() -> int:
    postgres = os.environ.get("KIPP_BENCH_POSTGRES_URL")
    print(f"load average at the start: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}")
    _bench("SQLite", f"sqlite:///{_TMP / 'national.sqlite3'}")
    if postgres:
        _bench("PostgreSQL", postgres)
    else:
        print("\nKIPP_BENCH_POSTGRES_URL is not set: PostgreSQL skipped.")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
