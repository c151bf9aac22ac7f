from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime
from sqlalchemy.orm import Session

from kipp.audit import readable, service
from kipp.audit.readable import ReadableEvent
from kipp.audit.schemas import (
    AnchorCheckOut,
    AuditEventOut,
    AuditVerification,
    ChainBreakOut,
    ChainHeadOut,
    ChangeOut,
)
from kipp.db import get_session_factory
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import (
    Forbidden,
    Unauthorized,
    ValidationFailed,
    request_language,
    responses_for,
)
from kipp.i18n import Lang, Msg, text_in
from kipp.policy import is_platform_admin
from kipp.schemas import IdQuery, Page, Paging, paging

router = api_router(
    prefix="/audit", tags=["audit"], responses=responses_for(Unauthorized, Forbidden)
)


def audit_filter(
    admin: AdminUser,
    competition_id: IdQuery = None,
    entity_type: Annotated[
        str | None,
        Query(max_length=40, description="The object's kind: `competition`, `innovation`, …"),
    ] = None,
    entity_id: IdQuery = None,
    action: Annotated[
        str | None, Query(max_length=60, description="e.g. `competition.advance`")
    ] = None,
    actor_id: IdQuery = None,
    since: Annotated[
        AwareDatetime | None,
        Query(alias="from", description="Events at or after this moment (with an offset)"),
    ] = None,
    until: Annotated[
        AwareDatetime | None,
        Query(alias="to", description="Events before this moment (with an offset)"),
    ] = None,
) -> service.AuditFilter:
    bounds: dict[str, datetime] = {}
    for name, moment in (("from", since), ("to", until)):
        if moment is None:
            continue
        try:  # stored times are UTC: a moment with no UTC equivalent matches nothing sensible
            bounds[name] = moment.astimezone(UTC)
        except OverflowError:
            raise ValidationFailed(
                Msg(id="Waktu di luar jangkauan.", en="The time is out of range."),
                errors=[{"field": name, "message": Msg(id="di luar jangkauan", en="out of range")}],
            ) from None
    since, until = bounds.get("from"), bounds.get("to")
    if since is not None and until is not None and until <= since:
        raise ValidationFailed(
            Msg(id="Rentang waktu kosong.", en="The time range is empty."),
            errors=[
                {"field": "to", "message": Msg(id="harus setelah from", en="must be after from")}
            ],
        )
    return service.AuditFilter(
        # An organiser reads its organisation's log; the platform admin the whole one.
        organisation_id=None if is_platform_admin(admin) else admin.organisation_id,
        competition_id=competition_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
    )


AuditFilterDep = Annotated[service.AuditFilter, Depends(audit_filter)]


def _event_out(row: ReadableEvent, lang: Lang) -> AuditEventOut:
    event = row.event
    return AuditEventOut(
        id=event.id,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_email=event.actor_email,
        actor_name=row.actor_name,
        competition_id=event.competition_id,
        competition_label=row.competition_label,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        object_label=text_in(row.object_label, lang),
        sentence=text_in(row.sentence, lang),
        changes=[
            ChangeOut(
                field=c.field,
                label=text_in(c.label, lang),
                before=text_in(c.before, lang) if c.before is not None else None,
                after=text_in(c.after, lang) if c.after is not None else None,
            )
            for c in row.changes
        ],
        reason=event.reason,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


@router.get("", response_model=Page[AuditEventOut], responses=responses_for(ValidationFailed))
def list_audit_events(
    session: SessionDep,
    _admin: AdminUser,
    request: Request,
    page: Annotated[Paging, Depends(paging)],
    where: AuditFilterDep,
) -> Page[AuditEventOut]:
    """The audit log, newest first: each event as a sentence in the request's language, with
    names instead of ids and only the fields that changed. Filters: actor, object (type and
    id), action, competition, `from`/`to`; paginated (`limit`, `offset`, `total`)."""
    events, total = service.list_events(
        session=session, where=where, limit=page.limit, offset=page.offset
    )
    lang = request_language(request)
    rows = readable.describe(session=session, events=events)
    return Page(items=[_event_out(row, lang) for row in rows], total=total)


@router.get(
    ".csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **responses_for(ValidationFailed),
    },
)
def export_audit_events(
    _admin: AdminUser,
    request: Request,
    where: AuditFilterDep,
    sessions: Annotated[Callable[[], Session], Depends(get_session_factory)],
) -> StreamingResponse:
    """The same events (same filters) as CSV, streamed: time (UTC), actor, action, object,
    sentence, changes, reason, id; UTF-8 with BOM, in the request's language."""
    chunks = readable.csv_stream(open_session=sessions, where=where, lang=request_language(request))
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="kipp-audit.csv"'},
    )


@router.get(
    "/verify",
    response_model=AuditVerification,
    responses=responses_for(ValidationFailed),
)
def verify_audit_chain(
    session: SessionDep,
    _admin: AdminUser,
    anchor: Annotated[
        str | None,
        Query(
            pattern="^[0-9a-fA-F]{64}$",
            description="A head hash written down earlier: not ok unless it is still in the chain",
        ),
    ] = None,
) -> AuditVerification:
    """Check the hash chain: every altered or removed event is reported, and the head is given
    so it can be written down; an earlier head as ``anchor`` also catches removed newest events."""
    report = service.verify_chain(session=session, anchor=anchor)
    return AuditVerification(
        ok=report.ok,
        checked=report.checked,
        breaks=[ChainBreakOut(event_id=b.event_id, problem=b.problem) for b in report.breaks],
        head=ChainHeadOut.model_validate(report.head),
        anchor=AnchorCheckOut.model_validate(report.anchor) if report.anchor else None,
    )
