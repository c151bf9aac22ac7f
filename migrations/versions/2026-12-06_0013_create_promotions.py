"""Create promotions: an innovation of an announced competition carried up to the competition
of the next level, with its provenance (competition, organisation, level, rank, score, the
results manifest's SHA-256).

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-06 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_promotions_{column}_{table}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_innovation_id", sa.Integer(), nullable=False),
        sa.Column("source_competition_id", sa.Integer(), nullable=False),
        sa.Column("target_competition_id", sa.Integer(), nullable=False),
        sa.Column("target_innovation_id", sa.Integer(), nullable=False),
        sa.Column("source_competition_name", sa.String(200), nullable=False),
        sa.Column("source_organisation_name", sa.String(200), nullable=False),
        sa.Column("source_level", sa.String(20), nullable=False),
        sa.Column("source_year", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("promoted_by_id", sa.Integer(), nullable=True),
        sa.Column("promoted_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        _fk("source_innovation_id", "innovations", "CASCADE"),
        _fk("source_competition_id", "competitions", "CASCADE"),
        _fk("target_competition_id", "competitions", "CASCADE"),
        _fk("target_innovation_id", "innovations", "CASCADE"),
        _fk("promoted_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
        sa.UniqueConstraint(
            "source_innovation_id",
            "target_competition_id",
            name=op.f("uq_promotions_source_innovation_id"),
        ),
        sa.UniqueConstraint(
            "target_innovation_id", name=op.f("uq_promotions_target_innovation_id")
        ),
    )
    for column in ("source_innovation_id", "source_competition_id", "target_competition_id"):
        op.create_index(op.f(f"ix_promotions_{column}"), "promotions", [column])


def downgrade() -> None:
    for column in ("source_innovation_id", "source_competition_id", "target_competition_id"):
        op.drop_index(op.f(f"ix_promotions_{column}"), table_name="promotions")
    op.drop_table("promotions")
