"""Objections get an answer (and the objector's language to send it in); scoring reminders
remember which judge was reminded of which scoring window.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lang", sa.String(2), server_default="id", nullable=False))
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("answered_at", kipp.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("answered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_objections_answered_by_id_users"),
            "users",
            ["answered_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "scoring_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("window_ends_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["competitions.id"],
            name=op.f("fk_scoring_reminders_competition_id_competitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["users.id"],
            name=op.f("fk_scoring_reminders_judge_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_reminders")),
        sa.UniqueConstraint(
            "competition_id",
            "judge_id",
            "window_ends_at",
            name=op.f("uq_scoring_reminders_competition_id"),
        ),
    )
    op.create_index(
        op.f("ix_scoring_reminders_judge_id"), "scoring_reminders", ["judge_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scoring_reminders_judge_id"), table_name="scoring_reminders")
    op.drop_table("scoring_reminders")
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_objections_answered_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("answered_by_id")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("answer")
        batch_op.drop_column("lang")
