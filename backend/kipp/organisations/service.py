"""Organisations: which one a new object belongs to, and the platform admin's list of them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.audit import service as audit_service
from kipp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.models import Organisation, User
from kipp.policy import is_platform_admin, same_organisation, visible_or_404


def default_id(session: Session) -> int:
    """The default organisation (the lowest id; migration 0009 creates it): where the platform
    admin, the CLI and the demo act when no organisation is named."""
    found = session.scalar(select(func.min(Organisation.id)))
    if found is None:  # only a database emptied by hand: migrations always leave one
        raise LookupError("no organisation exists: run `kipp db upgrade`")
    return int(found)


def of_actor(session: Session, actor: User | None) -> int:
    """The organisation a new object made by ``actor`` belongs to: theirs (the platform admin
    belongs to the default one), or the default one for the system itself."""
    return actor.organisation_id if actor is not None else default_id(session)


def target(session: Session, actor: User | None, requested: int | None) -> int:
    """The organisation a new object goes into: ``requested`` when the caller names one (only
    the platform admin, the command line and the importer may name another than their own),
    else the caller's own (:func:`of_actor`)."""
    if requested is None:
        return of_actor(session, actor)
    if actor is not None and not is_platform_admin(actor):
        if requested != actor.organisation_id:
            raise Forbidden(
                Msg(
                    id="Hanya admin platform yang dapat memilih organisasi lain.",
                    en="Only the platform admin may name another organisation.",
                )
            )
        return requested
    if session.get(Organisation, requested) is None:
        raise ValidationFailed(
            Msg(id="Organisasi {id} tidak ada.", en="Organisation {id} does not exist.").format(
                id=requested
            ),
            errors=[
                {
                    "field": "organisation_id",
                    "code": "no_such_organisation",
                    "message": Msg(id="Organisasi ini tidak ada.", en="No such organisation."),
                }
            ],
        )
    return requested


# --------------------------------------------------------------------------- the list


def snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "level": organisation.level,
        "region": organisation.region,
    }


def _not_found(organisation_id: int | str) -> Msg:
    return Msg(id="Organisasi {id} tidak ada.", en="Organisation {id} does not exist.").format(
        id=organisation_id
    )


def get(*, session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_not_found(organisation_id))
    return organisation


def get_visible(*, session: Session, organisation_id: int, user: User) -> Organisation:
    """An organisation the caller may read: the platform admin every one, anyone else their
    own (another's is a 404)."""
    visible_or_404(same_organisation(user, organisation_id), _not_found(organisation_id))
    return get(session=session, organisation_id=organisation_id)


def by_reference(*, session: Session, reference: str) -> Organisation | None:
    """The organisation named by id (digits) or slug."""
    if reference.isdigit():
        return session.get(Organisation, int(reference))
    return session.scalar(select(Organisation).where(Organisation.slug == reference.lower()))


OrganisationQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="An organisation's id or slug.",
        examples=["luwu-utara"],
    ),
]


def listed_organisation(
    *, session: Session, user: User | None, reference: str | None
) -> int | None:
    """Which organisation a list shows: a logged-in user's own (the platform admin: any), else
    the one named by id or slug (an unknown one shows nothing), else (``None``) every one."""
    if user is not None and not is_platform_admin(user):
        return user.organisation_id
    if reference is None:
        return None
    found = by_reference(session=session, reference=reference)
    return found.id if found is not None else 0


def list_organisations(
    *, session: Session, level: str | None = None, limit: int, offset: int
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
    if level is not None:
        query = query.where(Organisation.level == level)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = session.scalars(query.order_by(Organisation.id).limit(limit).offset(offset))
    return list(found), total


def _ensure_slug_free(*, session: Session, slug: str, except_id: int | None = None) -> None:
    existing = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if existing is not None and existing.id != except_id:
        raise Conflict(
            Msg(
                id="Slug organisasi {slug!r} sudah dipakai.",
                en="Organisation slug {slug!r} is already used.",
            ).format(slug=slug),
            errors=[
                {
                    "field": "slug",
                    "code": "already_used",
                    "message": Msg(id="Sudah dipakai.", en="Already used."),
                }
            ],
        )


def create(
    *, session: Session, actor: User | None, slug: str, name: str, level: str, region: str
) -> Organisation:
    slug = slug.lower()
    _ensure_slug_free(session=session, slug=slug)
    organisation = Organisation(slug=slug, name=name, level=level, region=region)
    session.add(organisation)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="organisation.create",
        entity_type="organisation",
        entity_id=organisation.id,
        after=snapshot(organisation),
    )
    return organisation


def update(
    *, session: Session, actor: User | None, organisation: Organisation, changes: dict[str, Any]
) -> Organisation:
    before = snapshot(organisation)
    if changes.get("slug") is not None:
        slug = str(changes["slug"]).lower()
        _ensure_slug_free(session=session, slug=slug, except_id=organisation.id)
        organisation.slug = slug
    for field in ("name", "level", "region"):
        if changes.get(field) is not None:
            setattr(organisation, field, str(changes[field]))
    session.flush()
    if snapshot(organisation) != before:
        audit_service.record(
            session=session,
            actor=actor,
            action="organisation.update",
            entity_type="organisation",
            entity_id=organisation.id,
            before=before,
            after=snapshot(organisation),
        )
    return organisation
