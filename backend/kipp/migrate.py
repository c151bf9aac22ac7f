"""Run Alembic from code: the CLI, `make run` and the tests all migrate the same way."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from kipp.config import PROJECT_ROOT


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


# Database objects the models do not describe, made by migrations with dialect-specific DDL:
# the catalogue's SQLite FTS5 table (and the shadow tables SQLite keeps for it), and its
# PostgreSQL tsvector column and GIN index. Alembic's comparison of models and schema leaves them alone.
UNMODELLED_TABLES = frozenset(
    {
        "catalogue_fts",
        "catalogue_fts_data",
        "catalogue_fts_idx",
        "catalogue_fts_docsize",
        "catalogue_fts_config",
    }
)
UNMODELLED_INDEXES = frozenset({"ix_catalogue_texts_search"})
UNMODELLED_COLUMNS = frozenset({("catalogue_texts", "search"), ("catalogue_texts", "title_search")})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object`` hook: skip what :data:`UNMODELLED_TABLES`,
    :data:`UNMODELLED_INDEXES` and :data:`UNMODELLED_COLUMNS` name."""
    if type_ == "table" and name in UNMODELLED_TABLES:
        return False
    if type_ == "index" and name in UNMODELLED_INDEXES:
        return False
    table = getattr(getattr(obj, "table", None), "name", None)
    return not (type_ == "column" and (table, name) in UNMODELLED_COLUMNS)
