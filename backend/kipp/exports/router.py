"""Download a competition's data as CSV or XLSX."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import Forbidden, NotFound, Unauthorized, responses_for, wants_english
from kipp.exports.service import EXPORTS
from kipp.exports.tabular import XLSX_MEDIA_TYPE, csv_response, xlsx_response
from kipp.ranking.schemas import Method
from kipp.schemas import IdPath

router = api_router(tags=["exports"])

FORMATS = ("csv", "xlsx")


@router.get(
    "/competitions/{competition_id}/exports/{name}.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The export as a file download",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **responses_for(Unauthorized, Forbidden, NotFound),
    },
)
def export_competition_table(
    competition_id: IdPath,
    name: str,
    fmt: str,
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    method: Annotated[
        Method | None,
        Query(description="`ranking`: default the saved decision's method, else the competition's"),
    ] = None,
) -> Response:
    """A competition's `innovations` (and, as they exist, `scores`, `ranking`) as `csv`
    (UTF-8 with BOM, opens right in Excel) or `xlsx`, streamed. Unknown names and formats
    are 404. The ranking starts with a plain explanation of its method."""
    build = EXPORTS.get(name)
    if build is None:
        raise NotFound(f"No export named {name!r}; there are {', '.join(sorted(EXPORTS))}.")
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; use csv or xlsx.")
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    table = build(
        session=session,
        competition=competition,
        method=method,
        language="en" if wants_english(request) else "id",
    )
    filename = f"kipp-{competition.year}-{competition.id}-{name}.{fmt}"
    # The CSV's rows are read from the database while the response streams, through the
    # request's own session: FastAPI closes a request-scoped dependency with yield (the
    # session's commit/close) only after the response is sent. A read-only GET commits
    # nothing, and the cursor is server-side on PostgreSQL. The XLSX is written (streamed
    # into a spooled file) before the route returns.
    if fmt == "csv":
        return csv_response(filename=filename, table=table)
    return xlsx_response(filename=filename, sheet=name, table=table)
