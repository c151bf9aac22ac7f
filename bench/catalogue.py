"""Public catalogue search benchmark: ``python -m bench.catalogue`` (``make bench-catalogue``).

100 organisations (regencies, cities, provinces, ministries), each with 12 agencies and three
yearly competitions (2022-2024): **30,000 innovations in the catalogue** (and 3,000 drafts and
ineligible proposals that must stay out), with titles and public sections written from a
vocabulary of public-service words (Zipf-distributed, as real words are), announced awards,
honourable mentions and sustainability reports. Bulk-inserted into a fresh SQLite file and,
when ``KIPP_BENCH_POSTGRES_URL`` names a scratch database (its ``public`` schema is DROPPED),
into PostgreSQL; the database triggers of migration 0015 index every row as it is inserted.

For a set of realistic searches (common and rare words, two words, a prefix as typed, each
filter, words with filters, deep pages) it measures, in interleaved rounds:

- ``driver``: the very SQL the service runs (the page's ids, their rows, and the count when the
  page is full), compiled once, its values bound as the service binds them, run through the
  plain driver (``sqlite3`` / ``psycopg``): the floor;
- ``service``: ``kipp.catalogue.service.search`` (queries, awards, sustainability, excerpts,
  the response model);
- ``HTTP``: ``GET /api/v1/public/catalogue`` through FastAPI's TestClient (JSON too);

and prints each search's medians and the p95 over every search and round, with the ratios to
the floor. Figures go into docs/performance.md. Not a timed test: machines differ.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
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
from kipp.catalogue import query as catalogue_query  # noqa: E402
from kipp.catalogue import repository  # noqa: E402
from kipp.catalogue import service as catalogue  # noqa: E402
from kipp.competitions.defaults import (  # noqa: E402
    default_admin_checklist,
    default_proposal_template,
)
from kipp.config import get_settings  # noqa: E402
from kipp.db import get_session, make_engine, unit_of_work  # noqa: E402
from kipp.models import (  # noqa: E402
    Agency,
    Competition,
    Innovation,
    Nomination,
    Organisation,
    SustainabilityReport,
)

ORGANISATIONS = 100
AGENCIES_PER_ORGANISATION = 12
YEARS = (2022, 2023, 2024)
IN_CATALOGUE = 30_000
OUTSIDE = 3_000
SEED = 20221201
REPEATS = 7


# Real words of public-service proposals, most frequent first; then 2,500 made-up words (as
# many distinct words as real proposals use), then a few real but rare ones. Texts draw them
# with Zipf's law, as language does: "pelayanan" is in nearly every proposal, "hipnoterapi" in
# few.
def _words(text: str) -> list[str]:
    return text.split()


COMMON_WORDS = _words(
    "pelayanan kesehatan pendidikan masyarakat desa digital ibu anak sekolah layanan publik "
    "administrasi kependudukan perizinan terpadu pasar petani nelayan air bersih sampah bank "
    "posyandu puskesmas stunting gizi balita lansia disabilitas perempuan pemuda koperasi usaha "
    "mikro pajak retribusi aplikasi daring informasi pengaduan transparansi anggaran jalan "
    "jembatan banjir bencana kebakaran ambulans darurat rujukan persalinan imunisasi vaksinasi "
    "literasi perpustakaan guru murid beasiswa pelatihan kerja wirausaha pariwisata budaya "
    "kakao kopi sagu rumput laut hutan energi surya listrik irigasi pupuk benih ternak "
    "kesejahteraan sosial bantuan akta kelahiran nikah kematian dokumen arsip antrean loket "
    "jemput bola keliling terapung perbatasan pulau terpencil adat toleransi keamanan "
    "ketertiban lalu lintas parkir angkutan terminal pelabuhan bandara "
    "ekosistem kolaborasi gotong royong swadaya inklusi partisipasi"
)
_SYLLABLES = _words("ba ka la ma na pa ra sa ta wa bi ki li mi ni pi ri si ti gu lu mu nu ru su tu")
MADE_UP = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("n", "ng", "k", "r")][:2_500]
RARE_WORDS = _words("akuntabilitas hipnoterapi telemedis mangrove")
WORDS = COMMON_WORDS + MADE_UP + RARE_WORDS
_CUMULATIVE = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(WORDS))))
LEVELS = ("kabupaten", "kota", "provinsi", "kementerian")


def _zipf_words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=_CUMULATIVE, k=count))


def _chunks(rows: list[dict[str, Any]], size: int = 5_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _load(engine: Engine) -> None:
    """Bulk-insert the organisations, agencies, competitions, innovations and afterlife."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    template = default_proposal_template()
    with engine.begin() as connection:
        connection.execute(
            insert(Organisation),
            [
                {
                    "id": o,
                    "slug": f"org-{o}",
                    "name": f"Pemerintah {rng.choice(['Kabupaten', 'Kota', 'Provinsi'])} {o}",
                    "level": LEVELS[o % len(LEVELS)],
                    "region": f"Wilayah {o}",
                }
                for o in range(2, ORGANISATIONS + 1)  # 1, the default one, exists already
            ],
        )
        agencies = [
            {
                "id": (o - 1) * AGENCIES_PER_ORGANISATION + a,
                "organisation_id": o,
                "code": f"OPD{a}",
                "name": f"Dinas {COMMON_WORDS[(o * a) % len(COMMON_WORDS)].title()} {a}",
            }
            for o in range(1, ORGANISATIONS + 1)
            for a in range(1, AGENCIES_PER_ORGANISATION + 1)
        ]
        connection.execute(insert(Agency), agencies)
        competitions = []
        for o in range(1, ORGANISATIONS + 1):
            for y, year in enumerate(YEARS):
                competitions.append(
                    {
                        "id": (o - 1) * len(YEARS) + y + 1,
                        "organisation_id": o,
                        "name": f"KIPP {year} organisasi {o}",
                        "year": year,
                        "level": LEVELS[o % len(LEVELS)],
                        "region": f"Wilayah {o}",
                        "published": True,
                        "proposal_template": template,
                        "admin_checklist": default_admin_checklist(),
                        "current_stage": "announcement" if year < YEARS[-1] else "presentation",
                        "finalised_at": now if year < YEARS[-1] else None,
                    }
                )
        connection.execute(insert(Competition), competitions)

        innovations: list[dict[str, Any]] = []
        total = IN_CATALOGUE + OUTSIDE
        for i in range(1, total + 1):
            competition = competitions[(i - 1) % len(competitions)]
            organisation = competition["organisation_id"]
            announced = competition["current_stage"] == "announcement"
            status = "eligible"
            if i > IN_CATALOGUE:
                status = rng.choice(["draft", "submitted", "ineligible", "withdrawn"])
            elif announced:
                status = rng.choices(["winner", "not_nominated"], weights=[1, 9])[0]
            innovations.append(
                {
                    "id": i,
                    "competition_id": competition["id"],
                    "agency_id": (organisation - 1) * AGENCIES_PER_ORGANISATION
                    + rng.randrange(1, AGENCIES_PER_ORGANISATION + 1),
                    "title": _zipf_words(rng, 4).title(),
                    "group": "umum",
                    "category": rng.choice(["Tata kelola", "Pelayanan publik", "Daya saing"]),
                    "status": status,
                    "sections": {
                        "ringkasan": _zipf_words(rng, 60),
                        "ide_inovatif": _zipf_words(rng, 120),
                        "signifikansi": _zipf_words(rng, 120),
                        "kontribusi_tpb": _zipf_words(rng, 40),
                        "adaptabilitas": _zipf_words(rng, 80),  # private
                    },
                    "links": [],
                }
            )
        for chunk in _chunks(innovations):
            connection.execute(insert(Innovation), chunk)
        by_competition: dict[int, list[int]] = {}
        for row in innovations:
            if row["status"] == "not_nominated":
                by_competition.setdefault(row["competition_id"], []).append(row["id"])
        connection.execute(
            insert(Nomination),
            [
                {
                    "competition_id": competition_id,
                    "innovation_ids": [],
                    "honourable_mention_ids": ids[:3],
                    "method": "mean",
                    "manifest": {},
                    "manifest_sha256": "0" * 64,
                }
                for competition_id, ids in by_competition.items()
            ],
        )
        reports = [
            {"innovation_id": row["id"], "year": year, "status": rng.choice(["running", "stopped"])}
            for row in innovations
            if row["status"] == "winner"
            for year in range(2023, 2025)
            if rng.random() < 0.7
        ]
        connection.execute(insert(SustainabilityReport), reports)


# What people type and pick (the organisation's slug and an agency's words are real ones).
SEARCHES: list[tuple[str, dict[str, Any]]] = [
    ("first page, newest", {}),
    ("common word", {"q": "pelayanan "}),
    ("two words", {"q": "kesehatan ibu "}),
    ("prefix while typing", {"q": "persal"}),
    ("rare word", {"q": "hipnoterapi "}),
    ("word, no match", {"q": "kapalselam "}),
    ("organisation", {"organisation": "org-42"}),
    ("level + year", {"level": "provinsi", "year": 2023}),
    ("agency text", {"agency": "dinas pajak"}),
    ("sustainability running", {"status": "running"}),
    ("award winner", {"award": "winner"}),
    ("honourable mentions", {"award": "honourable_mention"}),
    ("word + year + level", {"q": "sekolah ", "year": 2024, "level": "kabupaten"}),
    ("word, page 5", {"q": "desa ", "offset": 80}),
    ("page 50, newest", {"offset": 1_000}),
    ("title order", {"sort": "title"}),
]


def _driver(url: str) -> Callable[[], Any]:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        return lambda: sqlite3.connect(path)
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    return lambda: psycopg.connect(plain, autocommit=True)


def _sql(engine: Engine, statement: Any) -> str:
    """The SQL with its values written in (for the page rows' ids, plain integers)."""
    return str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def _bound(engine: Engine, statement: Any) -> tuple[str, Any]:
    """The SQL and its parameters as the driver takes them, values bound as the service binds
    them (PostgreSQL plans a literal tsquery differently from a bound one)."""
    compiled = statement.compile(
        dialect=engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    if engine.dialect.name == "sqlite":
        return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup or [])
    return str(compiled), dict(compiled.params)


def _floor(
    connection: Any,
    page_sql: tuple[str, Any],
    rows_sql: str,
    count_sql: tuple[str, Any],
    limit: int,
    offset: int,
) -> int:
    """The page's ids, their rows and, when the service needs it, the count: the service's
    SQL through the plain driver."""
    cursor = connection.cursor()
    cursor.execute(*page_sql)
    ids = [row[0] for row in cursor.fetchall()]
    if ids:
        cursor.execute(rows_sql.replace("IN (-1)", "IN (" + ", ".join(map(str, ids)) + ")"))
        cursor.fetchall()
    total = offset + len(ids)
    if len(ids) == limit or (not ids and offset):
        cursor.execute(*count_sql)
        total = cursor.fetchone()[0]
    cursor.close()
    return total


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _bench(label: str, url: str) -> None:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    started = time.perf_counter()
    _load(engine)
    load_seconds = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    dialect = engine.dialect.name
    plain = _driver(url)()

    app = create_app(get_settings())

    def _session() -> Iterator[Session]:
        yield from unit_of_work(Session(engine, expire_on_commit=False))

    app.dependency_overrides[get_session] = _session
    times: dict[str, dict[str, list[float]]] = {}
    totals: dict[str, int] = {}
    with Session(engine) as session, TestClient(app) as client:
        actions: dict[str, dict[str, Callable[[], object]]] = {}
        rows_sql = _sql(engine, repository.entry_statement([-1], dialect))
        assert "IN (-1)" in rows_sql
        for name, params in SEARCHES:
            query = catalogue_query.parse(**params)
            page_sql = _bound(engine, repository.page_statement(query, dialect))
            count_sql = _bound(engine, repository.count_statement(query, dialect))

            def floor(
                q: Any = query, p: tuple[str, Any] = page_sql, c: tuple[str, Any] = count_sql
            ) -> int:
                return _floor(plain, p, rows_sql, c, q.limit, q.offset)

            def service(q: Any = query) -> int:
                return catalogue.search(session=session, query=q).total

            def http(p: dict[str, Any] = params) -> int:
                response = client.get("/api/v1/public/catalogue", params=p)
                assert response.status_code == 200, response.text
                return int(response.json()["total"])

            totals[name] = service()
            assert floor() == totals[name] == http(), name  # the same answer three ways
            actions[name] = {"driver": floor, "service": service, "http": http}
            times[name] = {"driver": [], "service": [], "http": []}
        for _ in range(REPEATS):
            for name, kinds in actions.items():
                for kind, action in kinds.items():
                    begun = time.perf_counter()
                    action()
                    times[name][kind].append(time.perf_counter() - begun)
        in_catalogue = catalogue.search(session=session, query=catalogue_query.parse()).total
    plain.close()
    engine.dispose()

    print(
        f"\n== {label}: {ORGANISATIONS} organisations, {in_catalogue:,} innovations in the "
        f"catalogue (+{OUTSIDE:,} outside it); load and index {load_seconds:.1f} s"
    )
    print(
        f"{'search':28} {'results':>8} {'driver':>9} {'service':>9} {'ratio':>6} {'HTTP':>9} {'ratio':>6}"
    )
    for name, kinds in times.items():
        d, s, h = (statistics.median(kinds[k]) for k in ("driver", "service", "http"))
        print(
            f"{name:28} {totals[name]:8,} {d * 1000:7.1f}ms {s * 1000:7.1f}ms {s / d:5.2f}x "
            f"{h * 1000:7.1f}ms {h / d:5.2f}x"
        )
    p95 = {
        k: _p95([t for kinds in times.values() for t in kinds[k]])
        for k in ("driver", "service", "http")
    }
    print(
        f"{'p95 over every search':28} {'':8} {p95['driver'] * 1000:7.1f}ms "
        f"{p95['service'] * 1000:7.1f}ms {p95['service'] / p95['driver']:5.2f}x "
        f"{p95['http'] * 1000:7.1f}ms {p95['http'] / p95['driver']:5.2f}x"
    )


def main() -> int:
    """``python -m bench.catalogue [sqlite] [postgresql]``: both by default (PostgreSQL when
    ``KIPP_BENCH_POSTGRES_URL`` is set)."""
    chosen = set(sys.argv[1:]) or {"sqlite", "postgresql"}
    if "sqlite" in chosen:
        _bench("SQLite", f"sqlite:///{_TMP / 'catalogue.sqlite3'}")
    postgres = os.environ.get("KIPP_BENCH_POSTGRES_URL")
    if "postgresql" in chosen and postgres:
        _bench("PostgreSQL", postgres)
    elif "postgresql" in chosen:
        print("\nKIPP_BENCH_POSTGRES_URL is not set: PostgreSQL skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
