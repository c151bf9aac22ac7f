"""A crash loses no acknowledged write: SIGKILL a real `kipp serve` (one worker) while judges
save scoresheet drafts at once, on SQLite and (when the run uses it) PostgreSQL.

Every draft a judge saw answered 2xx before the kill must be in the database afterwards: for
each sheet the last acknowledged version — or the one write that was still in flight at the
kill, which the database may have committed without the answer getting out. Then the database
is intact (SQLite ``PRAGMA integrity_check``; a full read on PostgreSQL), the audit chain
verifies (`kipp audit verify`), and the restarted server is ready and takes writes again.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from bench import load
from sqlalchemy import create_engine, func, select, text

from kipp.models import Score, Scoresheet, User
from tests.live import LiveServer, kipp, kipp_env
from tests.test_scaleout import own_database

pytestmark = pytest.mark.slow

JUDGES = 10
WRITERS = 20  # two per judge, on disjoint innovations: each sheet has one writer
INNOVATIONS = 19
KILL_AFTER = 4.0  # seconds of writing before the SIGKILL

Draft = tuple[dict[str, int], str]  # scores, comment
Sheet = tuple[str, int]  # judge e-mail, innovation id


@dataclass
class Ledger:
    """What the clients know: the last acknowledged draft of each sheet, and the drafts sent
    whose answer never came (at most one per writer: the one in flight at the kill)."""

    acknowledged: dict[Sheet, Draft] = field(default_factory=dict)
    in_flight: dict[Sheet, Draft] = field(default_factory=dict)
    acknowledged_writes: int = 0
    refused: list[int] = field(default_factory=list)


async def _write_until_killed(
    base_url: str, tokens: list[str], innovation_ids: list[int], server: LiveServer
) -> Ledger:
    ledger = Ledger()
    killed = asyncio.Event()

    async def writer(n: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(2021 + n)
        judge = n % JUDGES
        email = f"juri{judge + 1}@beban.kipp.id"
        share = n // JUDGES
        mine = [i for k, i in enumerate(innovation_ids) if k % (WRITERS // JUDGES) == share]
        headers = {"Authorization": f"Bearer {tokens[judge]}"}
        sequence = 0
        while not killed.is_set():
            innovation_id = rng.choice(mine)
            sequence += 1
            draft = (
                {key: rng.randint(1, 10) for key in load.CRITERIA},
                f"writer {n} write {sequence}",
            )
            sheet = (email, innovation_id)
            ledger.in_flight[sheet] = draft
            try:
                response = await client.put(
                    f"/api/v1/innovations/{innovation_id}/scores/me",
                    json={"scores": draft[0], "comment": draft[1]},
                    headers=headers,
                )
            except httpx.HTTPError:
                return  # the server is gone: this draft stays "in flight"
            del ledger.in_flight[sheet]
            if response.is_success:
                ledger.acknowledged[sheet] = draft
                ledger.acknowledged_writes += 1
            else:
                ledger.refused.append(response.status_code)

    async def killer() -> None:
        await asyncio.sleep(KILL_AFTER)
        await asyncio.to_thread(server.kill)
        killed.set()

    limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await asyncio.gather(killer(), *(writer(n, client) for n in range(WRITERS)))
    return ledger


def _stored_drafts(database_url: str) -> dict[Sheet, Draft]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(
                    User.email,
                    Scoresheet.innovation_id,
                    Scoresheet.comment,
                    Score.criterion_key,
                    Score.value,
                )
                .join(User, User.id == Scoresheet.judge_id)
                .join(Score, Score.scoresheet_id == Scoresheet.id)
            ).all()
    finally:
        engine.dispose()
    stored: dict[Sheet, Draft] = {}
    for email, innovation_id, comment, key, value in rows:
        scores, _comment = stored.setdefault((email, innovation_id), ({}, comment))
        scores[key] = value
    return stored


def _database_intact(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            # Every row of the written tables reads back (on PostgreSQL: no damaged page).
            assert connection.execute(select(func.count()).select_from(Scoresheet)).scalar()
            connection.execute(select(Score)).all()
            connection.execute(text("SELECT * FROM audit_events")).all()
    finally:
        engine.dispose()


def test_sigkill_during_scoresheet_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    with own_database(tmp_path) as database_url:
        innovation_ids = load.prepare_database(database_url, judges=JUDGES, innovations=INNOVATIONS)
        env = kipp_env(database_url, tmp_path / "var")
        server = LiveServer(env=env, log=tmp_path / "serve.log")
        server.start()
        try:
            tokens = load.log_in(server.base_url, JUDGES)
            started = time.monotonic()
            ledger = load.run_isolated(
                _write_until_killed(server.base_url, tokens, innovation_ids, server)
            )
            print(
                f"\ncrash ({database_url.split(':')[0]}): {ledger.acknowledged_writes} writes "
                f"acknowledged on {len(ledger.acknowledged)} sheets in "
                f"{time.monotonic() - started:.1f} s, {len(ledger.in_flight)} in flight at the "
                f"kill, refused {ledger.refused}"
            )
            assert ledger.refused == []
            assert ledger.acknowledged_writes >= WRITERS  # the kill came mid-load

            _database_intact(database_url)
            stored = _stored_drafts(database_url)
            lost = {
                sheet: draft
                for sheet, draft in ledger.acknowledged.items()
                if stored.get(sheet) != draft and stored.get(sheet) != ledger.in_flight.get(sheet)
            }
            print(f"found after the kill: {len(ledger.acknowledged) - len(lost)} sheets")
            assert lost == {}
            # Nothing is there that no client sent, nor an older draft than the last answered.
            unexplained = {
                sheet: draft
                for sheet, draft in stored.items()
                if draft not in (ledger.acknowledged.get(sheet), ledger.in_flight.get(sheet))
            }
            assert unexplained == {}

            verified = kipp(env, "audit", "verify")
            assert verified.returncode == 0, verified.stdout + verified.stderr

            server.start()  # waits for /readyz 200
            again = httpx.put(
                f"{server.base_url}/api/v1/innovations/{innovation_ids[0]}/scores/me",
                json={"scores": {"kebaruan": 7}, "comment": "after the restart"},
                headers={"Authorization": f"Bearer {tokens[0]}"},
                timeout=30,
            )
            assert again.status_code == 200, again.text
        finally:
            server.stop()
