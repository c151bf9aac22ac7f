"""The ranking endpoint: the computed ranking of a competition's final scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from kipp.competitions import service as competitions_service
from kipp.deps import CurrentUser, SessionDep, api_router
from kipp.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
    responses_for,
    wants_english,
)
from kipp.ranking import policy
from kipp.ranking import service as ranking_service
from kipp.ranking.schemas import Method, RankingOut
from kipp.schemas import IdPath

# Same prefix and tag as the results routes: one section of the API document.
router = api_router(prefix="/competitions/{competition_id}", tags=["results"])


@router.get(
    "/ranking",
    response_model=RankingOut,
    responses=responses_for(Unauthorized, Forbidden, NotFound, Conflict, ValidationFailed),
)
def get_competition_ranking(
    competition_id: IdPath,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    method: Annotated[
        Method | None, Query(description="Default: the competition's aggregation method")
    ] = None,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = ranking_service.DEFAULT_SEED,
    samples: Annotated[
        int, Query(ge=ranking_service.MIN_SAMPLES, le=ranking_service.MAX_SAMPLES)
    ] = ranking_service.DEFAULT_SAMPLES,
) -> RankingOut:
    """The computed ranking: scores by method, ties, judge leniency and agreement, p_top,
    and a plain explanation (Indonesian; English when Accept-Language prefers it).

    Admins always; panel judges from the nomination stage on."""
    competition = competitions_service.get(session=session, competition_id=competition_id)
    policy.ensure_can_read(session=session, competition=competition, user=user)
    return ranking_service.competition_ranking(
        session=session,
        competition=competition,
        method=method,
        seed=seed,
        bootstrap_samples=samples,
        language="en" if wants_english(request) else "id",  # the explanation's, as errors
    )
