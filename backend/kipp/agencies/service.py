"""Agencies (perangkat daerah)."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.errors import Conflict, NotFound
from kipp.i18n import Msg
from kipp.models import Agency, Innovation, User
from kipp.organisations import service as organisations


def snapshot(agency: Agency) -> dict[str, object]:
    return {"code": agency.code, "name": agency.name}


def get(*, session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(
            Msg(id="Perangkat daerah {id} tidak ada.", en="Agency {id} does not exist.").format(
                id=agency_id
            )
        )
    return agency


def get_by_code(*, session: Session, code: str, organisation_id: int) -> Agency | None:
    """The agency with ``code`` (any case) in the organisation: codes are unique per organisation."""
    return session.scalar(
        select(Agency).where(
            Agency.organisation_id == organisation_id, func.upper(Agency.code) == code.upper()
        )
    )


def list_agencies(
    *, session: Session, organisation_id: int | None, limit: int, offset: int
) -> tuple[list[Agency], int]:
    """Agencies by code: of one organisation, or (``None``) of every one."""
    query = select(Agency)
    if organisation_id is not None:
        query = query.where(Agency.organisation_id == organisation_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    agencies = session.scalars(query.order_by(Agency.code, Agency.id).limit(limit).offset(offset))
    return list(agencies), total


def _ensure_code_free(
    *, session: Session, code: str, organisation_id: int, except_id: int | None = None
) -> None:
    existing = get_by_code(session=session, code=code, organisation_id=organisation_id)
    if existing is not None and existing.id != except_id:
        raise Conflict(
            Msg(
                id="Kode perangkat daerah {code!r} sudah dipakai.",
                en="Agency code {code!r} is already used.",
            ).format(code=code),
            errors=[
                {
                    "field": "code",
                    "code": "already_used",
                    "message": Msg(
                        id="Sudah dipakai perangkat daerah lain.",
                        en="Already used by another agency.",
                    ),
                }
            ],
        )


def create(
    *,
    session: Session,
    actor: User | None,
    code: str,
    name: str,
    organisation_id: int | None = None,
) -> Agency:
    """A new agency, in ``organisation_id`` (only the platform admin names one) or the
    caller's own organisation."""
    organisation_id = organisations.target(session, actor, organisation_id)
    _ensure_code_free(session=session, code=code, organisation_id=organisation_id)
    agency = Agency(code=code, name=name, organisation_id=organisation_id)
    session.add(agency)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="agency.create",
        entity_type="agency",
        entity_id=agency.id,
        after=snapshot(agency),
    )
    return agency


def update(
    *, session: Session, actor: User | None, agency: Agency, code: str | None, name: str | None
) -> Agency:
    before = snapshot(agency)
    if code is not None and code != agency.code:
        _ensure_code_free(
            session=session, code=code, organisation_id=agency.organisation_id, except_id=agency.id
        )
        agency.code = code
    if name is not None:
        agency.name = name
    session.flush()
    if snapshot(agency) != before:
        audit_service.record(
            session=session,
            actor=actor,
            action="agency.update",
            entity_type="agency",
            entity_id=agency.id,
            before=before,
            after=snapshot(agency),
        )
    return agency


def delete(*, session: Session, actor: User, agency: Agency) -> None:
    """Delete an agency that nothing refers to; otherwise 409."""
    in_use = session.scalar(
        select(
            exists().where(User.agency_id == agency.id)
            | exists().where(Innovation.agency_id == agency.id)
        )
    )
    if in_use:
        raise Conflict(
            Msg(
                id="Perangkat daerah {code} masih memiliki pengguna atau inovasi; tidak dapat "
                "dihapus.",
                en="Agency {code} still has users or innovations; it cannot be deleted.",
            ).format(code=agency.code)
        )

    audit_service.record(
        session=session,
        actor=actor,
        action="agency.delete",
        entity_type="agency",
        entity_id=agency.id,
        before=snapshot(agency),
    )
    session.delete(agency)
    session.flush()
