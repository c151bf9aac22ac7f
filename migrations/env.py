"""Alembic environment: the URL comes from KIPP settings unless the caller passes a connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import kipp.models  # noqa: F401  (registers every table)
from kipp.config import get_settings
from kipp.db import Base, make_engine
from kipp.migrate import include_object

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url") or get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            _configure(connection)
        else:
            _configure_sqlite(connection)
    engine.dispose()


def _configure_sqlite(connection: Connection) -> None:
    """SQLite changes a table by copying it into a new one and dropping the old one ("batch"
    mode); with foreign keys enforced, dropping a table other rows refer to fails (an agency
    that has users, a competition that has stages). So the keys are off while migrating, and
    checked once at the end: a migration that broke one fails loudly."""
    # On the driver's connection, outside any transaction (inside one SQLite ignores it).
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        _configure(connection)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        connection.rollback()
        if broken:
            raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
