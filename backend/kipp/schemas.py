"""Shapes shared by every domain: list pages, paging parameters and id parameters."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Final, Generic, TypeVar

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kipp.field_errors import FieldValueError
from kipp.i18n import Msg

T = TypeVar("T")

MAX_ID: Final = 2**31 - 1
"""The largest id: ids are 32-bit integers on PostgreSQL (``integer`` columns), and a larger
number overflows the database or its driver, so it is refused as invalid (422) before any
query, never a 500. The same bound on SQLite keeps both databases answering alike."""
MAX_OFFSET: Final = 2**63 - 1
"""The largest list offset (a signed 64-bit ``OFFSET`` on both databases)."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a request body."""

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
"""Every id in a route's path."""

IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
"""An optional id filter in a query string."""

# Explicit bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
# they make a title display differently from what it says ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line_text(value: str) -> str:
    """A title or name: one line of visible text. Refuses NUL and every other control
    character (line breaks and tabs included) and the bidi override characters."""
    for char in value:
        if char in BIDI_CONTROLS:
            raise FieldValueError(
                Msg(
                    id="Tidak boleh memuat karakter kendali arah teks U+{code}.",
                    en="Must not contain the bidirectional control character U+{code}.",
                ).format(code=f"{ord(char):04X}"),
                code="bidi_control",
            )
        if unicodedata.category(char) == "Cc":
            raise FieldValueError(
                Msg(
                    id="Tidak boleh memuat karakter kendali U+{code}.",
                    en="Must not contain the control character U+{code}.",
                ).format(code=f"{ord(char):04X}"),
                code="control_character",
            )

    return value


OneLineText = AfterValidator(one_line_text)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int


class Schema(BaseModel):
    """Base of response schemas read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class Paging(BaseModel):
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)
