"""Migrations run from empty, down and up again, and match the models (no drift)."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from kipp import migrate
from kipp.db import Base, get_engine
from kipp.demo import seed


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


def _rows_by_table(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (sorted), as the database holds it."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(set(inspect(connection).get_table_names()) - {"alembic_version"})
            return {
                name: sorted(
                    (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))),
                    key=repr,
                )
                for name in names
            }
    finally:
        engine.dispose()


def test_a_single_organisation_demo_database_moves_into_one_organisation_without_loss(
    tmp_path: Path,
) -> None:
    """Issue 12: a copy of the demo database, taken back to 0008 (one organiser, no
    organisations), migrates to head with every row still there, all in one organisation."""
    original = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{original}"
    migrate.upgrade(url, "head")
    engine = create_engine(url)
    with Session(engine) as session:
        seed.seed_demo(session=session)
        session.commit()
    engine.dispose()

    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(original, copy)
    copy_url = f"sqlite:///{copy}"
    command.downgrade(migrate.alembic_config(copy_url), "0008")
    before = _rows_by_table(copy_url)
    assert "organisations" not in before
    # Luwu Utara's 19, and the 7 the demo's province received (at 0008 one organiser holds all).
    assert len(before["innovations"]) == 19 + 7 and len(before["users"]) > 10

    command.upgrade(migrate.alembic_config(copy_url), "head")
    after = _rows_by_table(copy_url)
    # Row counts per table are equal, and every row of 0008's tables is still there.
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
    engine = create_engine(copy_url)
    try:
        with engine.connect() as connection:
            organisations = connection.execute(text("SELECT id FROM organisations")).all()
            assert len(organisations) == 1
            [(only,)] = organisations
            for table in ("agencies", "users", "competitions"):
                owners = connection.execute(
                    text(f"SELECT DISTINCT organisation_id FROM {table}")
                ).all()
                assert owners == [(only,)], table
            for table, rows in before.items():
                columns = [c["name"] for c in inspect(connection).get_columns(table)]
                kept = sorted(
                    (
                        tuple(row)
                        for row in connection.execute(
                            text(
                                "SELECT "
                                + ", ".join(
                                    f'"{c}"'
                                    for c in columns
                                    if c not in {"organisation_id", "parent_competition_id"}
                                )
                                + f' FROM "{table}"'
                            )
                        )
                    ),
                    key=repr,
                )
                assert kept == rows, f"{table} changed"
    finally:
        engine.dispose()
