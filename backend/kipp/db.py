"""Engine, declarative base and the request's unit of work."""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from kipp.admission import Admission
from kipp.config import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_INTENT = "kipp_write_intent"
# Connections per process. Admission (kipp.admission) lets no more requests than this use the
# database at once, so no request thread ever waits for a pooled connection.
SQLITE_POOL_SIZE = 8
POSTGRES_POOL_SIZE, POSTGRES_MAX_OVERFLOW = 10, 20

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out — on SQLite too, which keeps no offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# JSON on SQLite, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
        )

        # pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy emit BEGIN.
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        # A request that may write takes SQLite's write lock when its transaction begins, so
        # concurrent writers queue (busy_timeout) instead of failing to upgrade a read lock.
        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            immediate = connection.get_execution_options().get(WRITE_INTENT, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False, autoflush=True)


def unit_of_work(session: Session) -> Iterator[Session]:
    """The request's unit of work: services only flush; this commits once, or rolls back.

    An error that must still keep what was written (a failed login counted for the rate limit)
    says so with ``keep_changes = True``.
    """
    try:
        yield session
        session.commit()
    except Exception as exc:
        if getattr(exc, "keep_changes", False):
            session.commit()
        else:
            session.rollback()
        raise
    finally:
        session.close()


@lru_cache
def get_admission() -> Admission:
    """The process's admission gate, sized to the engine's pool."""
    if get_engine().dialect.name == "sqlite":
        return Admission(capacity=SQLITE_POOL_SIZE, serial_writes=True)
    return Admission(capacity=POSTGRES_POOL_SIZE + POSTGRES_MAX_OVERFLOW, serial_writes=False)


async def admitted(request: Request) -> AsyncIterator[None]:
    """Wait for a database slot in the event loop (no thread held while waiting)."""
    async with get_admission().admit(method=request.method):
        yield


def get_session_factory() -> Callable[[], Session]:
    """Sessions for work that outlives the request's own session: a streamed download reads
    while the body is sent, after the request's session is closed (the caller closes it)."""
    return get_sessionmaker()


def get_session(
    request: Request, _admitted: Annotated[None, Depends(admitted, scope="function")]
) -> Iterator[Session]:
    session = get_sessionmaker()()
    if request.method not in SAFE_METHODS and session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={WRITE_INTENT: True})
    yield from unit_of_work(session)


# ---- What a database error means for the client ------------------------------------------

# PostgreSQL SQLSTATEs (Appendix A of its manual).
PG_UNIQUE_VIOLATION = "23505"
PG_RETRYABLE_LOCK_STATES = frozenset(
    {
        "55P03",  # lock_not_available: lock_timeout, NOWAIT
        "57014",  # query_canceled: statement_timeout (a query stuck behind a lock)
        "40P01",  # deadlock_detected: one of two waiting transactions was chosen to fail
    }
)
# SQLite result codes (https://sqlite.org/rescode.html); Python ≥ 3.11 gives the extended one.
SQLITE_UNIQUE_CODES = frozenset({2067, 1555})  # SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
SQLITE_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED (primary codes)
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


class DatabaseFailure(enum.Enum):
    """The three things a failed statement can mean to the client."""

    UNIQUE_VIOLATION = "unique_violation"  # a lost race on a unique key: 409, try again
    BUSY = "busy"  # a lock or busy timeout: 503, try again in a moment
    OTHER = "other"  # a bug or an outage (no such column, NOT NULL, …): 500, logged


def _sqlstate(orig: object) -> str | None:
    """psycopg 3 says ``sqlstate``; psycopg2 said ``pgcode``."""
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state if isinstance(state, str) else None


def _sqlite_code(orig: object) -> int | None:
    code = getattr(orig, "sqlite_errorcode", None) if isinstance(orig, sqlite3.Error) else None
    return code if isinstance(code, int) else None


def is_unique_violation(exc: BaseException) -> bool:
    """A UNIQUE (or primary key) constraint refused the row: on SQLite and PostgreSQL."""
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    state = _sqlstate(orig)
    if state is not None:
        return state == PG_UNIQUE_VIOLATION
    code = _sqlite_code(orig)
    if code is not None:
        return code in SQLITE_UNIQUE_CODES
    return "UNIQUE constraint failed" in str(orig)


def is_busy(exc: BaseException) -> bool:
    """The statement waited too long for a lock or a connection; retrying may succeed."""
    if isinstance(exc, PoolTimeoutError):  # every pooled connection stayed checked out
        return True
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = _sqlstate(orig)
    if state is not None:
        return state in PG_RETRYABLE_LOCK_STATES
    code = _sqlite_code(orig)
    if code is not None:
        return (code & 0xFF) in SQLITE_BUSY_CODES
    message = str(orig).lower()
    return any(text in message for text in SQLITE_BUSY_MESSAGES)


def classify_database_error(exc: BaseException) -> DatabaseFailure:
    """Only a unique-key race is a conflict and only a lock timeout is "busy"; everything else
    (a missing column, a NOT NULL or foreign key violation, a lost connection) is a fault."""
    if is_unique_violation(exc):
        return DatabaseFailure.UNIQUE_VIOLATION
    if is_busy(exc):
        return DatabaseFailure.BUSY
    return DatabaseFailure.OTHER
