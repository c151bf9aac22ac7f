"""The presentation schedule: read it, replace it whole, propose an automatic fill.

A schedule is replaced in one request (the admin's editor sends every slot), under an optimistic
version; slots sent with their id keep it (and their calendar UID), and a slot whose time or
place changes gets a higher calendar SEQUENCE. Once the schedule is published, every slot whose
time or place differs from what its team and panel were last told is announced to them
(:mod:`kipp.schedule.announce`); unchanged slots notify nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.errors import NotFound, StaleVersion, ValidationFailed
from kipp.i18n import Msg
from kipp.models import Agency, Competition, Innovation, Schedule, ScheduleSlot, User
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.ranking import service as ranking_service
from kipp.schedule import announce, layout, policy
from kipp.schedule.schemas import FillIn, ScheduleIn, ScheduleOut, SlotIn, SlotOut


@dataclass(frozen=True)
class Entry:
    """An innovation as the schedule shows it."""

    id: int
    title: str
    agency_code: str
    status: str
    submitted_at: datetime | None


def entries(*, session: Session, competition_id: int) -> dict[int, Entry]:
    """Every innovation of the competition (one query), by id."""
    rows = session.execute(
        select(
            Innovation.id, Innovation.title, Agency.code, Innovation.status, Innovation.submitted_at
        )
        .join(Agency, Agency.id == Innovation.agency_id)
        .where(Innovation.competition_id == competition_id)
    )
    return {row[0]: Entry(*row) for row in rows}


def schedule_row(*, session: Session, competition_id: int) -> Schedule | None:
    return session.get(Schedule, competition_id)


def slots_of(*, session: Session, competition_id: int) -> list[ScheduleSlot]:
    """The competition's slots in the day's order."""
    return list(
        session.scalars(
            select(ScheduleSlot)
            .where(ScheduleSlot.competition_id == competition_id)
            .order_by(ScheduleSlot.starts_at, ScheduleSlot.id)
        )
    )


def get_slot(*, session: Session, competition_id: int, slot_id: int) -> ScheduleSlot:
    """One slot of the competition, or 404."""
    slot = session.get(ScheduleSlot, slot_id)
    if slot is None or slot.competition_id != competition_id:
        raise NotFound(
            Msg(id="Slot {sid} tidak ada.", en="Slot {sid} does not exist.").format(sid=slot_id)
        )
    return slot


def _slot_out(
    *,
    slot_id: int | None,
    innovation_id: int | None,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    online_url: str | None,
    note: str,
    sequence: int,
    zone: ZoneInfo,
    known: dict[int, Entry],
    reader: policy.Reader,
) -> SlotOut:
    entry = known.get(innovation_id) if innovation_id is not None else None
    own = innovation_id is not None and innovation_id in reader.own
    start = starts_at.astimezone(zone)
    return SlotOut(
        id=slot_id,
        innovation_id=innovation_id,
        title=entry.title if entry else None,
        agency_code=entry.agency_code if entry else None,
        starts_at=start,
        ends_at=start + timedelta(minutes=duration_minutes),
        duration_minutes=duration_minutes,
        place=place,
        online_url=online_url if reader.all_links or own else None,
        note=note,
        sequence=sequence,
        own=own,
    )


def view(*, session: Session, competition: Competition, reader: policy.Reader) -> ScheduleOut:
    """The saved schedule as ``reader`` sees it."""
    row = schedule_row(session=session, competition_id=competition.id)
    slots = slots_of(session=session, competition_id=competition.id)
    known = entries(session=session, competition_id=competition.id)
    zone = ZoneInfo(competition.timezone)
    items = [
        _slot_out(
            slot_id=s.id,
            innovation_id=s.innovation_id,
            starts_at=s.starts_at,
            duration_minutes=s.duration_minutes,
            place=s.place,
            online_url=s.online_url,
            note=s.note,
            sequence=s.sequence,
            zone=zone,
            known=known,
            reader=reader,
        )
        for s in slots
    ]
    return ScheduleOut(
        competition_id=competition.id,
        timezone=competition.timezone,
        version=row.version if row else 0,
        published=row is not None and row.published_at is not None,
        published_at=row.published_at.astimezone(zone) if row and row.published_at else None,
        items=items,
        total=len(items),
    )


def read(*, session: Session, competition: Competition, user: User | None) -> ScheduleOut:
    """The schedule for ``user``: 404 unless they may see it (see :mod:`policy`)."""
    row = schedule_row(session=session, competition_id=competition.id)
    if policy.is_pending(competition=competition, schedule=row, user=user):
        return ScheduleOut(
            competition_id=competition.id,
            timezone=competition.timezone,
            version=0,
            published=False,
            published_at=None,
            items=[],
            total=0,
        )
    policy.ensure_visible(competition=competition, schedule=row, user=user)
    reader = policy.reader(session=session, competition=competition, user=user)
    return view(session=session, competition=competition, reader=reader)


# --------------------------------------------------------------------------- replacing


def _problem(field: str, message: Msg) -> dict[str, Any]:
    return {"field": field, "message": message}


def _validate(
    *, slots: Sequence[SlotIn], known: dict[int, Entry], existing: dict[int, ScheduleSlot]
) -> None:
    """Every rule of a schedule at once; 422 with a pointer per problem, nothing written."""
    problems: list[dict[str, Any]] = []
    seen_slots: set[int] = set()
    seen_innovations: dict[int, int] = {}
    for index, slot in enumerate(slots):
        if slot.id is not None:
            if slot.id not in existing or slot.id in seen_slots:
                problems.append(
                    _problem(
                        f"slots.{index}.id",
                        Msg(
                            id="bukan slot jadwal ini, atau disebut dua kali",
                            en="not a slot of this schedule, or given twice",
                        ),
                    )
                )
            seen_slots.add(slot.id)
        if slot.innovation_id is None:
            continue
        entry = known.get(slot.innovation_id)
        if entry is None or entry.status not in JUDGED_STATUSES:
            problems.append(
                _problem(
                    f"slots.{index}.innovation_id",
                    Msg(
                        id="hanya inovasi yang lolos seleksi administrasi pada kompetisi ini "
                        "yang mendapat jadwal",
                        en="only innovations of this competition that passed the "
                        "administrative review get a slot",
                    ),
                )
            )
        elif slot.innovation_id in seen_innovations:
            problems.append(
                _problem(
                    f"slots.{index}.innovation_id",
                    Msg(
                        id="inovasi ini sudah mendapat slot nomor {n}",
                        en="this innovation already has slot number {n}",
                    ).format(n=seen_innovations[slot.innovation_id] + 1),
                )
            )
        else:
            seen_innovations[slot.innovation_id] = index
    clashes = layout.overlaps(
        [
            layout.SlotTimes(
                index=i,
                place_key=layout.place_key(s.place, str(s.online_url) if s.online_url else None),
                starts_at=s.starts_at,
                duration_minutes=s.duration_minutes,
            )
            for i, s in enumerate(slots)
        ]
    )
    for earlier, later in clashes:
        problems.append(
            _problem(
                f"slots.{later}.starts_at",
                Msg(
                    id="bertabrakan dengan slot nomor {n} di tempat yang sama",
                    en="overlaps slot number {n} in the same place",
                ).format(n=earlier + 1),
            )
        )
    if problems:
        raise ValidationFailed(
            Msg(id="Jadwal tidak dapat disimpan.", en="The schedule cannot be saved."),
            errors=problems,
        )


def _audit_view(slots: Sequence[ScheduleSlot]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "innovation_id": s.innovation_id,
            "starts_at": s.starts_at.isoformat(),
            "duration_minutes": s.duration_minutes,
            "place": s.place,
        }
        for s in slots
    ]


def replace(
    *, session: Session, actor: User, competition: Competition, schedule_in: ScheduleIn
) -> ScheduleOut:
    """Replace the whole schedule (optimistic ``version``), publish or withdraw it, and
    announce the set or moved slots of a published schedule. Only flushes."""
    row = schedule_row(session=session, competition_id=competition.id)
    current_version = row.version if row else 0
    if schedule_in.version != current_version:
        raise StaleVersion(
            Msg(
                id="Jadwal sudah diubah orang lain (versi {v}); muat ulang lalu coba lagi.",
                en="Someone else changed the schedule (version {v}); reload and try again.",
            ).format(v=current_version)
        )
    before = slots_of(session=session, competition_id=competition.id)
    existing = {s.id: s for s in before}
    known = entries(session=session, competition_id=competition.id)
    _validate(slots=schedule_in.slots, known=known, existing=existing)
    audit_before = {"published": bool(row and row.published_at), "slots": _audit_view(before)}

    now = clock.now()
    if row is None:
        row = Schedule(competition_id=competition.id, version=0, updated_at=now)
        session.add(row)
    kept: set[int] = set()
    # Free the innovations first: a slot handing its innovation to another must not collide
    # with the unique (competition, innovation) pair mid-update.
    for old in before:
        old.innovation_id = None
    session.flush()
    for slot in schedule_in.slots:
        url = str(slot.online_url) if slot.online_url else None
        target = existing.get(slot.id) if slot.id is not None else None
        if target is None:
            target = ScheduleSlot(competition_id=competition.id, sequence=0)
            session.add(target)
        else:
            kept.add(target.id)
            moved = (target.starts_at, target.duration_minutes, target.place, target.online_url)
            if moved != (slot.starts_at, slot.duration_minutes, slot.place, url):
                target.sequence += 1
        target.innovation_id = slot.innovation_id
        target.starts_at = slot.starts_at
        target.duration_minutes = slot.duration_minutes
        target.place = slot.place
        target.online_url = url
        target.note = slot.note
    for old in before:
        if old.id not in kept:
            session.delete(old)
    row.version = current_version + 1
    row.updated_at = now
    if schedule_in.published and row.published_at is None:
        row.published_at = now
    elif not schedule_in.published:
        row.published_at = None
    session.flush()

    after = slots_of(session=session, competition_id=competition.id)
    audit_service.record(
        session=session,
        actor=actor,
        action="schedule.update",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        before=audit_before,
        after={"published": row.published_at is not None, "slots": _audit_view(after)},
    )
    if row.published_at is not None:
        announce.announce_changes(
            session=session, competition=competition, slots=after, known_titles=known
        )
    return view(
        session=session,
        competition=competition,
        reader=policy.Reader(all_links=True, own=frozenset()),
    )


# --------------------------------------------------------------------------- the fill


def _ordered(
    *, session: Session, competition: Competition, candidates: list[Entry], order: str
) -> list[Entry]:
    if order == "agency":
        return sorted(candidates, key=lambda e: (e.agency_code, e.title.casefold(), e.id))
    if order == "submitted":
        return sorted(
            candidates,
            key=lambda e: (e.submitted_at is None, e.submitted_at or clock.now(), e.id),
        )
    by_title = sorted(candidates, key=lambda e: (e.title.casefold(), e.id))
    if order == "ranking":
        ranking = ranking_service.competition_ranking(session=session, competition=competition)
        position = {entry["innovation_id"]: i for i, entry in enumerate(ranking.entries)}
        # Ranked first in rank order; the unranked (no scores yet) after, by title.
        return sorted(by_title, key=lambda e: position.get(e.id, len(position)))
    return by_title


def propose(*, session: Session, competition: Competition, fill_in: FillIn) -> ScheduleOut:
    """An automatic fill of every eligible innovation, in the chosen order, for the admin to
    adjust and save with PUT. Saves nothing; an innovation already in the schedule keeps its
    slot id (so its calendar UID survives the refill)."""
    if fill_in.day_end <= fill_in.day_start:
        raise ValidationFailed(
            errors=[
                _problem(
                    "day_end",
                    Msg(id="harus setelah jam mulai", en="must be after the day's start"),
                )
            ]
        )
    known = entries(session=session, competition_id=competition.id)
    candidates = [e for e in known.values() if e.status in JUDGED_STATUSES]
    ordered = _ordered(
        session=session, competition=competition, candidates=candidates, order=fill_in.order
    )
    plan = layout.FillPlan(
        days=fill_in.days,
        day_start=fill_in.day_start,
        day_end=fill_in.day_end,
        duration_minutes=fill_in.duration_minutes,
        break_after_n=fill_in.break_after_n,
        break_minutes=fill_in.break_minutes,
        timezone=competition.timezone,
    )
    try:
        planned = layout.fill([e.id for e in ordered], plan)
    except layout.DoesNotFit as exc:
        raise ValidationFailed(
            errors=[
                _problem(
                    "days",
                    Msg(
                        id="hanya {placed} dari {total} presentasi yang muat; tambah hari, "
                        "perpanjang jam, atau persingkat durasi",
                        en="only {placed} of {total} presentations fit; add days, lengthen "
                        "the day or shorten the slots",
                    ).format(placed=exc.placed, total=exc.total),
                )
            ]
        ) from exc
    existing = {
        s.innovation_id: s
        for s in slots_of(session=session, competition_id=competition.id)
        if s.innovation_id is not None
    }
    row = schedule_row(session=session, competition_id=competition.id)
    zone = ZoneInfo(competition.timezone)
    url = str(fill_in.online_url) if fill_in.online_url else None
    reader = policy.Reader(all_links=True, own=frozenset())
    items = []
    for p in planned:
        kept = existing.get(p.innovation_id) if p.innovation_id is not None else None
        items.append(
            _slot_out(
                slot_id=kept.id if kept else None,
                innovation_id=p.innovation_id,
                starts_at=p.starts_at,
                duration_minutes=p.duration_minutes,
                place=fill_in.place,
                online_url=url,
                note="",
                sequence=kept.sequence if kept else 0,
                zone=zone,
                known=known,
                reader=reader,
            )
        )
    return ScheduleOut(
        competition_id=competition.id,
        timezone=competition.timezone,
        version=row.version if row else 0,
        published=row is not None and row.published_at is not None,
        published_at=row.published_at.astimezone(zone) if row and row.published_at else None,
        items=items,
        total=len(items),
    )
