from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from kipp.audit import service
from kipp.audit.schemas import (
    AnchorCheckOut,
    AuditEventOut,
    AuditVerification,
    ChainBreakOut,
    ChainHeadOut,
)
from kipp.deps import AdminUser, SessionDep, api_router
from kipp.errors import Forbidden, Unauthorized, ValidationFailed, responses_for
from kipp.schemas import IdQuery, Page, Paging, paging

router = api_router(
    prefix="/audit", tags=["audit"], responses=responses_for(Unauthorized, Forbidden)
)


@router.get("", response_model=Page[AuditEventOut])
def list_audit_events(
    session: SessionDep,
    _admin: AdminUser,
    page: Annotated[Paging, Depends(paging)],
    competition_id: IdQuery = None,
    entity_type: str | None = None,
    entity_id: IdQuery = None,
    action: str | None = None,
    actor_id: IdQuery = None,
) -> Page[AuditEventOut]:
    """The audit log, newest first."""
    events, total = service.list_events(
        session=session,
        competition_id=competition_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor_id=actor_id,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[AuditEventOut.model_validate(e) for e in events], total=total)


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
