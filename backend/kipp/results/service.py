"""The announcement: public results, the objection period (uji publik), finalising.

Nothing leaks early: before the announcement stage the results do not exist (404) for anyone.
The objection period runs from ``announced_at`` for ``objection_days`` days; after it an admin
finalises, and the TOP N become winners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.errors import Conflict, NotFound, TooManyRequests, ValidationFailed, WindowClosed
from kipp.i18n import Lang, Msg
from kipp.innovations import lifecycle
from kipp.models import (
    Agency,
    Competition,
    Innovation,
    InnovationStatus,
    Nomination,
    Objection,
    User,
)
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.notify.letters import Recipient
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.results import nomination as nomination_service
from kipp.results.schemas import ObjectionPeriodOut, ResultLine, ResultsOut

OBJECTIONS_PER_WINDOW = 5
OBJECTION_RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class ObjectionPeriod:
    starts_at: datetime
    ends_at: datetime

    def open(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def objection_period(competition: Competition) -> ObjectionPeriod:
    """From the announcement for ``objection_days`` days (the announcement window's start
    stands in when ``announced_at`` was never recorded)."""
    starts_at = (
        competition.announced_at
        or competitions_service.stage_window(competition, "announcement").starts_at
    )
    return ObjectionPeriod(
        starts_at=starts_at, ends_at=starts_at + timedelta(days=competition.objection_days)
    )


def announced_competition(*, session: Session, competition_id: int) -> Competition:
    """A published competition in the announcement stage, or 404 (no results exist yet)."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    if not competition.published or competition.current_stage != "announcement":
        raise NotFound(
            Msg(
                id="Lomba {id} belum mengumumkan hasil.",
                en="Competition {id} has no announced results.",
            ).format(id=competition_id)
        )
    return competition


def _announced_nomination(*, session: Session, competition: Competition) -> Nomination:
    nomination = nomination_service.get_nomination(session=session, competition=competition)
    if nomination is None:  # the stage machine refuses this, but never show an empty result
        raise NotFound(
            Msg(
                id="Lomba {id} belum mengumumkan hasil.",
                en="Competition {id} has no announced results.",
            ).format(id=competition.id)
        )
    return nomination


def _listing(session: Session, ids: list[int]) -> list[ResultLine]:
    rows = {
        i: (t, a)
        for i, t, a in session.execute(
            select(Innovation.id, Innovation.title, Agency.code)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(Innovation.id.in_(ids))
        )
    }
    return [
        ResultLine(
            rank=place,
            innovation_id=innovation_id,
            title=rows[innovation_id][0],
            agency_code=rows[innovation_id][1],
        )
        for place, innovation_id in enumerate(ids, start=1)
        if innovation_id in rows
    ]


def results(*, session: Session, competition: Competition) -> ResultsOut:
    """The announced TOP N and honourable mentions, the objection period, the manifest hash."""
    nomination = _announced_nomination(session=session, competition=competition)
    period = objection_period(competition)
    return ResultsOut(
        competition_id=competition.id,
        final=competition.finalised_at is not None,
        announced_at=period.starts_at,
        finalised_at=competition.finalised_at,
        objection_period=ObjectionPeriodOut(
            starts_at=period.starts_at,
            ends_at=period.ends_at,
            open=competition.finalised_at is None and period.open(clock.now()),
        ),
        top=_listing(session, list(nomination.innovation_ids)),
        honourable_mentions=_listing(session, list(nomination.honourable_mention_ids)),
        manifest_sha256=nomination.manifest_sha256,
    )


def file_objection(
    *,
    session: Session,
    competition: Competition,
    innovation_id: int,
    name: str,
    email: str,
    text: str,
    client_address: str,
    lang: Lang = "id",
) -> Objection:
    """A public objection, while the period is open; at most 5 an hour per client address.
    The organising team is told; the answer will reach the objector in ``lang``."""
    now = clock.now()
    period = objection_period(competition)
    if competition.finalised_at is not None or not period.open(now):
        raise WindowClosed(
            Msg(id="Masa sanggah tidak sedang dibuka.", en="The objection period is not open.")
        )
    since = now - OBJECTION_RATE_WINDOW
    recent = session.execute(
        select(func.count(), func.min(Objection.created_at)).where(
            Objection.client_address == client_address, Objection.created_at > since
        )
    ).one()
    if recent[0] >= OBJECTIONS_PER_WINDOW:
        retry_after = max(1, int((recent[1] + OBJECTION_RATE_WINDOW - now).total_seconds()) + 1)
        raise TooManyRequests(
            Msg(
                id="Paling banyak {n} sanggahan per jam dari satu alamat.",
                en="At most {n} objections an hour from one address.",
            ).format(n=OBJECTIONS_PER_WINDOW),
            headers={"Retry-After": str(retry_after)},
        )
    nomination = _announced_nomination(session=session, competition=competition)
    announced = set(nomination.innovation_ids) | set(nomination.honourable_mention_ids)
    innovation = session.get(Innovation, innovation_id)
    if (
        innovation is None
        or innovation.competition_id != competition.id
        or (innovation.id not in announced and innovation.status not in JUDGED_STATUSES)
    ):
        raise ValidationFailed(
            Msg(
                id="Sanggahan harus mengenai inovasi dalam hasil lomba ini.",
                en="The objection must concern an innovation of this competition's results.",
            ),
            errors=[
                {
                    "field": "innovation_id",
                    "code": "not_eligible",
                    "message": Msg(
                        id="Bukan inovasi yang memenuhi syarat dalam lomba ini.",
                        en="Not an eligible innovation of this competition.",
                    ),
                }
            ],
        )
    objection = Objection(
        competition_id=competition.id,
        innovation_id=innovation.id,
        name=name,
        email=email,
        text=text,
        client_address=client_address,
        created_at=now,
        lang=lang,
    )
    session.add(objection)
    session.flush()
    audit_service.record(
        session=session,
        actor=None,
        action="objection.file",
        entity_type="objection",
        entity_id=objection.id,
        competition_id=competition.id,
        after={"innovation_id": innovation.id, "name": name},
    )
    notify_service.send(
        session,
        letter=templates.objection_received(
            competition_id=competition.id,
            competition_name=competition.name,
            innovation_title=innovation.title,
            objector=name,
        ),
        recipients=audiences.admins(session=session, organisation_id=competition.organisation_id),
    )
    return objection


def get_objection(*, session: Session, competition: Competition, objection_id: int) -> Objection:
    objection = session.get(Objection, objection_id)
    if objection is None or objection.competition_id != competition.id:
        raise NotFound(f"Objection {objection_id} does not exist.")
    return objection


def answer_objection(
    *, session: Session, actor: User, competition: Competition, objection: Objection, answer: str
) -> Objection:
    """The organising team's answer, sent to the objector's address in their language;
    an answer may be corrected (the objector is told again). Audited."""
    before = {"answer": objection.answer}
    objection.answer = answer
    objection.answered_at = clock.now()
    objection.answered_by_id = actor.id
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="objection.answer",
        entity_type="objection",
        entity_id=objection.id,
        competition_id=competition.id,
        before=before,
        after={"answer": answer},
    )
    if objection.email:
        innovation = session.get(Innovation, objection.innovation_id)
        notify_service.send(
            session,
            letter=templates.objection_answered(
                competition_id=competition.id,
                competition_name=competition.name,
                innovation_title=innovation.title if innovation else "",
                answer=answer,
            ),
            recipients=[
                Recipient(
                    email=objection.email,
                    name=objection.name,
                    lang="en" if objection.lang == "en" else "id",
                )
            ],
        )
    return objection


def list_objections(
    *, session: Session, competition: Competition, limit: int, offset: int
) -> tuple[list[Objection], int]:
    query = select(Objection).where(Objection.competition_id == competition.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    objections = session.scalars(
        query.order_by(Objection.created_at, Objection.id).limit(limit).offset(offset)
    ).all()
    return list(objections), total


def finalise(*, session: Session, actor: User, competition: Competition) -> Competition:
    """After the objection period: the result is final and the TOP N are winners."""
    if competition.current_stage != "announcement":
        raise Conflict(
            Msg(
                id="Hasil ditetapkan pada tahapan Pengumuman.",
                en="Results are finalised in the announcement stage.",
            )
        )
    if competition.finalised_at is not None:
        raise Conflict(Msg(id="Hasil sudah ditetapkan.", en="The results are already final."))
    nomination = _announced_nomination(session=session, competition=competition)
    now = clock.now()
    period = objection_period(competition)
    if now < period.ends_at:
        raise Conflict(
            Msg(
                id="Masa sanggah berlangsung sampai {at}.",
                en="The objection period runs until {at}.",
            ).format(at=period.ends_at.isoformat())
        )

    competition.finalised_at = now
    competition.version += 1
    winners = session.scalars(
        select(Innovation)
        .where(Innovation.id.in_(list(nomination.innovation_ids)))
        .order_by(Innovation.id)
    ).all()
    for innovation in winners:
        lifecycle.move(
            session=session,
            actor=actor,
            innovation=innovation,
            target=InnovationStatus.WINNER,
            action="innovation.win",
        )
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="competition.finalise",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        before={"finalised_at": None},
        after={"finalised_at": now.isoformat(), "winners": list(nomination.innovation_ids)},
    )
    return competition
