"""Create the presentation schedule: one schedules row per competition (version, publication)
and its slots.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", kipp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["competitions.id"],
            name=op.f("fk_schedules_competition_id_competitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competition_id", name=op.f("pk_schedules")),
    )
    op.create_table(
        "schedule_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("online_url", sa.String(500), nullable=True),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("announced", sa.String(800), nullable=True),
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["competitions.id"],
            name=op.f("fk_schedule_slots_competition_id_competitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_schedule_slots_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_slots")),
        sa.UniqueConstraint(
            "competition_id",
            "innovation_id",
            name=op.f("uq_schedule_slots_competition_id"),
        ),
    )
    op.create_index(op.f("ix_schedule_slots_competition_id"), "schedule_slots", ["competition_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_schedule_slots_competition_id"), table_name="schedule_slots")
    op.drop_table("schedule_slots")
    op.drop_table("schedules")
