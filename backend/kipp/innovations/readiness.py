"""The readiness check: what the administrative stage would find missing, before submitting.

Pure: no database. The service gathers the inputs; the router shows the problems, and submit
refuses a proposal that has any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

from kipp.innovations.words import count_words


@dataclass(frozen=True)
class Problem:
    """One finding: ``code`` and ``params`` let a client word it in its own language."""

    field: str
    message: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_error(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "message": self.message,
            "code": self.code,
            "params": self.params,
        }


def sections_for(template: Mapping[str, Any], group: str) -> list[Mapping[str, Any]]:
    """The template's sections that apply to ``group`` (a section without ``groups``: all)."""
    sections: Sequence[Mapping[str, Any]] = template.get("sections") or []
    return [s for s in sections if group in (s.get("groups") or [group])]


def section_keys(template: Mapping[str, Any]) -> set[str]:
    """Every section key of the template, whatever the group."""
    return {str(s["key"]) for s in template.get("sections") or []}


def anniversary(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February falls on 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def check(
    *,
    template: Mapping[str, Any],
    group: str,
    title: str,
    sections: Mapping[str, Any],
    started_on: date | None,
    attachments_count: int,
    today: date,
) -> list[Problem]:
    """Every problem that stops the proposal from being submitted, in form order.

    ``today`` is the competition's local date: the minimum age is judged where the
    competition runs, not where the server is.
    """
    problems: list[Problem] = []
    if not title.strip():
        problems.append(Problem("title", "required; it is empty", "empty"))
    for section in sections_for(template, group):
        key = str(section["key"])
        text = sections.get(key)
        words = count_words(text if isinstance(text, str) else None)
        if words == 0:
            if section.get("required", True):
                problems.append(Problem(f"sections.{key}", "required; it is empty", "empty"))
            continue
        limit = section.get("max_words")
        if limit is not None and words > int(limit):
            problems.append(
                Problem(
                    f"sections.{key}",
                    f"{words} words; the limit is {limit}",
                    "too_many_words",
                    {"words": words, "limit": int(limit)},
                )
            )
    required_attachments = int(template.get("required_attachments") or 0)
    if attachments_count < required_attachments:
        problems.append(
            Problem(
                "attachments",
                f"{attachments_count} uploaded; at least {required_attachments} required",
                "too_few_attachments",
                {"count": attachments_count, "required": required_attachments},
            )
        )
    if started_on is None:
        problems.append(Problem("started_on", "required; when did the innovation start?", "empty"))
    else:
        min_years = int((template.get("min_age_years") or {}).get(group, 0))
        if started_on > today:
            problems.append(
                Problem(
                    "started_on",
                    f"{started_on} is in the future",
                    "in_future",
                    {"started_on": started_on.isoformat()},
                )
            )
        elif min_years and anniversary(started_on, min_years) > today:
            problems.append(
                Problem(
                    "started_on",
                    f"the innovation must have run at least {min_years} year(s) for group "
                    f"{group}; started on {started_on}, it is old enough on "
                    f"{anniversary(started_on, min_years)}",
                    "too_young",
                    {
                        "min_years": min_years,
                        "group": group,
                        "started_on": started_on.isoformat(),
                        "old_enough_on": anniversary(started_on, min_years).isoformat(),
                    },
                )
            )
    return problems
