from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base


class CatalogueText(Base):
    """The words the public catalogue searches for one innovation: its title, and the rest of
    what the public may read of it (category, the sections its template marks public, its
    agency's name and code, its organisation's name).

    Written by database triggers only (migration 0015), whatever changes an innovation, its
    agency, its competition's template or its organisation, so it never falls behind; the full
    text index (SQLite FTS5 ``catalogue_fts`` / a PostgreSQL GIN index) follows this table.
    Every innovation has a row, drafts too: the catalogue's visibility rule is applied at
    query time (kipp.catalogue.repository), so a status or stage change needs no re-indexing.
    """

    __tablename__ = "catalogue_texts"

    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    title: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text, default="")
