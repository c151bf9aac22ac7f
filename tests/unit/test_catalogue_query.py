"""Reading a catalogue search: words into FTS5 and tsquery strings, filters, refusals."""

from __future__ import annotations

import pytest

from kipp.catalogue.query import (
    MAX_WORDS,
    AgencyRef,
    InvalidQuery,
    OrganisationRef,
    Terms,
    parse,
    terms_of,
)


def test_words_are_letters_and_digits_lower_cased_accents_folded() -> None:
    terms = terms_of('ANC "Hipnoterapi" OR e-KTP_2021 Café*')
    assert terms == Terms(
        words=("anc", "hipnoterapi", "or", "e", "ktp", "2021", "cafe"), prefix=True
    )


def test_no_syntax_survives_into_either_query_language() -> None:
    terms = terms_of('kesehatan" OR NEAR(x) ibu:* & !')
    assert terms is not None
    assert terms.fts5() == '"kesehatan" "or" "near" "x" "ibu"*'
    assert terms.tsquery() == "'kesehatan' & 'or' & 'near' & 'x' & 'ibu':*"


def test_the_last_word_is_a_prefix_only_while_typing_it() -> None:
    assert terms_of("kesehatan ib") == Terms(words=("kesehatan", "ib"), prefix=True)
    assert terms_of("kesehatan ib ") == Terms(words=("kesehatan", "ib"), prefix=False)
    assert terms_of("kesehatan i") == Terms(words=("kesehatan", "i"), prefix=False)
    assert terms_of(" ,.; ") is None


def test_defaults_and_sorting() -> None:
    assert parse().sort == "newest" and parse().terms is None
    assert parse(q="ibu").sort == "relevance"
    assert parse(q="ibu", sort="title").sort == "title"
    assert parse(q="  ").sort == "newest"


def test_organisation_and_agency_references() -> None:
    assert parse(organisation="12").organisation == OrganisationRef(id=12)
    assert parse(organisation="Luwu-Utara").organisation == OrganisationRef(slug="luwu-utara")
    assert parse(organisation=" ").organisation is None
    assert parse(agency="7").agency == AgencyRef(id=7)
    assert parse(agency=" Dinas Kesehatan ").agency == AgencyRef(text="dinas kesehatan")


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({"q": " ".join(["kata"] * (MAX_WORDS + 1))}, [("q", "too_many_words")]),
        ({"q": "x" * 201}, [("q", "string_too_long")]),
        ({"q": "ibu\x00"}, [("q", "control_character")]),
        ({"q": "ibu\u202e"}, [("q", "control_character")]),
        ({"organisation": "luwu utara"}, [("organisation", "invalid_organisation")]),
        ({"agency": "dinas\tkesehatan"}, [("agency", "invalid_agency")]),
        ({"offset": 10_001}, [("offset", "less_than_equal")]),
        ({"sort": "relevance"}, [("sort", "relevance_needs_words")]),
        (
            {"organisation": "?", "agency": "x" * 201},
            [("organisation", "invalid_organisation"), ("agency", "invalid_agency")],
        ),
    ],
)
def test_refusals_name_every_problem_in_both_languages(
    fields: dict[str, object], problems: list[tuple[str, str]]
) -> None:
    with pytest.raises(InvalidQuery) as refused:
        parse(**fields)  # type: ignore[arg-type]
    assert [(p.field, p.code) for p in refused.value.problems] == problems
    for problem in refused.value.problems:
        assert (
            problem.message.id and problem.message.en and problem.message.id != problem.message.en
        )
