"""Agencies from a file, by ``code`` (any case): ``code,name``.

Rows are ``AgencyIn``, as ``POST /agencies`` takes them; new agencies go in as one executemany
INSERT, the existing codes are loaded in one query (never a SELECT per row).
"""

from __future__ import annotations

from typing import Any, Final, cast

from sqlalchemy import Table as SATable
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.agencies.schemas import AgencyIn
from kipp.i18n import Msg
from kipp.imports import common, parsing
from kipp.models import Agency, User
from kipp.organisations import service as organisations

COLUMNS: Final = ("code", "name")
_AGENCIES = cast(SATable, Agency.__table__)
_HINTS: Final = {
    "code": Msg(
        id="huruf, angka, '.', '_' atau '-', diawali huruf atau angka",
        en="letters, digits, '.', '_' or '-', starting with a letter or digit",
    )
}


def import_agencies(
    *, session: Session, actor: User, body: bytes, fmt: str, dry_run: bool
) -> common.ImportReport:
    """Create or update agencies by code; the code's spelling of an existing agency stays."""
    report = common.ImportReport(kind="agencies", dry_run=dry_run)
    try:
        table = common.read(body, fmt, required=COLUMNS, optional=())
    except parsing.ParseError as exc:
        report.errors = exc.errors
        return report
    checker = common.Rows(hints=_HINTS)
    organisation_id = organisations.of_actor(session, actor)
    existing = {
        a.code.upper(): a
        for a in session.scalars(select(Agency).where(Agency.organisation_id == organisation_id))
    }
    repeated = common.duplicates(
        ((n, v.get("code", "").upper()) for n, v in table.rows),
        column="code",
        describe=lambda key: Msg(id="kode perangkat daerah {key}", en="agency code {key}").format(
            key=key
        ),
    )
    repeated_rows = {e.row for e in repeated}
    creates: list[dict[str, Any]] = []
    updates: list[tuple[Agency, str]] = []
    for number, values in table.rows:
        row = checker.validate(AgencyIn, number, common.given(values, COLUMNS))
        if row is None or number in repeated_rows:
            continue
        agency = existing.get(row.code.upper())
        if agency is None:
            creates.append({"code": row.code, "name": row.name})
        elif agency.name == row.name:
            report.unchanged += 1
        else:
            updates.append((agency, row.name))
    common.finish(report, checker, repeated)
    report.created_keys = [a["code"] for a in creates]
    report.updated_keys = [agency.code for agency, _name in updates]
    if not report.written:
        return report
    for agency, name in updates:
        agency.name = name
    session.flush()
    if creates:
        now = clock.now()
        rows = [
            {**a, "organisation_id": organisation_id, "created_at": now, "updated_at": now}
            for a in creates
        ]
        session.execute(insert(_AGENCIES), rows)  # one prepared INSERT, executemany
    common.audit(session=session, actor=actor, report=report)
    return report
