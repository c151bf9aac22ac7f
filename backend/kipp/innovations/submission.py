"""Submission: is a draft ready, submit it, withdraw it.

Both moves go through :mod:`kipp.innovations.lifecycle`, the one status machine; this module
adds what only the proposing side checks: the submission window and the readiness rules.
"""

from __future__ import annotations

from datetime import date
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kipp import clock
from kipp.competitions import service as competitions_service
from kipp.errors import InvalidTransition, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import access, lifecycle, readiness
from kipp.innovations.attachments import attachments_count
from kipp.innovations.drafts import require_draft
from kipp.models import Agency, Competition, Innovation, InnovationStatus, User
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service

DRAFT: Final = InnovationStatus.DRAFT.value
SUBMITTED: Final = InnovationStatus.SUBMITTED.value
WITHDRAWN: Final = InnovationStatus.WITHDRAWN.value


def local_today(competition: Competition) -> date:
    """Today where the competition runs."""
    return clock.now().astimezone(ZoneInfo(competition.timezone)).date()


def readiness_problems(
    *, session: Session, innovation: Innovation, competition: Competition | None = None
) -> list[readiness.Problem]:
    """What the administrative stage would find missing in this proposal today."""
    competition = competition or competitions_service.get(
        session=session, competition_id=innovation.competition_id, with_stages=False
    )
    return readiness.check(
        template=competition.proposal_template,
        group=innovation.group,
        title=innovation.title,
        sections=innovation.sections or {},
        started_on=innovation.started_on,
        attachments_count=attachments_count(session=session, innovation_id=innovation.id),
        today=local_today(competition),
    )


def submit(*, session: Session, actor: User, innovation: Innovation) -> Innovation:
    """draft → submitted within the submission window; 422 with the problems when not ready."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    require_draft(innovation, Msg(id="diajukan", en="submitted"))

    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    problems = readiness_problems(session=session, innovation=innovation, competition=competition)
    if problems:
        raise ValidationFailed(
            Msg(id="Usulan belum siap diajukan.", en="The proposal is not ready to submit."),
            errors=[p.as_error() for p in problems],
        )
    lifecycle.move(
        session=session,
        actor=actor,
        innovation=innovation,
        target=SUBMITTED,
        action="innovation.submit",
        values={"submitted_at": clock.now()},
    )
    agency = session.get(Agency, innovation.agency_id)
    notify_service.send(
        session,
        letter=templates.proposal_submitted(
            innovation_id=innovation.id,
            title=innovation.title,
            competition_name=competition.name,
            agency_name=agency.name if agency else "",
        ),
        recipients=audiences.participants(session=session, innovation_ids=[innovation.id]),
    )
    return access.reload(session=session, innovation=innovation)


def withdraw(*, session: Session, actor: User, innovation: Innovation) -> Innovation:
    """draft | submitted → withdrawn, within the submission window."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    if innovation.status not in (DRAFT, SUBMITTED):
        raise InvalidTransition(
            Msg(
                id="Hanya usulan draf atau yang sudah diajukan yang dapat ditarik; usulan ini "
                "berstatus {status}.",
                en="Only a draft or a submitted proposal may be withdrawn; this one is {status}.",
            ).format(status=innovation.status)
        )

    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    lifecycle.move(
        session=session,
        actor=actor,
        innovation=innovation,
        target=WITHDRAWN,
        action="innovation.withdraw",
    )
    return access.reload(session=session, innovation=innovation)
