"""Drafts: starting a proposal, changing it under the optimistic lock, and its team.

A draft is changed by one atomic ``UPDATE … WHERE id AND version AND status = 'draft'`` so two
people racing can't both win: the loser gets 409 and nothing of theirs is written. The rules a
draft obeys (known section keys, a free external reference, who may join the team) are shared
with the importer, so a file cannot write what the API would refuse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.errors import Conflict, Forbidden, InvalidTransition, StaleVersion, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import access, readiness
from kipp.innovations.lifecycle import stale
from kipp.innovations.schemas import InnovationCreate, InnovationPatch
from kipp.models import Agency, Competition, Innovation, InnovationStatus, Role, User
from kipp.policy import allowed_or_403, has_role, is_organising_team, same_organisation

DRAFT: Final = InnovationStatus.DRAFT.value
WITHDRAWN: Final = InnovationStatus.WITHDRAWN.value
# Who may be on a team: the innovators of the agency, and its agency admin when they start the
# proposal themselves (or an import names them).
TEAM_ROLES: Final = frozenset({Role.INNOVATOR.value, Role.AGENCY_ADMIN.value})
# Whom an agency admin or the admin may name in ``team_user_ids``.
NAMED_TEAM_ROLES: Final = frozenset({Role.INNOVATOR.value})
EDITABLE_FIELDS: Final = (
    "title",
    "group",
    "category",
    "origin",
    "summary",
    "sections",
    "started_on",
    "replicated_from",
    "video_url",
    "links",
    "external_ref",
)


def snapshot(innovation: Innovation) -> dict[str, Any]:
    """What the audit log keeps of a new proposal."""
    return {
        "title": innovation.title,
        "agency_id": innovation.agency_id,
        "group": innovation.group,
        "category": innovation.category,
        "origin": innovation.origin,
        "status": innovation.status,
        "external_ref": innovation.external_ref,
        "team": sorted(u.id for u in innovation.team),
    }


def require_draft(innovation: Innovation, doing: Msg) -> None:
    """409 unless the proposal is still a draft (``doing``: "edited", "submitted", …)."""
    if innovation.status != DRAFT:
        raise InvalidTransition(
            Msg(
                id="Hanya usulan draf yang dapat {doing}; usulan ini berstatus {status}.",
                en="Only a draft may be {doing}; this proposal is {status}.",
            ).format(doing=doing, status=innovation.status)
        )


def unknown_section_keys(template: Mapping[str, Any], sections: Collection[str]) -> list[str]:
    """The keys of ``sections`` the competition's proposal template doesn't have (pure)."""
    return sorted(set(sections) - readiness.section_keys(template))


def _check_section_keys(template: Mapping[str, Any], sections: Mapping[str, Any]) -> None:
    unknown = unknown_section_keys(template, sections)
    if unknown:
        raise ValidationFailed(
            Msg(
                id="Usulan memuat bagian yang tidak dikenal templatnya.",
                en="The proposal has sections its template does not know.",
            ),
            errors=[
                {
                    "field": f"sections.{key}",
                    "code": "unknown_section",
                    "message": Msg(
                        id="Bukan bagian dari lomba ini.", en="Not a section of this competition."
                    ),
                }
                for key in unknown
            ],
        )


def _check_external_ref_free(
    session: Session, *, competition_id: int, external_ref: str, except_id: int | None = None
) -> None:
    existing = session.scalar(
        select(Innovation.id).where(
            Innovation.competition_id == competition_id,
            Innovation.external_ref == external_ref,
        )
    )
    if existing is not None and existing != except_id:
        raise Conflict(
            Msg(
                id="Referensi eksternal {ref!r} sudah dipakai dalam lomba ini.",
                en="External reference {ref!r} is already used in this competition.",
            ).format(ref=external_ref),
            errors=[
                {
                    "field": "external_ref",
                    "code": "already_used",
                    "message": Msg(id="Sudah dipakai.", en="Already used."),
                }
            ],
        )


def _proposing_agency(
    *, session: Session, actor: User, competition: Competition, agency_id: int | None
) -> int:
    if is_organising_team(actor):
        if agency_id is None:
            raise ValidationFailed(
                Msg(
                    id="Sebutkan perangkat daerah pengusul.", en="Name the agency of the proposal."
                ),
                errors=[
                    {
                        "field": "agency_id",
                        "code": "missing",
                        "message": Msg(id="Wajib diisi oleh admin.", en="Required for an admin."),
                    }
                ],
            )
        agency = session.get(Agency, agency_id)
        # An agency of another organisation does not exist for this competition.
        if agency is None or agency.organisation_id != competition.organisation_id:
            raise ValidationFailed(
                Msg(id="Perangkat daerah {id} tidak ada.", en="Agency {id} does not exist.").format(
                    id=agency_id
                ),
                errors=[
                    {
                        "field": "agency_id",
                        "code": "no_such_agency",
                        "message": Msg(id="Perangkat daerah ini tidak ada.", en="No such agency."),
                    }
                ],
            )
        return agency_id
    if actor.agency_id is None:
        raise Forbidden(
            Msg(
                id="Akun Anda tidak terikat pada perangkat daerah mana pun.",
                en="Your account belongs to no agency.",
            )
        )
    if agency_id is not None and agency_id != actor.agency_id:
        raise Forbidden(
            Msg(
                id="Anda hanya dapat mengusulkan inovasi untuk perangkat daerah Anda sendiri.",
                en="You propose innovations for your own agency only.",
            )
        )
    return actor.agency_id


def team_member_problem(
    *,
    role: str,
    member_agency_id: int | None,
    is_active: bool,
    agency_id: int | None,
    roles: Collection[str] = TEAM_ROLES,
) -> Msg | None:
    """Why someone cannot join the team of a proposal of ``agency_id``, or None (pure)."""
    if not is_active:
        return Msg(id="sudah dinonaktifkan", en="is deactivated")
    if role not in roles:
        return Msg(id="berperan {role}, bukan inovator", en="is a {role}, not an innovator").format(
            role=role
        )
    if agency_id is not None and member_agency_id != agency_id:
        return Msg(id="berasal dari perangkat daerah lain", en="belongs to another agency")
    return None


def _team(
    *,
    session: Session,
    actor: User,
    agency_id: int,
    team_user_ids: list[int] | None,
    creator_joins: bool = True,
) -> list[User]:
    """The team ``actor`` names: active innovators of the agency (only agency admins and the
    admin choose one); on creation an innovator or agency admin creator joins it."""
    members: dict[int, User] = {}
    if creator_joins and has_role(actor, Role.INNOVATOR, Role.AGENCY_ADMIN):
        members[actor.id] = actor
    if team_user_ids is None:
        return list(members.values())
    allowed_or_403(
        access.may_choose_team(actor),
        Msg(
            id="Hanya admin perangkat daerah atau admin yang menentukan tim usulan.",
            en="Only an agency admin or the admin chooses a proposal's team.",
        ),
    )
    wanted = list(dict.fromkeys(team_user_ids))
    found = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}
    errors: list[dict[str, Any]] = []
    for n, user_id in enumerate(wanted):
        user = found.get(user_id)
        problem = (
            Msg(id="tidak ada", en="does not exist")
            if user is None
            else team_member_problem(
                role=user.role,
                member_agency_id=user.agency_id,
                is_active=user.is_active,
                agency_id=agency_id,
                roles=NAMED_TEAM_ROLES,
            )
        )
        if problem is not None:
            message = Msg(
                id="bukan inovator aktif dari perangkat daerah ini: pengguna {user} {problem}",
                en="not an active innovator of the agency: user {user} {problem}",
            ).format(user=user_id, problem=problem)
            errors.append(
                {"field": f"team_user_ids.{n}", "code": "team_member", "message": message}
            )
    if errors:
        raise ValidationFailed(
            Msg(
                id="Tim memuat orang yang tidak dapat bergabung.",
                en="The team lists someone who cannot join it.",
            ),
            errors=errors,
        )

    members.update(found)
    return list(members.values())


def _check_quota(*, session: Session, competition: Competition, agency_id: int) -> None:
    if competition.agency_quota is None:
        return
    # Serialise proposals of one agency so two creators can't both take the last place.
    session.scalar(select(Agency.id).where(Agency.id == agency_id).with_for_update())
    used = (
        session.scalar(
            select(func.count())
            .select_from(Innovation)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.agency_id == agency_id,
                Innovation.status != WITHDRAWN,
            )
        )
        or 0
    )
    if used >= competition.agency_quota:
        raise Conflict(
            Msg(
                id="Perangkat daerah ini sudah memiliki {used} usulan; lomba ini mengizinkan "
                "{quota} usulan per perangkat daerah.",
                en="The agency already has {used} proposal(s); this competition allows "
                "{quota} per agency.",
            ).format(used=used, quota=competition.agency_quota)
        )


def create(
    *, session: Session, actor: User, competition: Competition, draft: InnovationCreate
) -> Innovation:
    """A new draft, while the submission stage is current and its window open."""
    allowed_or_403(
        same_organisation(actor, competition.organisation_id),
        Msg(
            id="Kompetisi ini milik organisasi lain; usulkan inovasi di kompetisi organisasi "
            "Anda sendiri.",
            en="This competition belongs to another organisation; propose in your own "
            "organisation's competitions.",
        ),
    )
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    agency_id = _proposing_agency(
        session=session, actor=actor, competition=competition, agency_id=draft.agency_id
    )
    _check_section_keys(competition.proposal_template, draft.sections)
    team = _team(
        session=session, actor=actor, agency_id=agency_id, team_user_ids=draft.team_user_ids
    )
    if draft.external_ref is not None:
        _check_external_ref_free(
            session, competition_id=competition.id, external_ref=draft.external_ref
        )
    _check_quota(session=session, competition=competition, agency_id=agency_id)
    innovation = Innovation(
        competition_id=competition.id,
        agency_id=agency_id,
        status=DRAFT,
        version=1,
        created_by_id=actor.id,
        **draft.model_dump(include=set(EDITABLE_FIELDS)),
    )
    innovation.team = team
    session.add(innovation)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="innovation.create",
        entity_type="innovation",
        entity_id=innovation.id,
        competition_id=competition.id,
        after=snapshot(innovation),
    )
    return innovation


def _write_draft(
    *, session: Session, innovation: Innovation, read_version: int, values: Mapping[str, Any]
) -> Innovation:
    """One atomic ``UPDATE … WHERE id AND version AND status = 'draft'``, bumping the version.

    Zero rows means someone else changed the innovation since it was read: 409, nothing
    written. Returns the innovation reloaded from the database.
    """
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Innovation)
            .where(
                Innovation.id == innovation.id,
                Innovation.version == read_version,
                Innovation.status == DRAFT,
            )
            .values(**values, version=Innovation.version + 1, updated_at=clock.now())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        current = session.scalar(select(Innovation.version).where(Innovation.id == innovation.id))
        raise StaleVersion(stale(innovation.id, current, read_version))

    return access.reload(session=session, innovation=innovation)


def update_draft(
    *, session: Session, actor: User, innovation: Innovation, patch: InnovationPatch
) -> Innovation:
    """Change a draft within the submission window, under the optimistic lock."""
    competition = competitions_service.get(
        session=session, competition_id=innovation.competition_id
    )
    require_draft(innovation, Msg(id="disunting", en="edited"))
    competitions_service.require_stage_open(competition=competition, stage_key="submission")
    changes = patch.model_dump(exclude_unset=True, exclude={"version", "team_user_ids"})
    team: list[User] | None = None
    if patch.team_user_ids is not None:
        team = _team(
            session=session,
            actor=actor,
            agency_id=innovation.agency_id,
            team_user_ids=patch.team_user_ids,
            creator_joins=False,
        )
    if "sections" in changes:
        _check_section_keys(competition.proposal_template, changes["sections"])
        changes["sections"] = {**(innovation.sections or {}), **changes["sections"]}
    if changes.get("external_ref") is not None:
        _check_external_ref_free(
            session,
            competition_id=competition.id,
            external_ref=changes["external_ref"],
            except_id=innovation.id,
        )
    before = {field: getattr(innovation, field) for field in changes}
    before_team = sorted(u.id for u in innovation.team)
    updated = _write_draft(
        session=session, innovation=innovation, read_version=patch.version, values=changes
    )
    after = {field: getattr(updated, field) for field in changes}
    if team is not None:
        updated.team = team
        session.flush()
        before["team"], after["team"] = before_team, sorted(u.id for u in team)
    changed = [field for field in after if before[field] != after[field]]
    if changed:
        audit_service.record(
            session=session,
            actor=actor,
            action="innovation.update",
            entity_type="innovation",
            entity_id=updated.id,
            competition_id=competition.id,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return updated
