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

from kipp.field_errors import pointer_from_field
from kipp.i18n import Msg
from kipp.innovations.words import count_words


@dataclass(frozen=True)
class Problem:
    """One finding: ``code`` and ``params`` let a client word it in its own language."""

    field: str
    message: Msg
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_error(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "pointer": pointer_from_field(self.field),
            "message": self.message,
            "code": self.code,
            "params": self.params,
        }


_EMPTY = Msg(id="Wajib diisi; masih kosong.", en="Required; it is empty.")


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
        problems.append(Problem("title", _EMPTY, "empty"))
    for section in sections_for(template, group):
        key = str(section["key"])
        text = sections.get(key)
        words = count_words(text if isinstance(text, str) else None)
        if words == 0:
            if section.get("required", True):
                problems.append(Problem(f"sections.{key}", _EMPTY, "empty"))
            continue
        limit = section.get("max_words")
        if limit is not None and words > int(limit):
            problems.append(
                Problem(
                    f"sections.{key}",
                    Msg(
                        id="{words} kata; batasnya {limit}.",
                        en="{words} words; the limit is {limit}.",
                    ).format(words=words, limit=limit),
                    "too_many_words",
                    {"words": words, "limit": int(limit)},
                )
            )
    required_attachments = int(template.get("required_attachments") or 0)
    if attachments_count < required_attachments:
        problems.append(
            Problem(
                "attachments",
                Msg(
                    id="{count} diunggah; paling sedikit {required} diperlukan.",
                    en="{count} uploaded; at least {required} required.",
                ).format(count=attachments_count, required=required_attachments),
                "too_few_attachments",
                {"count": attachments_count, "required": required_attachments},
            )
        )
    if started_on is None:
        problems.append(
            Problem(
                "started_on",
                Msg(
                    id="Wajib diisi; kapan inovasi ini dimulai?",
                    en="Required; when did the innovation start?",
                ),
                "empty",
            )
        )
    else:
        min_years = int((template.get("min_age_years") or {}).get(group, 0))
        if started_on > today:
            problems.append(
                Problem(
                    "started_on",
                    Msg(id="{day} masih di masa mendatang.", en="{day} is in the future.").format(
                        day=started_on
                    ),
                    "in_future",
                    {"started_on": started_on.isoformat()},
                )
            )
        elif min_years and anniversary(started_on, min_years) > today:
            problems.append(
                Problem(
                    "started_on",
                    Msg(
                        id="Inovasi kelompok {group} harus sudah berjalan paling sedikit {years} "
                        "tahun; dimulai {started}, usianya cukup pada {enough}.",
                        en="The innovation must have run at least {years} year(s) for group "
                        "{group}; started on {started}, it is old enough on {enough}.",
                    ).format(
                        years=min_years,
                        group=group,
                        started=started_on,
                        enough=anniversary(started_on, min_years),
                    ),
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
