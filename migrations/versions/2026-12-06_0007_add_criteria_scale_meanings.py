"""Add criteria.low_means and criteria.high_means: what the bottom and the top of a
criterion's scale mean, shown to the judge beside the scale.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-13 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.add_column(sa.Column("low_means", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("high_means", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.drop_column("high_means")
        batch_op.drop_column("low_means")
