"""Texts in the user's language: Indonesian by default, English when asked for.

A message that reaches a person (a problem's detail, a field error, an e-mail line) is written
once in both languages, where it is raised: ``Msg(id="…", en="…")``. The language is chosen
at the edge: by ``Accept-Language`` for an answer, by the recipient's preference for a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["id", "en"]
LANGUAGES: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"


@dataclass(frozen=True, slots=True)
class Msg:
    """One text in Indonesian (``id``) and English (``en``)."""

    id: str
    en: str

    def format(self, **params: object) -> Msg:
        """Both texts with ``{name}`` placeholders filled in; a ``Msg`` value fills each
        language with its own text."""
        return Msg(
            id=self.id.format(**{k: v.id if isinstance(v, Msg) else v for k, v in params.items()}),
            en=self.en.format(**{k: v.en if isinstance(v, Msg) else v for k, v in params.items()}),
        )

    def in_(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.id

    def __str__(self) -> str:  # logs and exception messages read English
        return self.en


Text = str | Msg


def text_in(value: Text, lang: Lang) -> str:
    """A plain string is already in its one language (a name, a title typed by a user)."""
    return value.in_(lang) if isinstance(value, Msg) else value


def language_of(accept_language: str | None) -> Lang:
    """Indonesian first; English where the client lists English before Indonesian.

    Quality values are honoured (``en;q=0.5, id`` is Indonesian)."""
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        lang: Lang | None = "id" if tag.startswith("id") else "en" if tag.startswith("en") else None
        if lang is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        candidate = (-quality, position, lang)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANG
