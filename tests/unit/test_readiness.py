"""The readiness check, pure: the template, the proposal and today in; problems out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from kipp.competitions.defaults import default_proposal_template
from kipp.innovations.readiness import Problem, anniversary, check, sections_for

TODAY = date(2021, 10, 20)


def _filled(template: dict[str, Any], group: str, words: int = 5) -> dict[str, str]:
    return {s["key"]: " ".join(["kata"] * words) for s in sections_for(template, group)}


def _check(**overrides: Any) -> list[Problem]:
    template = overrides.pop("template", default_proposal_template())
    group = overrides.get("group", "umum")
    arguments: dict[str, Any] = {
        "template": template,
        "group": group,
        "title": "Inovasi",
        "sections": _filled(template, group),
        "started_on": date(2018, 1, 1),
        "attachments_count": 0,
        "today": TODAY,
        **overrides,
    }
    # Compared in English: the messages are written in both languages (kipp.i18n.Msg).
    return [replace(p, message=p.message.en) for p in check(**arguments)]  # type: ignore[arg-type]


def test_a_complete_proposal_is_ready() -> None:
    assert _check() == []
    assert (
        _check(group="replikasi", sections=_filled(default_proposal_template(), "replikasi")) == []
    )


def test_sections_follow_the_group() -> None:
    template = default_proposal_template()
    umum = {s["key"] for s in sections_for(template, "umum")}
    replikasi = {s["key"] for s in sections_for(template, "replikasi")}
    assert "ide_inovatif" in umum and "inspirasi" not in umum
    assert {"inspirasi", "proses_replikasi", "faktor_pembeda"} <= replikasi
    assert "ide_inovatif" not in replikasi
    # an umum proposal is not asked for the replikasi sections
    assert _check(sections=_filled(template, "umum")) == []


def test_empty_and_missing_required_sections() -> None:
    template = default_proposal_template()
    sections = _filled(template, "umum")
    sections["ringkasan"] = "  — \n "
    del sections["kolaborasi"]
    assert _check(sections=sections) == [
        Problem("sections.ringkasan", "Required; it is empty.", "empty"),
        Problem("sections.kolaborasi", "Required; it is empty.", "empty"),
    ]


def test_optional_section_may_be_empty_but_not_too_long() -> None:
    template = default_proposal_template()
    template["sections"][0]["required"] = False
    sections = _filled(template, "umum")
    sections["ringkasan"] = ""
    assert _check(template=template, sections=sections) == []
    sections["ringkasan"] = " ".join(["kata"] * 201)
    assert _check(template=template, sections=sections) == [
        Problem(
            "sections.ringkasan",
            "201 words; the limit is 200.",
            "too_many_words",
            {"words": 201, "limit": 200},
        )
    ]


def test_word_limit_exceeded_names_the_count_and_the_limit() -> None:
    template = default_proposal_template()
    sections = _filled(template, "umum")
    sections["ide_inovatif"] = " ".join(["kata"] * 612)
    sections["signifikansi"] = " ".join(["kata"] * 600) + " — —"  # dashes are no words
    assert _check(sections=sections) == [
        Problem(
            "sections.ide_inovatif",
            "612 words; the limit is 600.",
            "too_many_words",
            {"words": 612, "limit": 600},
        )
    ]


def test_required_attachments() -> None:
    template = default_proposal_template()
    template["required_attachments"] = 2
    problems = _check(template=template, attachments_count=1)
    assert problems == [
        Problem(
            "attachments",
            "1 uploaded; at least 2 required.",
            "too_few_attachments",
            {"count": 1, "required": 2},
        )
    ]
    assert _check(template=template, attachments_count=2) == []


def test_missing_start_date_and_blank_title() -> None:
    fields = [p.field for p in _check(started_on=None, title="  ")]
    assert fields == ["title", "started_on"]


def test_minimum_age_by_group_on_the_competitions_today() -> None:
    # umum needs 2 years: started 2019-10-20 is exactly 2 years old on 2021-10-20
    assert _check(started_on=date(2019, 10, 20)) == []
    young = _check(started_on=date(2019, 10, 21))
    assert [p.field for p in young] == ["started_on"]
    assert "at least 2 year(s)" in young[0].message and "2021-10-21" in young[0].message
    # replikasi needs only 1 year
    replikasi = _filled(default_proposal_template(), "replikasi")
    assert _check(group="replikasi", sections=replikasi, started_on=date(2020, 10, 1)) == []
    assert _check(group="replikasi", sections=replikasi, started_on=date(2020, 11, 1)) != []


def test_a_start_in_the_future_is_a_problem_even_without_a_minimum_age() -> None:
    template = default_proposal_template()
    template["min_age_years"] = {}
    problems = _check(template=template, started_on=date(2021, 10, 21))
    assert problems == [
        Problem(
            "started_on", "2021-10-21 is in the future.", "in_future", {"started_on": "2021-10-21"}
        )
    ]


def test_anniversary_of_a_leap_day() -> None:
    assert anniversary(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert anniversary(date(2019, 3, 1), 2) == date(2021, 3, 1)


def test_section_without_groups_applies_to_every_group() -> None:
    template = {"sections": [{"key": "a", "max_words": 3, "required": True}]}
    assert _check(template=template, group="khusus", sections={"a": "satu dua"}) == []
    assert _check(template=template, group="khusus", sections={}) == [
        Problem("sections.a", "Required; it is empty.", "empty")
    ]
