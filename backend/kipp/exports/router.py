"""Download a competition's data as CSV or XLSX."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from kipp.competitions import service as competitions_service
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import Forbidden, NotFound, Unauthorized, responses_for
from kipp.exports.service import EXPORTS
from kipp.exports.tabular import XLSX_MEDIA_TYPE, csv_response, xlsx_response
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
    session: SessionDep,
    admin: AdminUser,
) -> Response:
    """A competition's `innovations` (and, as they exist, `scores`, `ranking`) as `csv`
    (UTF-8 with BOM, opens right in Excel) or `xlsx`, in any letter case. Unknown names and
    formats are 404."""
    name, fmt = name.lower(), fmt.lower()
    build = EXPORTS.get(name)
    if build is None:
        raise NotFound(f"No export named {name!r}; there are {', '.join(sorted(EXPORTS))}.")
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; use csv or xlsx.")
    competition = competitions_service.get(
        session=session, competition_id=competition_id, with_stages=False
    )
    header, rows = build(session=session, competition=competition)
    filename = f"kipp-{competition.year}-{competition.id}-{name}.{fmt}"
    if fmt == "csv":
        return csv_response(filename=filename, header=header, rows=rows)
    return xlsx_response(filename=filename, sheet=name, header=header, rows=rows)
