"""The presentation schedule: read, replace, auto-fill; calendars of it and of one slot."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from kipp.competitions import service as competitions_service
from kipp.deps import PUBLIC, AdminUser, OptionalUser, SessionDep, api_router
from kipp.errors import (
    Forbidden,
    NotFound,
    StaleVersion,
    Unauthorized,
    ValidationFailed,
    responses_for,
)
from kipp.schedule import ics, policy, service
from kipp.schedule.schemas import FillIn, ScheduleIn, ScheduleOut
from kipp.schemas import IdPath

router = api_router(prefix="/competitions/{competition_id}", tags=["schedule"])
_WRITE_ERRORS = responses_for(Unauthorized, Forbidden, NotFound, ValidationFailed, StaleVersion)
_CALENDAR: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}
}
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type=CALENDAR_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/schedule",
    response_model=ScheduleOut,
    responses=responses_for(NotFound),
    openapi_extra=PUBLIC,
)
def read_competition_schedule(
    competition_id: IdPath, session: SessionDep, user: OptionalUser
) -> ScheduleOut:
    """The presentation schedule in the day's order, times in the competition's time zone.

    The admin sees the draft; everyone else only the published schedule of a published
    competition (404 before). Online links: the admin, the panel, and a slot's own team."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return service.read(session=session, competition=competition, user=user)


@router.put("/schedule", response_model=ScheduleOut, responses=_WRITE_ERRORS)
def replace_competition_schedule(
    competition_id: IdPath, body: ScheduleIn, session: SessionDep, admin: AdminUser
) -> ScheduleOut:
    """Replace the whole schedule (send every slot; `version` as read) and publish or withdraw
    it. Only innovations that passed the administrative review, each at most once; slots in the
    same place must not overlap. A published slot that is new or moved is announced to its
    team and its judges, with the slot's .ics."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return service.replace(session=session, actor=admin, competition=competition, schedule_in=body)


@router.post(
    "/schedule/fill",
    response_model=ScheduleOut,
    responses=responses_for(Unauthorized, Forbidden, NotFound, ValidationFailed),
)
def propose_competition_schedule(
    competition_id: IdPath, body: FillIn, session: SessionDep, admin: AdminUser
) -> ScheduleOut:
    """Lay every eligible innovation out automatically (days, hours, slot length, breaks, order)
    and return the proposal: nothing is saved until it is sent back with PUT."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    return service.propose(session=session, competition=competition, fill_in=body)


@router.get(
    "/schedule.ics",
    response_class=Response,
    responses={**_CALENDAR, **responses_for(NotFound)},
    openapi_extra=PUBLIC,
)
def download_competition_schedule_calendar(
    competition_id: IdPath, session: SessionDep, user: OptionalUser
) -> Response:
    """The schedule as an iCalendar file (text/calendar), one event per presentation; seen by
    whoever may see the schedule."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    row = service.schedule_row(session=session, competition_id=competition.id)
    policy.ensure_visible(competition=competition, schedule=row, user=user)
    reader = policy.reader(session=session, competition=competition, user=user)
    text = ics.schedule_calendar(
        competition=competition,
        slots=service.slots_of(session=session, competition_id=competition.id),
        known=service.entries(session=session, competition_id=competition.id),
        with_link=reader.all_links,
    )
    return _calendar_response(text, f"jadwal-kompetisi-{competition.id}.ics")


@router.get(
    "/schedule/slots/{slot_id}.ics",
    response_class=Response,
    responses={**_CALENDAR, **responses_for(NotFound)},
    openapi_extra=PUBLIC,
)
def download_schedule_slot_calendar(
    competition_id: IdPath, slot_id: IdPath, session: SessionDep, user: OptionalUser
) -> Response:
    """One slot as an iCalendar file, for whoever may see the schedule."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    row = service.schedule_row(session=session, competition_id=competition.id)
    policy.ensure_visible(competition=competition, schedule=row, user=user)
    slot = service.get_slot(session=session, competition_id=competition.id, slot_id=slot_id)
    reader = policy.reader(session=session, competition=competition, user=user)
    text = ics.slot_calendar(
        competition=competition,
        slot=slot,
        known=service.entries(session=session, competition_id=competition.id),
        with_link=reader.all_links or slot.innovation_id in reader.own,
    )
    return _calendar_response(text, f"presentasi-{slot.id}.ics")
