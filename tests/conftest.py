"""Test set-up: migrate once per run, then isolate every test in a rolled-back transaction.

SQLite (a temporary file) by default; PostgreSQL when KIPP_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="kipp-tests-"))
TEST_DATABASE_URL = os.environ.get("KIPP_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.sqlite3'}"
os.environ.update(
    {
        "KIPP_ENVIRONMENT": "test",
        "KIPP_SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "KIPP_DATABASE_URL": TEST_DATABASE_URL,
        "KIPP_VAR_DIR": str(_TMP / "var"),
        "KIPP_STORAGE_DIR": str(_TMP / "storage"),
    }
)

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Connection, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from kipp import migrate  # noqa: E402
from kipp.app import create_app  # noqa: E402
from kipp.config import get_settings  # noqa: E402
from kipp.db import get_engine, get_session, get_session_factory, unit_of_work  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.s3 import S3Server  # noqa: E402
from tests.s3 import s3_server as start_s3_server  # noqa: E402


def _reset_postgres_schema() -> None:
    with get_engine().begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def migrated() -> str:
    """Run every Alembic migration once, from an empty database."""
    if get_engine().dialect.name == "postgresql":
        _reset_postgres_schema()
    migrate.upgrade(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture
def connection(migrated: str) -> Iterator[Connection]:
    with get_engine().connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits are savepoints inside the test's outer transaction."""
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture
def factory(session: Session) -> Factory:
    return Factory(session)


@pytest.fixture
def app(connection: Connection) -> Iterator[object]:
    application = create_app(get_settings())

    def _test_session() -> Iterator[Session]:
        yield from unit_of_work(
            Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
        )

    application.dependency_overrides[get_session] = _test_session
    application.dependency_overrides[get_session_factory] = lambda: (
        lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )
    yield application
    application.dependency_overrides.clear()


@pytest.fixture
def client(app: object) -> Iterator[TestClient]:
    """The API as an English-reading client: the suite's assertions quote English wording.

    The app answers in Indonesian without an Accept-Language; a test of that drops the header
    (``client.headers.pop("Accept-Language")``) or uses ``indonesian_client``."""
    with TestClient(
        app,  # type: ignore[arg-type]
        raise_server_exceptions=True,
        headers={"Accept-Language": "en"},
    ) as test_client:
        yield test_client


@pytest.fixture
def indonesian_client(app: object) -> Iterator[TestClient]:
    """A client that names no language: the app's default, Indonesian."""
    with TestClient(app, raise_server_exceptions=True) as test_client:  # type: ignore[arg-type]
        yield test_client


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto_server on loopback for the whole run (started by the first test that needs it)."""
    with start_s3_server() as server:
        yield server
