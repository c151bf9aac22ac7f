"""Replications: another organisation (or another agency of the same one) took a public
innovation up. Recorded by the organising team or an agency admin, shown on the original and on
the replica when it is in KIPP too; the original's team is told."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.afterlife import policy
from kipp.afterlife.schemas import ReplicationIn, ReplicationOut, ReplicationsOut
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.errors import Conflict, NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import access
from kipp.models import Agency, Competition, Innovation, Organisation, Replication, User
from kipp.notify import service as notify_service
from kipp.notify import templates
from kipp.organisations import service as organisations_service


def get_visible(
    *, session: Session, innovation_id: int, user: User | None
) -> tuple[Innovation, Competition]:
    """The innovation and its competition when ``user`` may know it (public, or readable by
    them); 404 otherwise."""
    innovation = access.load(session=session, innovation_id=innovation_id)
    competition = (
        competitions_service.get(session=session, competition_id=innovation.competition_id)
        if innovation is not None
        else None
    )
    policy.enforce_visible(
        innovation is not None
        and competition is not None
        and policy.can_see(
            session=session, innovation=innovation, competition=competition, user=user
        ),
        innovation_id,
    )
    assert innovation is not None and competition is not None
    return innovation, competition


def _visible_ids(session: Session, innovation_ids: set[int], user: User | None) -> set[int]:
    """Which of these innovations ``user`` may know (a replica may be a draft elsewhere)."""
    visible: set[int] = set()
    for innovation_id in innovation_ids:
        innovation = access.load(session=session, innovation_id=innovation_id)
        if innovation is None:
            continue
        competition = competitions_service.get(
            session=session, competition_id=innovation.competition_id, with_stages=False
        )
        if policy.can_see(
            session=session, innovation=innovation, competition=competition, user=user
        ):
            visible.add(innovation_id)
    return visible


def _present(
    session: Session, replications: list[Replication], user: User | None
) -> list[ReplicationOut]:
    innovation_ids = {r.innovation_id for r in replications} | {
        r.replica_innovation_id for r in replications if r.replica_innovation_id is not None
    }
    titles = (
        {
            int(i): str(t)
            for i, t in session.execute(
                select(Innovation.id, Innovation.title).where(Innovation.id.in_(innovation_ids))
            )
        }
        if innovation_ids
        else {}
    )
    organisation_ids = {r.organisation_id for r in replications}
    organisations = (
        {
            int(i): str(n)
            for i, n in session.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_(organisation_ids)
                )
            )
        }
        if organisation_ids
        else {}
    )
    replicas = {r.replica_innovation_id for r in replications if r.replica_innovation_id}
    visible = _visible_ids(session, replicas, user)
    out = []
    for r in replications:
        shown = r.replica_innovation_id if r.replica_innovation_id in visible else None
        out.append(
            ReplicationOut(
                id=r.id,
                innovation_id=r.innovation_id,
                innovation_title=titles.get(r.innovation_id, ""),
                organisation_id=r.organisation_id,
                organisation_name=organisations.get(r.organisation_id, ""),
                adopter=r.adopter,
                name=r.name,
                started_on=r.started_on,
                changes=r.changes,
                replica_innovation_id=shown,
                replica_title=titles.get(shown) if shown is not None else None,
                recorded_by_id=r.recorded_by_id,
                created_at=r.created_at,
                can_delete=user is not None and policy.may_delete_replication(r, user),
            )
        )
    return out


def list_replications(
    *, session: Session, innovation: Innovation, user: User | None
) -> ReplicationsOut:
    """The replications of ``innovation`` (oldest first) and those it is the replica of
    (those of an original the reader may not know are left out)."""
    rows = list(
        session.scalars(
            select(Replication)
            .where(
                or_(
                    Replication.innovation_id == innovation.id,
                    Replication.replica_innovation_id == innovation.id,
                )
            )
            .order_by(Replication.id)
        )
    )
    of_this = [r for r in rows if r.innovation_id == innovation.id]
    sources = [r for r in rows if r.replica_innovation_id == innovation.id]
    known = _visible_ids(session, {r.innovation_id for r in sources}, user)
    sources = [r for r in sources if r.innovation_id in known]
    return ReplicationsOut(
        items=_present(session, of_this, user),
        total=len(of_this),
        replica_of=_present(session, sources, user),
    )


def _snapshot(replication: Replication) -> dict[str, Any]:
    return {
        "innovation_id": replication.innovation_id,
        "organisation_id": replication.organisation_id,
        "replica_innovation_id": replication.replica_innovation_id,
        "adopter": replication.adopter,
        "name": replication.name,
        "started_on": replication.started_on.isoformat() if replication.started_on else None,
        "changes": replication.changes,
    }


def _field_error(field: str, code: str, message: Msg) -> ValidationFailed:
    return ValidationFailed(message, errors=[{"field": field, "code": code, "message": message}])


def record(
    *,
    session: Session,
    actor: User,
    innovation: Innovation,
    competition: Competition,
    replication_in: ReplicationIn,
) -> Replication:
    """Record that the actor's organisation replicated a public innovation."""
    policy.enforce_record_replication(actor)
    if not policy.is_public(innovation, competition):
        raise Conflict(
            Msg(
                id="Hanya inovasi yang sudah publik (lolos administrasi pada lomba yang terbit, "
                "atau pemenang) yang dapat dicatat replikasinya.",
                en="Only a public innovation (eligible in a published competition, or a "
                "winner) can be recorded as replicated.",
            )
        )
    replica: Innovation | None = None
    if replication_in.replica_innovation_id is not None:
        replica_id = replication_in.replica_innovation_id
        if replica_id == innovation.id:
            raise _field_error(
                "replica_innovation_id",
                "same_innovation",
                Msg(
                    id="Inovasi tidak dapat menjadi replikasi dirinya sendiri.",
                    en="An innovation cannot be its own replica.",
                ),
            )
        replica = access.load(session=session, innovation_id=replica_id)
        if replica is None or replica_id not in _visible_ids(session, {replica_id}, actor):
            raise _field_error(
                "replica_innovation_id",
                "not_found",
                Msg(id="Inovasi {id} tidak ada.", en="Innovation {id} does not exist.").format(
                    id=replica_id
                ),
            )
        duplicate = session.scalar(
            select(Replication.id).where(
                Replication.innovation_id == innovation.id,
                Replication.replica_innovation_id == replica_id,
            )
        )
        if duplicate is not None:
            raise Conflict(
                Msg(
                    id="Replikasi ini sudah tercatat.",
                    en="This replication is recorded already.",
                )
            )
    if replication_in.started_on is not None and replication_in.started_on > clock.now().date():
        raise _field_error(
            "started_on",
            "in_future",
            Msg(id="Tanggal mulai belum tiba.", en="The start date has not come yet."),
        )
    name = replication_in.name or (replica.title if replica else None)
    if not name:
        raise _field_error(
            "name",
            "missing",
            Msg(
                id="Sebutkan nama inovasi replikasinya.",
                en="Name the replicating innovation.",
            ),
        )
    organisation_id = organisations_service.of_actor(session, actor)
    adopter = replication_in.adopter or _adopter_of(session, actor, organisation_id)
    replication = Replication(
        innovation_id=innovation.id,
        organisation_id=organisation_id,
        replica_innovation_id=replica.id if replica else None,
        adopter=adopter,
        name=name,
        started_on=replication_in.started_on,
        changes=replication_in.changes,
        recorded_by_id=actor.id,
    )
    session.add(replication)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="replication.create",
        entity_type="replication",
        entity_id=replication.id,
        competition_id=competition.id,
        after=_snapshot(replication),
    )
    notify_service.send(
        session,
        letter=templates.innovation_replicated(
            innovation_id=innovation.id, title=innovation.title, adopter=adopter, name=name
        ),
        recipients=policy.participants(session=session, innovation=innovation),
    )
    return replication


def _adopter_of(session: Session, actor: User, organisation_id: int) -> str:
    if actor.agency_id is not None:
        agency = session.get(Agency, actor.agency_id)
        if agency is not None:
            return agency.name
    organisation = session.get(Organisation, organisation_id)
    return organisation.name if organisation else ""


def present_one(*, session: Session, replication: Replication, user: User) -> ReplicationOut:
    [out] = _present(session, [replication], user)
    return out


def get_replication(
    *, session: Session, innovation: Innovation, replication_id: int
) -> Replication:
    """One replication of this innovation (404 when it is another's)."""
    replication = session.get(Replication, replication_id)
    if replication is None or replication.innovation_id != innovation.id:
        raise NotFound(
            Msg(id="Replikasi {id} tidak ada.", en="Replication {id} does not exist.").format(
                id=replication_id
            )
        )
    return replication


def delete(
    *, session: Session, actor: User, competition: Competition, replication: Replication
) -> None:
    """Remove a replication: whoever recorded it, or the organising team."""
    policy.enforce_delete_replication(replication, actor)
    audit_service.record(
        session=session,
        actor=actor,
        action="replication.delete",
        entity_type="replication",
        entity_id=replication.id,
        competition_id=competition.id,
        before=_snapshot(replication),
    )
    session.delete(replication)
    session.flush()
