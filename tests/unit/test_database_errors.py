"""Which database errors are a lost race (409), a busy database (503) or a fault (500):
real SQLite errors, and PostgreSQL's as psycopg raises them (by SQLSTATE)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import psycopg.errors as pg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import QueuePool

from kipp.db import DatabaseFailure, classify_database_error

UNIQUE = DatabaseFailure.UNIQUE_VIOLATION
BUSY = DatabaseFailure.BUSY
OTHER = DatabaseFailure.OTHER


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'errors.sqlite3'}", connect_args={"timeout": 0})
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE agency (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)")
        )
        connection.execute(text("INSERT INTO agency VALUES (1, 'DLH')"))
    yield engine
    engine.dispose()


def _failure_of(engine: Engine, sql: str) -> tuple[DBAPIError, DatabaseFailure]:
    with engine.connect() as connection, pytest.raises(DBAPIError) as raised:
        connection.execute(text(sql))
    return raised.value, classify_database_error(raised.value)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("INSERT INTO agency VALUES (2, 'DLH')", UNIQUE),  # UNIQUE constraint failed
        ("INSERT INTO agency VALUES (1, 'DINKES')", UNIQUE),  # the primary key is unique too
        ("INSERT INTO agency (id) VALUES (3)", OTHER),  # NOT NULL: a bug, not a race
        ("SELECT no_such_column FROM agency", OTHER),  # an OperationalError, not "busy"
        ("SELECT * FROM no_such_table", OTHER),
    ],
)
def test_sqlite_errors(sqlite_file: Engine, sql: str, expected: DatabaseFailure) -> None:
    _error, failure = _failure_of(sqlite_file, sql)
    assert failure is expected


def test_sqlite_no_such_column_is_an_operational_error_yet_a_fault(sqlite_file: Engine) -> None:
    error, failure = _failure_of(sqlite_file, "SELECT nope FROM agency")
    assert isinstance(error, OperationalError)
    assert failure is OTHER


def test_sqlite_database_is_locked_is_busy(sqlite_file: Engine) -> None:
    with sqlite_file.connect() as holder:
        holder.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
        holder.execute(text("INSERT INTO agency VALUES (5, 'DISTAN')"))
        error, failure = _failure_of(sqlite_file, "INSERT INTO agency VALUES (6, 'DPMD')")
        holder.rollback()
    assert isinstance(error, OperationalError)
    assert "database is locked" in str(error.orig)
    assert failure is BUSY


def test_the_pool_running_out_of_connections_is_busy(tmp_path: Path) -> None:
    engine = create_engine(
        f"sqlite:///{tmp_path / 'pool.sqlite3'}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.01,
    )
    with engine.connect(), pytest.raises(PoolTimeoutError) as raised:
        engine.connect()
    assert classify_database_error(raised.value) is BUSY
    engine.dispose()


def _wrapped(orig: Exception) -> DBAPIError:
    """What SQLAlchemy raises for a psycopg error: the matching DBAPIError subclass."""
    return DBAPIError.instance("SELECT 1", {}, orig, psycopg.Error)


@pytest.mark.parametrize(
    ("orig", "expected"),
    [
        (pg.UniqueViolation("duplicate key value violates unique constraint"), UNIQUE),
        (pg.NotNullViolation("null value in column"), OTHER),
        (pg.ForeignKeyViolation("violates foreign key constraint"), OTHER),
        (pg.CheckViolation("violates check constraint"), OTHER),
        (pg.LockNotAvailable("canceling statement due to lock timeout"), BUSY),
        (pg.QueryCanceled("canceling statement due to statement timeout"), BUSY),
        (pg.DeadlockDetected("deadlock detected"), BUSY),
        (pg.UndefinedColumn('column "nope" does not exist'), OTHER),
        (pg.AdminShutdown("terminating connection due to administrator command"), OTHER),
        (psycopg.OperationalError("connection refused"), OTHER),  # no SQLSTATE: an outage
    ],
)
def test_postgresql_errors_by_sqlstate(orig: Exception, expected: DatabaseFailure) -> None:
    assert classify_database_error(_wrapped(orig)) is expected


def test_postgresql_wrapping_keeps_the_class() -> None:
    assert isinstance(_wrapped(pg.UniqueViolation("dup")), IntegrityError)
    assert isinstance(_wrapped(pg.LockNotAvailable("lock")), OperationalError)


class _Psycopg2Error(Exception):
    """psycopg2 named the SQLSTATE ``pgcode``."""

    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("pgcode", "error_class", "expected"),
    [
        ("23505", IntegrityError, UNIQUE),
        ("23502", IntegrityError, OTHER),
        ("55P03", OperationalError, BUSY),
        ("42703", OperationalError, OTHER),
    ],
)
def test_psycopg2_pgcode(
    pgcode: str, error_class: type[DBAPIError], expected: DatabaseFailure
) -> None:
    error = error_class("SELECT 1", {}, _Psycopg2Error(pgcode))
    assert classify_database_error(error) is expected


def test_a_postgresql_message_never_decides() -> None:
    """A NOT NULL violation whose message quotes "UNIQUE constraint failed" is still a fault."""
    orig = pg.NotNullViolation('null value in column "note" ("UNIQUE constraint failed")')
    assert classify_database_error(_wrapped(orig)) is OTHER


def test_errors_that_are_not_database_errors_are_faults() -> None:
    assert classify_database_error(RuntimeError("database is locked")) is OTHER
    assert classify_database_error(sqlite3.OperationalError("database is locked")) is OTHER
