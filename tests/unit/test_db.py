"""The database layer: aware UTC times on SQLite, and concurrent writers that queue."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.orm import Session

from kipp.db import WRITE_INTENT, UTCDateTime, make_engine


def test_sqlite_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    """Read-then-write transactions from two threads: with the write intent none fails with
    "database is locked" and no increment is lost."""
    engine = make_engine(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    errors: list[BaseException] = []

    def increment(times: int) -> None:
        try:
            for _ in range(times):
                with Session(engine) as session:
                    session.connection(execution_options={WRITE_INTENT: True})
                    n = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                    session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
                    session.commit()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=increment, args=(25,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar_one() == 75


def test_utc_datetime_round_trips_aware(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'times.sqlite3'}")
    metadata = MetaData()
    table = Table(
        "moments", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    metadata.create_all(engine)
    wita = timezone(timedelta(hours=8))
    moment = datetime(2021, 10, 11, 0, 0, tzinfo=wita)
    with engine.begin() as connection:
        connection.execute(table.insert().values(id=1, at=moment))
        stored = connection.execute(select(table.c.at)).scalar_one()
    assert stored == moment and stored.tzinfo == UTC


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'naive.sqlite3'}")
    metadata = MetaData()
    table = Table(
        "moments", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    metadata.create_all(engine)
    with pytest.raises(Exception, match="naive"), engine.begin() as connection:
        connection.execute(table.insert().values(id=1, at=datetime(2021, 10, 11)))
