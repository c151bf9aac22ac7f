"""Download a competition's data as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from kipp.competitions import service as competitions_service
from kipp.db import get_session_factory
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import Forbidden, NotFound, Unauthorized, responses_for, wants_english
from kipp.exports.service import EXPORTS, Export
from kipp.exports.tabular import XLSX_MEDIA_TYPE, csv_chunks, csv_download, xlsx_response
from kipp.i18n import Lang, Msg
from kipp.ranking.schemas import Method
from kipp.schemas import IdPath

router = api_router(tags=["exports"])

FORMATS = ("csv", "xlsx")
# A file in any case: `ranking.XLSX` is `ranking.xlsx` (file names and extensions are typed
# by hand and Windows shows them in capitals). The spec lists the canonical lower case; any
# other name or format is 404, as a missing file.
ExportName = Annotated[
    str,
    Path(
        description="The table, in any letter case",
        json_schema_extra={"enum": sorted(EXPORTS)},
    ),
]
ExportFormat = Annotated[
    str,
    Path(
        description="The file format, in any letter case", json_schema_extra={"enum": list(FORMATS)}
    ),
]
# Both are files to save, not text to show: a generated client returns their bytes.
_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/competitions/{competition_id}/exports/{name}.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The export as a file download",
            "content": {
                "text/csv": _FILE,
                XLSX_MEDIA_TYPE: _FILE,
            },
        },
        **responses_for(Unauthorized, Forbidden, NotFound),
    },
)
def export_competition_table(
    competition_id: IdPath,
    name: ExportName,
    fmt: ExportFormat,
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    sessions: Annotated[Callable[[], Session], Depends(get_session_factory)],
    method: Annotated[
        Method | None,
        Query(description="`ranking`: default the saved decision's method, else the competition's"),
    ] = None,
) -> Response:
    """A competition's `innovations` (and, as they exist, `scores`, `ranking`) as `csv`
    (UTF-8 with BOM, opens right in Excel) or `xlsx`, in any letter case, streamed. Unknown
    names and formats are 404. The ranking starts with a plain explanation of its method."""
    name, fmt = name.lower(), fmt.lower()
    build = EXPORTS.get(name)
    if build is None:
        raise NotFound(
            Msg(
                id="Tidak ada ekspor bernama {name!r}; yang tersedia: {names}.",
                en="No export named {name!r}; there are {names}.",
            ).format(name=name, names=", ".join(sorted(EXPORTS)))
        )
    if fmt not in FORMATS:
        raise NotFound(
            Msg(
                id="Tidak ada format ekspor {fmt!r}; gunakan csv atau xlsx.",
                en="No export format {fmt!r}; use csv or xlsx.",
            ).format(fmt=fmt)
        )

    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    language: Lang = "en" if wants_english(request) else "id"
    filename = f"kipp-{competition.year}-{competition.id}-{name}.{fmt}"
    if fmt == "xlsx":  # written whole (into a spooled file) before the route returns
        table = build(session=session, competition=competition, method=method, language=language)
        return xlsx_response(filename=filename, sheet=name, table=table)
    # The CSV's rows are read while the response streams, after the request's session has
    # closed (it is scoped to the route function): through a session of its own, opened when
    # the first bytes are asked for and closed when the stream ends or the client goes away.
    # The cursor is server-side on PostgreSQL.
    chunks = _csv_later(
        sessions, build, competition_id=competition.id, method=method, language=language
    )
    return csv_download(filename=filename, chunks=chunks)


def _csv_later(
    sessions: Callable[[], Session],
    build: Export,
    *,
    competition_id: int,
    method: Method | None,
    language: Lang,
) -> Iterator[bytes]:
    with sessions() as own:
        competition = competitions_service.get(
            session=own, competition_id=competition_id, with_stages=False
        )
        yield from csv_chunks(
            build(session=own, competition=competition, method=method, language=language)
        )
