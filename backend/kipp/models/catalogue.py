from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
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
    query time (kipp.catalogue.repository). The innovation's competition, agency and status are
    copied here (a status move copies only the status, re-indexing no word), so that a search
    reads this table's small first columns and the index ``ix_catalogue_texts_scope``, never
    the innovations' wide rows.
    """

    __tablename__ = "catalogue_texts"
    __table_args__ = (Index("ix_catalogue_texts_scope", "competition_id", "status", "agency_id"),)

    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    competition_id: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text, default="")
