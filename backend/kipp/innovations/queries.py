"""Reading proposals: one proposal's full view and a competition's list, each as the viewer's
role may see it (scope from :mod:`kipp.innovations.access`; the public list only once the
presentation stage is reached, with public fields only)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.competitions import stages
from kipp.errors import NotFound
from kipp.i18n import Msg
from kipp.innovations import access
from kipp.innovations.attachments import attachments_count
from kipp.innovations.readiness import sections_for
from kipp.innovations.review import duplicate_title_ids, review_of
from kipp.innovations.schemas import (
    AdministrativeReviewOut,
    InnovationListItem,
    InnovationOut,
    Provenance,
    PublicInnovationItem,
    PublicInnovationSummary,
    PublicSection,
    TeamMember,
)
from kipp.models import Agency, Competition, Innovation, User
from kipp.provenance import policy as provenance_policy


def present(*, session: Session, innovation: Innovation, viewer: User) -> InnovationOut:
    """The full view of one innovation for someone allowed to read it."""
    agency_code = session.scalar(select(Agency.code).where(Agency.id == innovation.agency_id))
    current_stage = session.scalar(
        select(Competition.current_stage).where(Competition.id == innovation.competition_id)
    )
    decision_visible = access.sees_decision(current_stage=current_stage or "", viewer=viewer)
    review = review_of(session=session, innovation_id=innovation.id)
    return InnovationOut(
        id=innovation.id,
        competition_id=innovation.competition_id,
        agency_id=innovation.agency_id,
        agency_code=agency_code or "",
        title=innovation.title,
        group=innovation.group,
        category=innovation.category,
        origin=innovation.origin,
        summary=innovation.summary,
        sections={k: str(v) for k, v in (innovation.sections or {}).items()},
        started_on=innovation.started_on,
        replicated_from=innovation.replicated_from,
        video_url=innovation.video_url,
        links=[str(link) for link in innovation.links or []],
        external_ref=innovation.external_ref,
        status=access.shown_status(innovation.status, decision_visible=decision_visible),
        version=innovation.version,
        submitted_at=innovation.submitted_at,
        created_at=innovation.created_at,
        updated_at=innovation.updated_at,
        team=[TeamMember.model_validate(u) for u in sorted(innovation.team, key=lambda u: u.id)],
        administrative_review=(
            AdministrativeReviewOut(
                passed=review.passed,
                checks={k: bool(v) for k, v in review.checks.items()},
                notes=review.notes,
                reviewed_at=review.updated_at,
            )
            if review is not None
            else None
        ),
        attachments_count=attachments_count(session=session, innovation_id=innovation.id),
        duplicate_title_ids=(
            duplicate_title_ids(session=session, innovation=innovation)
            if access.sees_duplicates(innovation, viewer)
            else None
        ),
        provenance=provenance(session=session, innovation=innovation, viewer=viewer),
    )


def provenance(*, session: Session, innovation: Innovation, viewer: User) -> Provenance | None:
    """Where a promoted proposal came from, for those who may see it (else None)."""
    if not provenance_policy.may_see_provenance(
        session=session, innovation=innovation, user=viewer
    ):
        return None
    promotion = provenance_policy.provenance_of(session=session, innovation_id=innovation.id)
    if promotion is None:
        return None
    return Provenance(
        competition_id=promotion.source_competition_id,
        competition_name=promotion.source_competition_name,
        organisation_name=promotion.source_organisation_name,
        level=promotion.source_level,
        year=promotion.source_year,
        source_innovation_id=promotion.source_innovation_id,
        rank=promotion.rank,
        score=promotion.score,
        manifest_sha256=promotion.manifest_sha256,
        promoted_at=promotion.promoted_at,
        promoted_by_id=promotion.promoted_by_id,
    )


def list_innovations(
    *,
    session: Session,
    competition: Competition,
    user: User | None,
    public: bool,
    status: str | None,
    agency_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[InnovationListItem] | list[PublicInnovationItem], int]:
    """A competition's innovations as ``user`` may see them.

    Signed-in users get their role's view; anonymous callers (and anyone asking for
    ``public``) get the public list: only innovations that passed the administrative stage,
    only once the competition reached the presentation stage, only public fields.
    """
    query = (
        select(Innovation, Agency.code, Agency.name)
        .join(Agency, Agency.id == Innovation.agency_id)
        .where(Innovation.competition_id == competition.id)
    )
    viewer = None if public else user
    decision_visible = access.sees_decision(current_stage=competition.current_stage, viewer=viewer)
    if viewer is None:
        if not stages.reached(competition.current_stage, "presentation"):
            return [], 0
        query = query.where(Innovation.status.in_(access.PUBLIC_STATUSES))
    else:
        query = query.where(access.scope(session=session, competition=competition, user=viewer))
    if status is not None:
        query = query.where(access.status_filter(status, decision_visible=decision_visible))
    if agency_id is not None:
        query = query.where(Innovation.agency_id == agency_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Innovation.id).limit(limit).offset(offset)).all()
    if viewer is None:
        return [
            PublicInnovationItem(
                id=i.id,
                title=i.title,
                agency_id=i.agency_id,
                agency_code=code,
                agency_name=name,
                group=i.group,
                category=i.category,
            )
            for i, code, name in rows
        ], total
    return [
        InnovationListItem(
            id=i.id,
            competition_id=i.competition_id,
            title=i.title,
            agency_id=i.agency_id,
            agency_code=code,
            agency_name=name,
            group=i.group,
            category=i.category,
            status=access.shown_status(i.status, decision_visible=decision_visible),
            version=i.version,
            submitted_at=i.submitted_at,
            updated_at=i.updated_at,
        )
        for i, code, name in rows
    ], total


def public_summary(
    *, session: Session, competition: Competition, innovation_id: int
) -> PublicInnovationSummary:
    """The public summary of one innovation of the public list: only while the list itself is
    public (from the presentation stage on, innovations that passed the administrative stage),
    only the sections the competition's template marks public. 404 otherwise."""
    row = None
    if stages.reached(competition.current_stage, "presentation"):
        row = session.execute(
            select(Innovation, Agency.code, Agency.name)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(
                Innovation.id == innovation_id,
                Innovation.competition_id == competition.id,
                Innovation.status.in_(access.PUBLIC_STATUSES),
            )
        ).first()
    if row is None:
        raise NotFound(
            Msg(
                id=f"Inovasi {innovation_id} tidak ada dalam daftar publik kompetisi ini.",
                en=f"Innovation {innovation_id} is not on this competition's public list.",
            )
        )
    innovation, code, name = row
    texts = innovation.sections or {}
    return PublicInnovationSummary(
        id=innovation.id,
        competition_id=innovation.competition_id,
        title=innovation.title,
        agency_id=innovation.agency_id,
        agency_code=code,
        agency_name=name,
        group=innovation.group,
        category=innovation.category,
        sections=[
            PublicSection(
                key=str(section["key"]),
                title=str(section["title"]),
                text=str(texts.get(section["key"], "")),
            )
            for section in sections_for(competition.proposal_template, innovation.group)
            if section.get("public")
        ],
    )
