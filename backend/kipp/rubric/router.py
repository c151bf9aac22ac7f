"""Rubric endpoints: read and replace a competition's criteria."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, CurrentUser, SessionDep, api_router
from kipp.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, responses_for
from kipp.models import Criterion
from kipp.rubric import policy, service
from kipp.rubric.schemas import CriterionIn, CriterionOut, RubricOut
from kipp.schemas import IdPath

router = api_router(tags=["judging"], responses=responses_for(Unauthorized, Forbidden))

_READ_ERRORS = responses_for(NotFound)
_WRITE_ERRORS = responses_for(NotFound, ValidationFailed, Conflict)


def _rubric(*, session: SessionDep, competition_id: int, criteria: list[Criterion]) -> RubricOut:
    return RubricOut(
        items=[CriterionOut.model_validate(c) for c in criteria],
        total=len(criteria),
        locked=service.rubric_locked(session=session, competition_id=competition_id),
    )


@router.get(
    "/competitions/{competition_id}/criteria", response_model=RubricOut, responses=_READ_ERRORS
)
def read_competition_criteria(
    competition_id: IdPath, session: SessionDep, user: CurrentUser
) -> RubricOut:
    """The rubric (admins, and the judges on the panel)."""
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    policy.ensure_can_read(session=session, competition=competition, user=user)
    criteria = service.list_criteria(session=session, competition_id=competition.id)
    return _rubric(session=session, competition_id=competition.id, criteria=criteria)


@router.put(
    "/competitions/{competition_id}/criteria", response_model=RubricOut, responses=_WRITE_ERRORS
)
def replace_competition_criteria(
    competition_id: IdPath,
    body: Annotated[list[CriterionIn], Body()],
    session: SessionDep,
    admin: AdminUser,
) -> RubricOut:
    """Replace the whole rubric: unique keys, weights totalling 100, integer scales `min < max`.

    Refused (409) once any scoresheet exists.
    """
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    criteria = service.replace_criteria(
        session=session,
        actor=admin,
        competition=competition,
        criteria=[c.model_dump() for c in body],
    )
    return _rubric(session=session, competition_id=competition.id, criteria=criteria)
