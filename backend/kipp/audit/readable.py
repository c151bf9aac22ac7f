"""The audit log as people read it: names instead of ids, one sentence per event, the changes.

Looks up, in a handful of queries per page, the names an event mentions (its actor, the
competition, the agency, account, proposal, file or scoresheet it is about) and hands them to
the pure ``kipp.audit.sentences``. Stored events are read as they are: the chain is untouched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.audit import sentences
from kipp.audit import service as audit_service
from kipp.audit.sentences import Change, EventFacts
from kipp.audit.service import AuditFilter
from kipp.i18n import Lang, Msg, Text, text_in
from kipp.models import Agency, Attachment, AuditEvent, Competition, Innovation, Scoresheet, User
from kipp.tables import defuse

# Where an event about one of these kinds names the proposal it concerns.
_VIA_INNOVATION = (
    "attachment",
    "objection",
    "conflict_of_interest",
    "sustainability_report",
    "sustainability_evidence",
    "replication",
)
# The label a snapshot in the event itself carries, when the row no longer exists.
_SNAPSHOT_LABEL = {
    "agency": "name",
    "user": "full_name",
    "innovation": "title",
    "organisation": "name",
}


@dataclass(frozen=True)
class ReadableEvent:
    event: AuditEvent
    actor_name: str | None
    object_label: Text
    competition_label: str | None
    sentence: Msg
    changes: list[Change]


@dataclass
class _Names:
    users: dict[int, str]
    competitions: dict[int, str]
    agencies: dict[int, str]
    innovations: dict[int, str]
    attachments: dict[int, str]
    scoresheets: dict[int, int]  # scoresheet id → innovation id


def _innovation_ref(event: AuditEvent) -> int | None:
    for record in (event.after, event.before):
        if record and isinstance(record.get("innovation_id"), int):
            return int(record["innovation_id"])
    return None


def _bulk_ids(event: AuditEvent) -> list[int]:
    """The proposals a bulk status change lists by id (``{"statuses": {"12": "eligible"}}``)."""
    statuses = (event.after or {}).get("statuses")
    if not isinstance(statuses, Mapping):
        return []
    return [int(key) for key in statuses if str(key).isdigit()]


def _lookup(session: Session, events: Sequence[AuditEvent]) -> _Names:
    def ids(kind: str) -> set[int]:
        return {e.entity_id for e in events if e.entity_type == kind and e.entity_id is not None}

    user_ids = ids("user") | {e.actor_id for e in events if e.actor_id is not None}
    competition_ids = ids("competition") | {
        e.competition_id for e in events if e.competition_id is not None
    }
    scoresheets: dict[int, int] = {}
    if sheet_ids := ids("scoresheet"):
        scoresheets = {
            sid: iid
            for sid, iid in session.execute(
                select(Scoresheet.id, Scoresheet.innovation_id).where(Scoresheet.id.in_(sheet_ids))
            )
        }
    innovation_ids = ids("innovation") | set(scoresheets.values())
    innovation_ids |= {
        ref for e in events if e.entity_type in _VIA_INNOVATION and (ref := _innovation_ref(e))
    }
    innovation_ids |= {i for e in events for i in _bulk_ids(e)}

    def names(column_id: Any, column_name: Any, wanted: set[int]) -> dict[int, str]:
        if not wanted:
            return {}
        rows = session.execute(select(column_id, column_name).where(column_id.in_(wanted)))
        return {int(i): str(n) for i, n in rows}

    return _Names(
        users=names(User.id, User.full_name, user_ids),
        competitions=names(Competition.id, Competition.name, competition_ids),
        agencies=names(Agency.id, Agency.name, ids("agency")),
        innovations=names(Innovation.id, Innovation.title, innovation_ids),
        attachments=names(Attachment.id, Attachment.filename, ids("attachment")),
        scoresheets=scoresheets,
    )


def _snapshot(event: AuditEvent, key: str) -> str | None:
    for record in (event.after, event.before):
        if record and isinstance(record.get(key), str):
            return str(record[key])
    return None


def _object_label(event: AuditEvent, names: _Names) -> str | None:
    kind, eid = event.entity_type, event.entity_id
    by_kind: dict[str, Mapping[int, str]] = {
        "competition": names.competitions,
        "agency": names.agencies,
        "user": names.users,
        "innovation": names.innovations,
    }
    if kind in by_kind and eid is not None and eid in by_kind[kind]:
        return by_kind[kind][eid]
    if kind in _SNAPSHOT_LABEL and (label := _snapshot(event, _SNAPSHOT_LABEL[kind])):
        return label
    if kind == "attachment":
        return (names.attachments.get(eid) if eid is not None else None) or _snapshot(
            event, "filename"
        )
    if kind == "scoresheet" and eid is not None and eid in names.scoresheets:
        return names.innovations.get(names.scoresheets[eid])
    if kind in _VIA_INNOVATION and (ref := _innovation_ref(event)) is not None:
        return names.innovations.get(ref)
    if kind in ("nomination", "innovation", "competition") and event.competition_id is not None:
        return names.competitions.get(event.competition_id)  # decisions and bulk changes
    return None


def describe(*, session: Session, events: Sequence[AuditEvent]) -> list[ReadableEvent]:
    """Each event with its actor's name, its object's label, its sentence and its changes."""
    names = _lookup(session, events)
    out: list[ReadableEvent] = []
    for event in events:
        actor = names.users.get(event.actor_id) if event.actor_id is not None else None
        actor = actor or event.actor_email
        facts = EventFacts(
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            actor=actor,
            object_label=_object_label(event, names),
            before=event.before,
            after=event.after,
            titles={i: names.innovations[i] for i in _bulk_ids(event) if i in names.innovations},
        )
        out.append(
            ReadableEvent(
                event=event,
                actor_name=actor,
                object_label=sentences.object_text(facts),
                competition_label=(
                    names.competitions.get(event.competition_id)
                    if event.competition_id is not None
                    else None
                ),
                sentence=sentences.sentence(facts),
                changes=sentences.changes(facts),
            )
        )
    return out


CSV_HEADER = {
    "id": ["waktu (UTC)", "pelaku", "aksi", "objek", "kalimat", "perubahan", "alasan", "id"],
    "en": ["time (UTC)", "actor", "action", "object", "sentence", "changes", "reason", "id"],
}


def _change_text(change: Change, lang: Lang) -> str:
    def value(text: Text | None) -> str:
        return "—" if text is None else text_in(text, lang)

    return f"{text_in(change.label, lang)}: {value(change.before)} → {value(change.after)}"


def csv_stream(
    *, open_session: Callable[[], Session], where: AuditFilter, lang: Lang
) -> Iterator[bytes]:
    """The events ``where`` selects as CSV, read while the response streams through a session
    of its own, closed at the end: the request's session is closed (and its database slot
    freed) when the route returns, before the body is sent."""
    session = open_session()
    try:
        yield from csv_chunks(
            session=session,
            batches=audit_service.event_batches(session=session, where=where),
            lang=lang,
        )
    finally:
        session.close()


def csv_chunks(
    *, session: Session, batches: Iterable[Sequence[AuditEvent]], lang: Lang
) -> Iterator[bytes]:
    """The log as CSV (UTF-8 with BOM, CRLF), a page of events at a time; every cell defused
    against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(CSV_HEADER[lang])
    for batch in batches:
        for row in describe(session=session, events=batch):
            cells = [
                row.event.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                row.actor_name or "",
                row.event.action,
                text_in(row.object_label, lang),
                text_in(row.sentence, lang),
                "; ".join(_change_text(c, lang) for c in row.changes),
                row.event.reason or "",
                str(row.event.id),
            ]
            writer.writerow([defuse(cell) for cell in cells])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
