"""Migrations run from empty, down and up again, and match the models (no drift)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kipp import migrate
from kipp.db import Base, get_engine


def test_schema_matches_models(migrated: str) -> None:
    with get_engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_alembic_check_finds_no_drift(migrated: str) -> None:
    command.check(migrate.alembic_config(migrated))


def test_every_table_exists(migrated: str) -> None:
    tables = set(inspect(get_engine()).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_empty_and_upgrade_again(migrated: str) -> None:
    config = migrate.alembic_config(migrated)
    try:
        command.downgrade(config, "base")
        remaining = set(inspect(get_engine()).get_table_names()) - {"alembic_version"}
        assert remaining == set()
    finally:
        command.upgrade(config, "head")
    assert set(Base.metadata.tables) <= set(inspect(get_engine()).get_table_names())
