"""Create the evidence files of sustainability reports and the once-per-year reminders that a
winner's report is due.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kipp.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sustainability_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_name", sa.String(100), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["sustainability_reports.id"],
            name=op.f("fk_sustainability_evidence_report_id_sustainability_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_sustainability_evidence_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sustainability_evidence")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_sustainability_evidence_storage_name")),
    )
    op.create_index(
        op.f("ix_sustainability_evidence_report_id"), "sustainability_evidence", ["report_id"]
    )
    op.create_table(
        "sustainability_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sent_at", kipp.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_sustainability_reminders_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sustainability_reminders")),
        sa.UniqueConstraint(
            "innovation_id", "year", name=op.f("uq_sustainability_reminders_innovation_id")
        ),
    )
    op.create_index(
        op.f("ix_sustainability_reminders_innovation_id"),
        "sustainability_reminders",
        ["innovation_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_sustainability_reminders_innovation_id"), table_name="sustainability_reminders"
    )
    op.drop_table("sustainability_reminders")
    op.drop_index(
        op.f("ix_sustainability_evidence_report_id"), table_name="sustainability_evidence"
    )
    op.drop_table("sustainability_evidence")
