"""What a catalogue search asks for, read from the query string: pure, no database.

``parse`` turns the words typed (``q``) and the text filters into a :class:`SearchQuery`, or
raises :class:`InvalidQuery` carrying every problem (bilingual, with a stable code) for a 422.
The words become the full text query of each database: FTS5's ``MATCH`` string on SQLite and a
``to_tsquery('simple', …)`` string on PostgreSQL. Only letters and digits survive, so neither
syntax can be injected; every word must match (AND); the last word is a prefix while the user
is still typing it (``q`` not ending in a space), so "kesehatan ib" finds "ibu".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

from kipp.i18n import Msg

MAX_Q_CHARS: Final = 200
MAX_WORDS: Final = 12
MAX_AGENCY_CHARS: Final = 200
MIN_PREFIX_CHARS: Final = 2
MAX_OFFSET: Final = 10_000
"""Deeper pages are refused: nobody reads result 10,001 of a search, crawlers do."""

Sustainability = Literal["running", "stopped", "unreported"]
Award = Literal["winner", "nominee", "honourable_mention", "promoted"]
Sort = Literal["relevance", "newest", "title"]

# Letters and digits (any script); underscores and punctuation separate words, as in FTS5's
# unicode61 tokenizer and PostgreSQL's parser.
_WORD = re.compile(r"[^\W_]+")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Terms:
    """The words of a search, lower-cased; the last one a prefix when ``prefix``."""

    words: tuple[str, ...]
    prefix: bool

    def fts5(self) -> str:
        """The SQLite FTS5 ``MATCH`` string: every word, quoted; the last with ``*``."""
        parts = [f'"{word}"' for word in self.words]
        if self.prefix:
            parts[-1] += "*"
        return " ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL ``to_tsquery('simple', …)`` string: words joined by ``&``."""
        parts = [f"'{word}'" for word in self.words]
        if self.prefix:
            parts[-1] += ":*"
        return " & ".join(parts)


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation named by id or by slug."""

    id: int | None = None
    slug: str | None = None


@dataclass(frozen=True)
class AgencyRef:
    """An agency named by id, or by text matched against its code and name."""

    id: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class SearchQuery:
    terms: Terms | None = None
    organisation: OrganisationRef | None = None
    agency: AgencyRef | None = None
    level: str | None = None
    year: int | None = None
    status: Sustainability | None = None
    award: Award | None = None
    sort: Sort = "newest"
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class QueryProblem:
    field: str
    code: str
    message: Msg


@dataclass
class InvalidQuery(Exception):
    """Every problem of a search's query string."""

    problems: list[QueryProblem] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower-cased, accents removed (NFKD without combining marks): how words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_of(q: str) -> Terms | None:
    """The words of ``q`` (None when it has none: a search without words)."""
    words = tuple(_WORD.findall(fold(q)))
    if not words:
        return None
    prefix = not q[-1:].isspace() and len(words[-1]) >= MIN_PREFIX_CHARS
    return Terms(words=words, prefix=prefix)


def _control(text: str) -> bool:
    return any(unicodedata.category(c) in {"Cc", "Cf"} for c in text)


def parse(
    *,
    q: str | None = None,
    organisation: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    year: int | None = None,
    status: Sustainability | None = None,
    award: Award | None = None,
    sort: Sort | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchQuery:
    """The search ``q`` and the filters ask for; :class:`InvalidQuery` lists every problem.

    ``organisation`` is an id or a slug; ``agency`` an id, or text found in an agency's code
    or name. Without ``sort``: by relevance when there are words, else the newest year first.
    (Types and ranges of ``level``, ``year``, ``status``, ``award``, ``limit`` are the
    router's: FastAPI refuses those with its own 422.)"""
    problems: list[QueryProblem] = []
    terms: Terms | None = None
    if q is not None:
        if len(q) > MAX_Q_CHARS:
            problems.append(
                QueryProblem(
                    "q",
                    "string_too_long",
                    Msg(
                        id="Maksimal {n} karakter.",
                        en="At most {n} characters.",
                    ).format(n=MAX_Q_CHARS),
                )
            )
        elif _control(q):
            problems.append(
                QueryProblem(
                    "q",
                    "control_character",
                    Msg(
                        id="Tidak boleh memuat karakter kendali.",
                        en="Must not contain control characters.",
                    ),
                )
            )
        else:
            terms = terms_of(q)
            if terms is not None and len(terms.words) > MAX_WORDS:
                problems.append(
                    QueryProblem(
                        "q",
                        "too_many_words",
                        Msg(
                            id="Paling banyak {n} kata.",
                            en="At most {n} words.",
                        ).format(n=MAX_WORDS),
                    )
                )
                terms = None

    organisation_ref: OrganisationRef | None = None
    if organisation is not None and organisation.strip():
        text = organisation.strip()
        if text.isdigit() and len(text) <= 10:
            organisation_ref = OrganisationRef(id=int(text))
        elif _SLUG.match(text.lower()):
            organisation_ref = OrganisationRef(slug=text.lower())
        else:
            problems.append(
                QueryProblem(
                    "organisation",
                    "invalid_organisation",
                    Msg(
                        id="Sebutkan nomor atau slug organisasi (huruf kecil, angka, tanda -).",
                        en="Give an organisation's id or slug (lower-case letters, digits, -).",
                    ),
                )
            )

    agency_ref: AgencyRef | None = None
    if agency is not None and agency.strip():
        text = agency.strip()
        if len(text) > MAX_AGENCY_CHARS or _control(text):
            problems.append(
                QueryProblem(
                    "agency",
                    "invalid_agency",
                    Msg(
                        id="Sebutkan nomor, kode, atau sebagian nama perangkat daerah "
                        "(paling banyak {n} karakter).",
                        en="Give an agency's id, code or part of its name "
                        "(at most {n} characters).",
                    ).format(n=MAX_AGENCY_CHARS),
                )
            )
        elif text.isdigit() and len(text) <= 10:
            agency_ref = AgencyRef(id=int(text))
        else:
            agency_ref = AgencyRef(text=text.lower())

    if offset > MAX_OFFSET:
        problems.append(
            QueryProblem(
                "offset",
                "less_than_equal",
                Msg(
                    id="Paling besar {n}; persempit pencarian Anda.",
                    en="At most {n}; narrow your search.",
                ).format(n=MAX_OFFSET),
            )
        )
    if sort == "relevance" and terms is None and not problems:
        problems.append(
            QueryProblem(
                "sort",
                "relevance_needs_words",
                Msg(
                    id="Urutan menurut relevansi memerlukan kata pencarian (q).",
                    en="Sorting by relevance needs search words (q).",
                ),
            )
        )
    if problems:
        raise InvalidQuery(problems)
    return SearchQuery(
        terms=terms,
        organisation=organisation_ref,
        agency=agency_ref,
        level=level,
        year=year,
        status=status,
        award=award,
        sort=sort or ("relevance" if terms is not None else "newest"),
        limit=limit,
        offset=offset,
    )
