"""Create organisations: many organisers on one deployment. Every agency, user and competition
belongs to one; an existing database moves whole into the default organisation (named after its
earliest competition's region), so nothing is lost. Competitions may name the competition of the
next level that they feed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:45:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_NAME = "Organisasi utama"


def _default_organisation() -> tuple[str, str, str]:
    """Name, level and region of the organisation an existing database moves into."""
    row = (
        op.get_bind()
        .execute(sa.text("SELECT region, level FROM competitions ORDER BY id LIMIT 1"))
        .first()
    )
    if row is None:
        return DEFAULT_NAME, "kabupaten", ""
    region, level = str(row[0] or ""), str(row[1] or "kabupaten")
    return (f"Pemerintah {region}" if region else DEFAULT_NAME), level, region


def upgrade() -> None:
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("created_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisations_slug")),
    )
    name, level, region = _default_organisation()
    now = datetime.now(UTC)
    op.bulk_insert(
        organisations,
        [
            {
                "id": 1,
                "slug": "utama",
                "name": name,
                "level": level,
                "region": region,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('organisations', 'id'), "
            "(SELECT MAX(id) FROM organisations))"
        )

    for table in ("agencies", "users", "competitions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET organisation_id = 1")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_organisation_id_organisations"),
                "organisations",
                ["organisation_id"],
                ["id"],
                ondelete="RESTRICT",
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_organisation_id"), ["organisation_id"])

    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_constraint("uq_agencies_code", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_agencies_organisation_id"), ["organisation_id", "code"]
        )

    with op.batch_alter_table("competitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_competition_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_competitions_parent_competition_id_competitions"),
            "competitions",
            ["parent_competition_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_competitions_parent_competition_id"), ["parent_competition_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("competitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competitions_parent_competition_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_competitions_parent_competition_id_competitions"), type_="foreignkey"
        )
        batch_op.drop_column("parent_competition_id")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_agencies_organisation_id"), type_="unique")
        batch_op.create_unique_constraint("uq_agencies_code", ["code"])
    for table in ("competitions", "users", "agencies"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_organisation_id"))
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_organisation_id_organisations"), type_="foreignkey"
            )
            batch_op.drop_column("organisation_id")
    op.drop_table("organisations")
