"""Create the public catalogue's full text search: ``catalogue_texts`` (the public words of every
innovation) kept in step by database triggers, and its index: an FTS5 table on SQLite, a GIN
index on a generated ``to_tsvector('simple', …)`` column on PostgreSQL (PostgreSQL has no Indonesian stemmer:
'simple' lower-cases words and keeps them whole, so "layanan" does not find "pelayanan").

The words are the innovation's title (weighted higher), its category, the sections its
competition's template marks public (for its group), its agency's name and code and its
organisation's name: exactly what the public may read (kipp.innovations.queries.public_summary),
never a private section. Triggers on innovations, agencies, competitions and organisations
rewrite the row whenever one of those changes, however it changes (ORM, UPDATE statements,
imports, the demo seed); the catalogue's visibility (published, stage, status) is decided at
query time, so reviews, withdrawals and publishing need no re-indexing.

SQLite drops a table's triggers when a batch migration recreates it: a later migration that
recreates innovations, agencies, competitions or organisations must create them again
(``create_sqlite_triggers``); tests/api/test_catalogue.py checks that they exist at head.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ----------------------------------------------------------------------------------- SQLite

# The public words of the innovations chosen by {where} (i, c, a, o in scope), upserted. The
# public-section rule is kipp.innovations.readiness.sections_for + the template's "public".
_SQLITE_REFRESH = """
INSERT INTO catalogue_texts (innovation_id, competition_id, agency_id, status, title, document)
SELECT i.id, i.competition_id, i.agency_id, i.status, i.title,
       i.category || ' ' || coalesce((
           SELECT group_concat(json_extract(i.sections, '$."' || json_extract(s.value, '$.key') || '"'), ' ')
           FROM json_each(c.proposal_template, '$.sections') AS s
           WHERE json_extract(s.value, '$.public') = 1
             AND (json_type(s.value, '$.groups') IS NOT 'array'
                  OR json_array_length(s.value, '$.groups') = 0
                  OR EXISTS (SELECT 1 FROM json_each(s.value, '$.groups') AS g
                             WHERE g.value = i."group"))
       ), '') || ' ' || a.name || ' ' || a.code || ' ' || o.name
FROM innovations AS i
JOIN competitions AS c ON c.id = i.competition_id
JOIN agencies AS a ON a.id = i.agency_id
JOIN organisations AS o ON o.id = c.organisation_id
WHERE {where}
ON CONFLICT (innovation_id) DO UPDATE SET competition_id = excluded.competition_id,
    agency_id = excluded.agency_id, status = excluded.status, title = excluded.title,
    document = excluded.document;
"""

# (trigger name, event, the innovations it rewrites)
_SQLITE_SOURCES = (
    ("catalogue_innovations_ai", "AFTER INSERT ON innovations", "i.id = NEW.id"),
    (
        "catalogue_innovations_au",
        'AFTER UPDATE OF title, category, "group", sections, agency_id, competition_id '
        "ON innovations",
        "i.id = NEW.id",
    ),
    ("catalogue_agencies_au", "AFTER UPDATE OF name, code ON agencies", "i.agency_id = NEW.id"),
    (
        "catalogue_competitions_au",
        "AFTER UPDATE OF proposal_template, organisation_id ON competitions",
        "i.competition_id = NEW.id",
    ),
    ("catalogue_organisations_au", "AFTER UPDATE OF name ON organisations", "o.id = NEW.id"),
)

SQLITE_TRIGGERS = (
    *(name for name, _, _ in _SQLITE_SOURCES),
    "catalogue_innovations_status_au",
    "catalogue_innovations_bd",
    "catalogue_texts_ai",
    "catalogue_texts_ad",
    "catalogue_texts_au",
)


def create_sqlite_triggers() -> None:
    """The triggers that keep ``catalogue_texts`` and ``catalogue_fts`` in step (SQLite)."""
    for name, event, where in _SQLITE_SOURCES:
        op.execute(
            f"CREATE TRIGGER {name} {event} BEGIN " + _SQLITE_REFRESH.format(where=where) + " END"
        )
    # A status move (kipp.innovations.lifecycle) changes no word: only the status is copied.
    op.execute(
        "CREATE TRIGGER catalogue_innovations_status_au AFTER UPDATE OF status ON innovations "
        "BEGIN UPDATE catalogue_texts SET status = NEW.status WHERE innovation_id = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER catalogue_innovations_bd BEFORE DELETE ON innovations BEGIN "
        "DELETE FROM catalogue_texts WHERE innovation_id = OLD.id; END"
    )
    # External-content FTS5: the index follows catalogue_texts (SQLite's documented recipe).
    op.execute(
        "CREATE TRIGGER catalogue_texts_ai AFTER INSERT ON catalogue_texts BEGIN "
        "INSERT INTO catalogue_fts (rowid, title, document) "
        "VALUES (NEW.innovation_id, NEW.title, NEW.document); END"
    )
    op.execute(
        "CREATE TRIGGER catalogue_texts_ad AFTER DELETE ON catalogue_texts BEGIN "
        "INSERT INTO catalogue_fts (catalogue_fts, rowid, title, document) "
        "VALUES ('delete', OLD.innovation_id, OLD.title, OLD.document); END"
    )
    op.execute(
        "CREATE TRIGGER catalogue_texts_au AFTER UPDATE OF title, document ON catalogue_texts BEGIN "
        "INSERT INTO catalogue_fts (catalogue_fts, rowid, title, document) "
        "VALUES ('delete', OLD.innovation_id, OLD.title, OLD.document); "
        "INSERT INTO catalogue_fts (rowid, title, document) "
        "VALUES (NEW.innovation_id, NEW.title, NEW.document); END"
    )


def _upgrade_sqlite() -> None:
    # unicode61 folds case and (remove_diacritics 2) accents; prefixes of 2 and 3 characters
    # are indexed so that "as the user types" prefix queries stay fast.
    op.execute(
        "CREATE VIRTUAL TABLE catalogue_fts USING fts5(title, document, "
        "content='catalogue_texts', content_rowid='innovation_id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    create_sqlite_triggers()
    op.execute(_SQLITE_REFRESH.format(where="1 = 1"))


def _downgrade_sqlite() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS catalogue_fts")


# ------------------------------------------------------------------------------- PostgreSQL

_POSTGRES_REFRESH = """
CREATE FUNCTION catalogue_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$
INSERT INTO catalogue_texts (innovation_id, competition_id, agency_id, status, title, document)
SELECT i.id, i.competition_id, i.agency_id, i.status, i.title,
       concat_ws(' ', i.category, (
           SELECT string_agg(i.sections ->> (s ->> 'key'), ' ')
           FROM jsonb_array_elements(
               CASE WHEN jsonb_typeof(c.proposal_template -> 'sections') = 'array'
                    THEN c.proposal_template -> 'sections' ELSE '[]'::jsonb END) AS s
           WHERE s -> 'public' = 'true'::jsonb
             AND (jsonb_typeof(s -> 'groups') IS DISTINCT FROM 'array'
                  OR jsonb_array_length(s -> 'groups') = 0
                  OR s -> 'groups' @> to_jsonb(i."group"))
       ), a.name, a.code, o.name)
FROM innovations AS i
JOIN competitions AS c ON c.id = i.competition_id
JOIN agencies AS a ON a.id = i.agency_id
JOIN organisations AS o ON o.id = c.organisation_id
WHERE i.id = ANY(ids)
ON CONFLICT (innovation_id) DO UPDATE SET competition_id = EXCLUDED.competition_id,
    agency_id = EXCLUDED.agency_id, status = EXCLUDED.status, title = EXCLUDED.title,
    document = EXCLUDED.document
$$
"""

# (trigger, table, columns, the innovations it rewrites)
_POSTGRES_SOURCES = (
    ("catalogue_innovations_ai", "innovations", None, "ARRAY[NEW.id]"),
    (
        "catalogue_innovations_au",
        "innovations",
        'title, category, "group", sections, agency_id, competition_id',
        "ARRAY[NEW.id]",
    ),
    (
        "catalogue_agencies_au",
        "agencies",
        "name, code",
        "ARRAY(SELECT id FROM innovations WHERE agency_id = NEW.id)",
    ),
    (
        "catalogue_competitions_au",
        "competitions",
        "proposal_template, organisation_id",
        "ARRAY(SELECT id FROM innovations WHERE competition_id = NEW.id)",
    ),
    (
        "catalogue_organisations_au",
        "organisations",
        "name",
        "ARRAY(SELECT i.id FROM innovations AS i JOIN competitions AS c "
        "ON c.id = i.competition_id WHERE c.organisation_id = NEW.id)",
    ),
)

# The words as PostgreSQL searches them: a stored, generated tsvector (the title weighted A),
# so that ranking reads it instead of parsing every matching text again. Not in the model
# (SQLite has no such column): kipp.migrate.include_object leaves it out of the comparison.
POSTGRES_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, document), 'B')"
)


def _upgrade_postgres() -> None:
    op.execute(_POSTGRES_REFRESH)
    for name, table, columns, ids in _POSTGRES_SOURCES:
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM catalogue_refresh({ids}); RETURN NULL; END $$"
        )
        event = "INSERT" if columns is None else f"UPDATE OF {columns}"
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    op.execute(
        "CREATE FUNCTION catalogue_innovations_status_au() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE catalogue_texts SET status = NEW.status WHERE innovation_id = NEW.id; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER catalogue_innovations_status_au AFTER UPDATE OF status ON innovations "
        "FOR EACH ROW EXECUTE FUNCTION catalogue_innovations_status_au()"
    )
    op.execute(
        "ALTER TABLE catalogue_texts ADD COLUMN search tsvector "
        f"GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED"
    )
    # Ranking reads the title's words only: small enough to stay in the row (the whole text's
    # vector is stored out of line, and reading it for every match of a common word is slow).
    op.execute(
        "ALTER TABLE catalogue_texts ADD COLUMN title_search tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title)) STORED"
    )
    op.execute("CREATE INDEX ix_catalogue_texts_search ON catalogue_texts USING gin (search)")
    op.execute("SELECT catalogue_refresh(ARRAY(SELECT id FROM innovations))")


def _downgrade_postgres() -> None:
    for name, table, _, _ in _POSTGRES_SOURCES:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP TRIGGER IF EXISTS catalogue_innovations_status_au ON innovations")
    op.execute("DROP FUNCTION IF EXISTS catalogue_innovations_status_au()")
    op.execute("DROP FUNCTION IF EXISTS catalogue_refresh(integer[])")
    op.execute("DROP INDEX IF EXISTS ix_catalogue_texts_search")


# ------------------------------------------------------------------------------------------


def upgrade() -> None:
    op.create_table(
        "catalogue_texts",
        sa.Column("innovation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_catalogue_texts_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("innovation_id", name=op.f("pk_catalogue_texts")),
    )
    op.create_index(
        "ix_catalogue_texts_scope", "catalogue_texts", ["competition_id", "status", "agency_id"]
    )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgres()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgres()
    else:
        _downgrade_sqlite()
    op.drop_index("ix_catalogue_texts_scope", table_name="catalogue_texts")
    op.drop_table("catalogue_texts")
