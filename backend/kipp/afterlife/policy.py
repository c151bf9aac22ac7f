"""Who may do what after the award, in one place (the organisation rules join here).

The organising team (the platform admin, or an organiser of the competition's organisation)
reads every report, files on a team's behalf, sees
every competition's overview and removes any replication. A winner's reports are filed and read
by its team and its agency's admins; to everyone else they do not exist (404). Replications of
a public innovation are public; recording one is for the organising team and agency admins
(another organisation's, or the same one's for an internal replication).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kipp.competitions import stages
from kipp.i18n import Msg
from kipp.innovations import access
from kipp.models import Competition, Innovation, InnovationStatus, Replication, User
from kipp.notify import audiences
from kipp.notify.letters import Recipient
from kipp.policy import (
    HIDDEN,
    Verdict,
    allowed_or_403,
    enforce,
    is_agency_admin,
    is_platform_admin,
    manages,
    visible_or_404,
)
from kipp.policy import (
    is_organising_team as is_organiser_role,
)


def is_organising_team(user: User | None, competition: Competition) -> bool:
    """The organising team of ``competition``: the platform admin, or an organiser of the
    competition's organisation."""
    return manages(user, competition.organisation_id)


def can_report(innovation: Innovation, competition: Competition, user: User) -> bool:
    """Read and file an innovation's sustainability reports: its team, its agency's admins,
    the organising team."""
    return is_organising_team(user, competition) or access.can_act_as_owner(innovation, user)


def can_read_overview(competition: Competition, user: User) -> bool:
    """The competition's sustainability overview: its organising team."""
    return is_organising_team(user, competition)


def enforce_overview(competition: Competition, user: User) -> None:
    """403 unless ``user`` may read the competition's overview (who may not even see the
    competition was refused with 404 before)."""
    allowed_or_403(
        can_read_overview(competition, user),
        Msg(
            id="Hanya tim pelaksana yang melihat rekap keberlanjutan.",
            en="Only the organising team sees the sustainability overview.",
        ),
    )


def is_public(innovation: Innovation, competition: Competition) -> bool:
    """On a published competition's public list: a winner, or an innovation that passed the
    administrative stage once the list is public (the presentation stage on)."""
    if not competition.published:
        return False
    if innovation.status == InnovationStatus.WINNER:
        return True
    return innovation.status in access.PUBLIC_STATUSES and stages.reached(
        competition.current_stage, "presentation"
    )


def can_see(
    *, session: Session, innovation: Innovation, competition: Competition, user: User | None
) -> bool:
    """Whether ``user`` (None: anonymous) may know the innovation: it is public, or they may
    read it (team, agency admin, organising team, assigned judge)."""
    if is_public(innovation, competition):
        return True
    return user is not None and access.can_read(session=session, innovation=innovation, user=user)


def may_record_replication(user: User) -> bool:
    """Who records replications (a role question; 403 for the others): the organising team
    and agency admins."""
    return is_organiser_role(user) or is_agency_admin(user)


def enforce_record_replication(user: User) -> None:
    allowed_or_403(
        may_record_replication(user),
        Msg(
            id="Replikasi dicatat oleh tim pelaksana atau admin perangkat daerah.",
            en="Replications are recorded by the organising team or an agency admin.",
        ),
    )


def enforce_delete_replication(replication: Replication, user: User) -> None:
    allowed_or_403(
        may_delete_replication(replication, user),
        Msg(
            id="Hanya pencatat replikasi ini atau tim pelaksana yang dapat menghapusnya.",
            en="Only whoever recorded this replication, or the organising team, removes it.",
        ),
    )


def may_delete_replication(replication: Replication, user: User) -> bool:
    """Whoever recorded it, the organising team of the organisation that replicated, or the
    platform admin."""
    return (
        is_platform_admin(user)
        or manages(user, replication.organisation_id)
        or (replication.recorded_by_id is not None and replication.recorded_by_id == user.id)
    )


def report_verdict(
    innovation: Innovation | None, competition: Competition | None, user: User
) -> Verdict:
    if innovation is None or competition is None:
        return HIDDEN
    allowed = can_report(innovation, competition, user)
    return Verdict(visible=allowed, allowed=allowed)


def enforce_reporting(
    innovation: Innovation | None, competition: Competition | None, user: User, innovation_id: int
) -> None:
    """404 unless ``user`` may read and file the innovation's reports (nobody else learns
    that they exist)."""
    enforce(
        report_verdict(innovation, competition, user),
        not_found=not_found(innovation_id),
        forbidden=not_found(innovation_id),
    )


def enforce_visible(visible: bool, innovation_id: int) -> None:
    visible_or_404(visible, not_found(innovation_id))


def not_found(innovation_id: int) -> Msg:
    return Msg(id="Inovasi {id} tidak ada.", en="Innovation {id} does not exist.").format(
        id=innovation_id
    )


def organising_team(*, session: Session, competition: Competition) -> list[Recipient]:
    """Who is told that a report was filed: the competition's organising team."""
    return audiences.admins(session=session, organisation_id=competition.organisation_id)


def participants(*, session: Session, innovation: Innovation) -> list[Recipient]:
    """Who is reminded of a report and told of a replication: the team and its agency's
    admins."""
    return audiences.participants(session=session, innovation_ids=[innovation.id])
