"""Create life after the award: winners' yearly sustainability reports, and replications of an
innovation by other organisations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sustainability_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("budget_source", sa.String(200), nullable=False),
        sa.Column("regulation", sa.String(300), nullable=False),
        sa.Column("people_served", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_sustainability_reports_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_sustainability_reports_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sustainability_reports")),
        sa.UniqueConstraint(
            "innovation_id", "year", name=op.f("uq_sustainability_reports_innovation_id")
        ),
    )
    op.create_index(
        op.f("ix_sustainability_reports_innovation_id"),
        "sustainability_reports",
        ["innovation_id"],
    )
    op.create_table(
        "replications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("replica_innovation_id", sa.Integer(), nullable=True),
        sa.Column("adopter", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_replications_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_replications_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replica_innovation_id"],
            ["innovations.id"],
            name=op.f("fk_replications_replica_innovation_id_innovations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_replications_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replications")),
    )
    for column in ("innovation_id", "organisation_id", "replica_innovation_id"):
        op.create_index(op.f(f"ix_replications_{column}"), "replications", [column])


def downgrade() -> None:
    for column in ("replica_innovation_id", "organisation_id", "innovation_id"):
        op.drop_index(op.f(f"ix_replications_{column}"), table_name="replications")
    op.drop_table("replications")
    op.drop_index(
        op.f("ix_sustainability_reports_innovation_id"), table_name="sustainability_reports"
    )
    op.drop_table("sustainability_reports")
