"""The append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.orm import Session

from kipp import clock
from kipp.models import Agency, AuditEvent, Competition, OutboxMessage, User

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_ID = 7_200_001  # PostgreSQL advisory lock serialising appends to the chain


def _jsonable(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(json.dumps(dict(value), default=str))
    return loaded


def _event_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_id: int | None,
    actor_email: str | None,
    competition_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": created_at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_email": actor_email,
            "competition_id": competition_id,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "reason": reason,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    *,
    session: Session,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    competition_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_ID})
    prev_hash = (
        session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
        or GENESIS_HASH
    )
    created_at = clock.now()
    fields: dict[str, Any] = {
        "created_at": created_at,
        "actor_id": actor.id if actor else None,
        "actor_email": actor.email if actor else None,
        "competition_id": competition_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": _jsonable(before),
        "after": _jsonable(after),
        "reason": reason,
    }
    event = AuditEvent(
        prev_hash=prev_hash, hash=_event_hash(prev_hash=prev_hash, **fields), **fields
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


@dataclass(frozen=True)
class ChainHead:
    """The newest event: what an operator writes down outside KIPP to anchor the chain.

    ``id`` is None and ``hash`` the genesis hash while the log is empty."""

    id: int | None
    hash: str
    count: int


@dataclass(frozen=True)
class AnchorCheck:
    """Where an anchored hash stands in the chain now: ``found`` False when it is gone."""

    hash: str
    found: bool
    event_id: int | None
    position: int | None  # 1-based: events from the start up to and including it


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    breaks: list[ChainBreak]
    head: ChainHead
    anchor: AnchorCheck | None = None


def verify_chain(*, session: Session, anchor: str | None = None) -> ChainReport:
    """Walk the chain in id order: a changed row breaks its own hash, a removed row the link.

    Removing the newest events leaves an intact, shorter chain; the head (reported here) written
    down outside KIPP and given back as ``anchor`` catches that: the check fails when the
    anchored hash is no longer in the chain, and any removal before it breaks a link.
    """
    anchor = anchor.strip().lower() if anchor is not None else None
    breaks: list[ChainBreak] = []
    prev_hash = GENESIS_HASH
    checked = 0
    head_id: int | None = None
    # The genesis hash anchors the empty log: it is "in" every chain, at position 0.
    anchor_at: tuple[int | None, int] | None = (None, 0) if anchor == GENESIS_HASH else None
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000):
        checked += 1
        if event.prev_hash != prev_hash:
            breaks.append(
                ChainBreak(event.id, "link to the previous event is broken (removed or reordered)")
            )
        expected = _event_hash(
            prev_hash=event.prev_hash,
            created_at=event.created_at,
            actor_id=event.actor_id,
            actor_email=event.actor_email,
            competition_id=event.competition_id,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            before=event.before,
            after=event.after,
            reason=event.reason,
        )
        if expected != event.hash:
            breaks.append(ChainBreak(event.id, "content does not match its hash (altered)"))
        if anchor is not None and event.hash == anchor:
            anchor_at = (event.id, checked)
        prev_hash = event.hash
        head_id = event.id
    anchored: AnchorCheck | None = None
    if anchor is not None:
        anchored = AnchorCheck(
            hash=anchor,
            found=anchor_at is not None,
            event_id=anchor_at[0] if anchor_at else None,
            position=anchor_at[1] if anchor_at else None,
        )
    return ChainReport(
        ok=not breaks and (anchored is None or anchored.found),
        checked=checked,
        breaks=breaks,
        head=ChainHead(id=head_id, hash=prev_hash, count=checked),
        anchor=anchored,
    )


@dataclass(frozen=True)
class AuditFilter:
    """Which events to read; every field left None does not filter. ``since``/``until``: the
    event happened at or after ``since`` and before ``until``."""

    competition_id: int | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    action: str | None = None
    actor_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    # The organisation whose log this is (an organiser's view); None: the whole log.
    organisation_id: int | None = None


def _of_organisation(organisation_id: int) -> ColumnElement[bool]:
    """The events that belong to an organisation: those of its competitions, and those about
    its agencies, accounts, e-mails and itself (and the imports its people ran)."""
    people = select(User.id).where(User.organisation_id == organisation_id)
    about = {
        "agency": select(Agency.id).where(Agency.organisation_id == organisation_id),
        "user": people,
        "outbox_message": select(OutboxMessage.id).where(OutboxMessage.user_id.in_(people)),
    }
    return or_(
        AuditEvent.competition_id.in_(
            select(Competition.id).where(Competition.organisation_id == organisation_id)
        ),
        and_(
            AuditEvent.competition_id.is_(None),
            or_(
                *(
                    and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(ids))
                    for kind, ids in about.items()
                ),
                and_(
                    AuditEvent.entity_type == "organisation",
                    AuditEvent.entity_id == organisation_id,
                ),
                and_(AuditEvent.entity_type == "import", AuditEvent.actor_id.in_(people)),
            ),
        ),
    )


def _filtered(where: AuditFilter) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if where.organisation_id is not None:
        query = query.where(_of_organisation(where.organisation_id))
    if where.competition_id is not None:
        query = query.where(AuditEvent.competition_id == where.competition_id)
    if where.entity_type is not None:
        query = query.where(AuditEvent.entity_type == where.entity_type)
    if where.entity_id is not None:
        query = query.where(AuditEvent.entity_id == where.entity_id)
    if where.action is not None:
        query = query.where(AuditEvent.action == where.action)
    if where.actor_id is not None:
        query = query.where(AuditEvent.actor_id == where.actor_id)
    if where.since is not None:
        query = query.where(AuditEvent.created_at >= where.since)
    if where.until is not None:
        query = query.where(AuditEvent.created_at < where.until)
    return query


def list_events(
    *, session: Session, where: AuditFilter, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """A page of the events ``where`` selects, newest first, and how many there are in all."""
    query = _filtered(where)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)).all()
    return list(events), total


def event_batches(
    *, session: Session, where: AuditFilter, size: int = 500
) -> Iterator[list[AuditEvent]]:
    """Every event ``where`` selects, newest first, ``size`` at a time (keyset: no offsets)."""
    below: int | None = None
    while True:
        query = _filtered(where)
        if below is not None:
            query = query.where(AuditEvent.id < below)
        batch = list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(size)))
        if not batch:
            return
        yield batch
        below = batch[-1].id
