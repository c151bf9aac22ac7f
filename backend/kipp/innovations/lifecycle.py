"""The innovation status machine: one transition table and the only functions that change an
innovation's ``status``.

Every writer (submission, withdrawal, administrative review, nomination, finalisation, imports)
goes through :func:`move` (one innovation, optimistic lock) or :func:`move_many` (a whole
competition's decision at once), so a refused move is refused the same way everywhere and every
move is audited the same way: ``before → after`` of the status, with the actor and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.errors import InvalidTransition, StaleVersion
from kipp.i18n import Msg
from kipp.models import Innovation, InnovationStatus, User

S = InnovationStatus

# The lifecycle, explicit: the statuses each status may move to. A re-review may flip an
# administrative decision while that stage is current (eligible ↔ ineligible, or the same
# decision again); a TOP N decision saved again may flip nominated ↔ not nominated.
ALLOWED: Final[Mapping[S, frozenset[S]]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN}),
    S.ELIGIBLE: frozenset({S.ELIGIBLE, S.INELIGIBLE, S.NOMINATED, S.NOT_NOMINATED}),
    S.INELIGIBLE: frozenset({S.INELIGIBLE, S.ELIGIBLE}),
    S.NOMINATED: frozenset({S.WINNER, S.NOT_NOMINATED}),
    S.NOT_NOMINATED: frozenset({S.NOMINATED}),
    S.WINNER: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    """Whether the table allows ``current → target`` (pure)."""
    try:
        return S(target) in ALLOWED.get(S(current), frozenset())
    except ValueError:
        return False


def require_move(current: str, target: str) -> None:
    """Raise :class:`InvalidTransition` (409) unless ``current → target`` is allowed."""
    if not can_move(current, target):
        raise InvalidTransition(
            Msg(
                id="Usulan berstatus {current} tidak dapat menjadi {target}.",
                en="A proposal that is {current} cannot become {target}.",
            ).format(current=current, target=target)
        )


def stale(innovation_id: int, current: object, sent: object) -> Msg:
    """The 409 of an edit made on an old version."""
    return Msg(
        id="Inovasi {id} sudah diubah orang lain (versi {current}, Anda mengirim versi {sent}); "
        "muat ulang lalu ulangi perubahan Anda.",
        en="Innovation {id} was changed by someone else (version {current}, you sent {sent}); "
        "reload it and apply your change again.",
    ).format(id=innovation_id, current=current, sent=sent)


def move(
    *,
    session: Session,
    actor: User | None,
    innovation: Innovation,
    target: str,
    action: str,
    reason: str | None = None,
    values: Mapping[str, Any] | None = None,
    read_version: int | None = None,
    audit_before: Mapping[str, Any] | None = None,
    audit_after: Mapping[str, Any] | None = None,
) -> None:
    """Move one innovation to ``target`` in one atomic
    ``UPDATE … WHERE id AND version AND status`` (bumping the version, setting ``values`` too),
    then audit it as ``action``: ``{"status": before}`` → ``{"status": target}``, plus what
    ``audit_before`` / ``audit_after`` add (a decision's details travel in the same event).

    Zero rows updated means someone changed the innovation since it was read: 409, nothing
    written. The caller reloads the innovation when it needs the new state.
    """
    before = innovation.status
    require_move(before, target)
    version = innovation.version if read_version is None else read_version
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Innovation)
            .where(
                Innovation.id == innovation.id,
                Innovation.version == version,
                Innovation.status == before,
            )
            .values(
                **(values or {}),
                status=S(target).value,
                version=Innovation.version + 1,
                updated_at=clock.now(),
            )
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        current = session.scalar(select(Innovation.version).where(Innovation.id == innovation.id))
        raise StaleVersion(stale(innovation.id, current, version))
    audit_service.record(
        session=session,
        actor=actor,
        action=action,
        entity_type="innovation",
        entity_id=innovation.id,
        competition_id=innovation.competition_id,
        before={"status": before, **(audit_before or {})},
        after={"status": S(target).value, **(audit_after or {})},
        reason=reason,
    )


def move_many(
    *,
    session: Session,
    actor: User | None,
    competition_id: int,
    targets: Mapping[int, str],
    action: str,
    reason: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> dict[int, str]:
    """Move many innovations of one competition at once: ``targets`` maps an innovation id to
    its new status (``values`` are set on every moved innovation too). Every move is checked
    against the table first (any refused move → 409, nothing written); then one ``UPDATE`` per
    target status and **one** audit event carrying every change (``{"statuses": {id: status}}`` before → after): thousands of innovations at
    national scale must not mean thousands of events.

    Innovations already in their target status are left alone. Returns the ids moved with their
    previous status.
    """
    if not targets:
        return {}
    current = dict(
        session.execute(
            select(Innovation.id, Innovation.status)
            .where(
                Innovation.competition_id == competition_id,
                Innovation.id.in_(list(targets)),
            )
            .order_by(Innovation.id)
        ).all()
    )
    before: dict[int, str] = {}
    by_target: dict[str, list[int]] = {}
    for innovation_id, target in sorted(targets.items()):
        status = current.get(innovation_id)
        if status is None:
            raise InvalidTransition(
                Msg(
                    id="Inovasi {innovation} bukan bagian dari lomba {competition}.",
                    en="Innovation {innovation} is not part of competition {competition}.",
                ).format(innovation=innovation_id, competition=competition_id)
            )
        if status == target:
            continue
        require_move(status, target)
        before[innovation_id] = status
        by_target.setdefault(S(target).value, []).append(innovation_id)
    if not before:
        return {}
    now = clock.now()
    for target, ids in by_target.items():
        session.execute(
            update(Innovation)
            .where(Innovation.id.in_(ids))
            .values(**(values or {}), status=target, version=Innovation.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    audit_service.record(
        session=session,
        actor=actor,
        action=action,
        entity_type="innovation",
        entity_id=None,
        competition_id=competition_id,
        before={"statuses": {str(i): s for i, s in before.items()}},
        after={"statuses": {str(i): S(targets[i]).value for i in before}},
        reason=reason,
    )
    return before
