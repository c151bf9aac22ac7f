"""Promotion of the announced TOP N to the competition of the next level.

After a competition's announcement its organising team promotes its TOP N (or a chosen part of
it) to the competition it names as parent. Each becomes a proposal there — title, summary,
sections, group and category, links, video, team and evidence copied — submitted on the
innovation's behalf within the parent's submission window, under its own agency, and carrying
its provenance (competition, organisation, level, rank, score, the results manifest's SHA-256).
Promoting again makes nothing new. Every promotion is audited and told to the team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp import storage as file_storage
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.competitions import stages
from kipp.config import Settings
from kipp.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import attachments, queries, storage
from kipp.models import (
    Agency,
    Attachment,
    Competition,
    Innovation,
    InnovationStatus,
    Nomination,
    Organisation,
    PanelMember,
    Promotion,
    User,
)
from kipp.notify import audiences, templates
from kipp.notify import service as notify_service
from kipp.promotions.schemas import PromotedProposal, PromotionBoard, PromotionCandidate
from kipp.provenance import policy
from kipp.results import nomination as nomination_service

SUBMITTED: Final = InnovationStatus.SUBMITTED.value


@dataclass(frozen=True)
class Outcome:
    created: list[int]  # the new proposals in the parent
    already: list[int]  # innovations of the child promoted before
    board: PromotionBoard

    @property
    def detail(self) -> Msg:
        if not self.created:
            return Msg(
                id="Tidak ada yang baru: {n} inovasi ini sudah diteruskan sebelumnya.",
                en="Nothing new: these {n} innovations were promoted before.",
            ).format(n=len(self.already))
        return Msg(
            id="{n} inovasi diteruskan ke {parent}; {before} sudah diteruskan sebelumnya.",
            en="{n} innovations promoted to {parent}; {before} were promoted before.",
        ).format(
            n=len(self.created),
            parent=self.board.parent.name if self.board.parent else "",
            before=len(self.already),
        )


# --------------------------------------------------------------------------- reading


def _ensure_organiser(actor: User, child: Competition) -> None:
    if not policy.may_promote(actor, child):
        raise Forbidden(
            Msg(
                id="Hanya panitia lomba ini yang dapat meneruskan TOP N-nya.",
                en="Only this competition's organising team promotes its TOP N.",
            )
        )


def _is_announced(competition: Competition) -> bool:
    return stages.reached(competition.current_stage, "announcement")


def _top(nomination: Nomination | None) -> list[tuple[int, int, float | None]]:
    """(rank, innovation id, score) of the announced TOP N, in the decision's order."""
    if nomination is None:
        return []
    entries = nomination.manifest.get("ranking", {}).get("entries", [])
    scores = {int(e["innovation_id"]): e.get("score") for e in entries}
    return [
        (rank, innovation_id, _score(scores.get(innovation_id)))
        for rank, innovation_id in enumerate(nomination.innovation_ids, start=1)
    ]


def _score(value: Any) -> float | None:
    return round(float(value), 4) if isinstance(value, int | float) else None


def board(*, session: Session, actor: User, child: Competition) -> PromotionBoard:
    """The TOP N of ``child`` as candidates for its parent, and what went where."""
    _ensure_organiser(actor, child)
    nomination = nomination_service.get_nomination(session=session, competition=child)
    announced = _is_announced(child) and nomination is not None
    top = _top(nomination) if announced else []
    ids = [innovation_id for _, innovation_id, _ in top]
    rows = {
        i: (title, code)
        for i, title, code in session.execute(
            select(Innovation.id, Innovation.title, Agency.code)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(Innovation.id.in_(ids))
        )
    }
    promoted = {
        p.source_innovation_id: p
        for p in session.scalars(
            select(Promotion).where(
                Promotion.source_competition_id == child.id,
                Promotion.target_competition_id == child.parent_competition_id,
            )
        )
    }
    parent = (
        competitions_service.get(session=session, competition_id=child.parent_competition_id)
        if child.parent_competition_id is not None
        else None
    )
    return PromotionBoard(
        competition_id=child.id,
        parent=competitions_service.parent_link(session=session, competition=child),
        announced=announced,
        manifest_sha256=nomination.manifest_sha256 if announced and nomination else None,
        submission_open=parent is not None and _submission_open(parent),
        candidates=[
            PromotionCandidate(
                rank=rank,
                innovation_id=innovation_id,
                title=rows[innovation_id][0],
                agency_code=rows[innovation_id][1],
                score=score,
                promoted=innovation_id in promoted,
                target_competition_id=(
                    promoted[innovation_id].target_competition_id
                    if innovation_id in promoted
                    else None
                ),
                target_innovation_id=(
                    promoted[innovation_id].target_innovation_id
                    if innovation_id in promoted
                    else None
                ),
                promoted_at=(
                    promoted[innovation_id].promoted_at if innovation_id in promoted else None
                ),
            )
            for rank, innovation_id, score in top
            if innovation_id in rows
        ],
    )


def _submission_open(parent: Competition) -> bool:
    try:
        competitions_service.require_stage_open(competition=parent, stage_key="submission")
    except Conflict:
        return False
    return True


def received_by_judge(*, session: Session, judge: User) -> list[PromotedProposal]:
    """Proposals promoted into the competitions whose panel ``judge`` sits on, which they may
    read (not conflicted): the judge reads ahead before the administrative selection."""
    on_panel = select(PanelMember.competition_id).where(PanelMember.user_id == judge.id)
    rows = session.execute(
        select(Promotion, Innovation, Competition.name, Agency.code)
        .join(Innovation, Innovation.id == Promotion.target_innovation_id)
        .join(Competition, Competition.id == Promotion.target_competition_id)
        .join(Agency, Agency.id == Innovation.agency_id)
        .where(Promotion.target_competition_id.in_(on_panel))
        .options(selectinload(Innovation.team))
        .order_by(Promotion.target_competition_id, Promotion.source_competition_id, Promotion.rank)
    ).all()
    found: list[PromotedProposal] = []
    for promotion, innovation, competition_name, agency_code in rows:
        if not policy.panel_may_read(session=session, innovation=innovation, judge=judge):
            continue
        provenance = queries.provenance(session=session, innovation=innovation, viewer=judge)
        assert provenance is not None
        found.append(
            PromotedProposal(
                innovation_id=innovation.id,
                competition_id=promotion.target_competition_id,
                competition_name=competition_name,
                title=innovation.title,
                agency_code=agency_code,
                status=innovation.status,
                provenance=provenance,
            )
        )
    return found


# --------------------------------------------------------------------------- promoting


def _problem(field: str, code: str, message: Msg) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message}


def promote(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    child: Competition,
    innovation_ids: Sequence[int] | None,
) -> Outcome:
    """Promote the announced TOP N of ``child`` (or the listed part of it) to its parent.

    409 before the announcement, without a parent, or outside the parent's submission window;
    422 for an innovation not in the TOP N. What was promoted before is left as it is.
    """
    _ensure_organiser(actor, child)
    nomination = nomination_service.get_nomination(session=session, competition=child)
    if not _is_announced(child) or nomination is None:
        raise InvalidTransition(
            Msg(
                id="TOP N hanya dapat diteruskan setelah hasil diumumkan; lomba sedang berada "
                "pada tahapan {stage}.",
                en="The TOP N can be promoted only after the results are announced; the "
                "competition is in the {stage} stage.",
            ).format(stage=stages.label(child.current_stage))
        )
    if child.parent_competition_id is None:
        raise Conflict(
            Msg(
                id="Lomba ini belum menyebut lomba tingkat berikutnya (lomba induk); atur "
                "dahulu di pengaturan lomba.",
                en="This competition names no next-level (parent) competition; set one in its "
                "settings first.",
            )
        )
    top = _top(nomination)
    wanted = list(dict.fromkeys(innovation_ids)) if innovation_ids else [i for _, i, _ in top]
    in_top = {innovation_id for _, innovation_id, _ in top}
    outside = [i for i in wanted if i not in in_top]
    if outside:
        raise ValidationFailed(
            Msg(
                id="Hanya inovasi TOP {n} yang diumumkan yang dapat diteruskan.",
                en="Only innovations of the announced TOP {n} can be promoted.",
            ).format(n=len(top)),
            errors=[
                _problem(
                    f"innovation_ids.{index}",
                    "not_in_top",
                    Msg(
                        id="Inovasi {id} tidak termasuk TOP N yang diumumkan.",
                        en="Innovation {id} is not in the announced TOP N.",
                    ).format(id=innovation_id),
                )
                for index, innovation_id in enumerate(innovation_ids or [])
                if innovation_id in outside
            ],
        )
    parent = competitions_service.get(session=session, competition_id=child.parent_competition_id)
    before = set(
        session.scalars(
            select(Promotion.source_innovation_id).where(
                Promotion.target_competition_id == parent.id,
                Promotion.source_innovation_id.in_(wanted),
            )
        )
    )
    todo = [i for i in wanted if i not in before]
    created: list[int] = []
    if todo:
        competitions_service.require_stage_open(competition=parent, stage_key="submission")
        organisation_name = session.scalar(
            select(Organisation.name).where(Organisation.id == child.organisation_id)
        )
        by_id = {rank_id: (rank, score) for rank, rank_id, score in top}
        sources = {
            i.id: i
            for i in session.scalars(
                select(Innovation)
                .where(Innovation.id.in_(todo))
                .options(selectinload(Innovation.team))
            )
        }
        for innovation_id in todo:
            rank, score = by_id[innovation_id]
            copy = promote_one(
                session=session,
                settings=settings,
                actor=actor,
                source=sources[innovation_id],
                child=child,
                parent=parent,
                organisation_name=organisation_name or "",
                rank=rank,
                score=score,
                manifest_sha256=nomination.manifest_sha256,
            )
            created.append(copy.id)
    return Outcome(
        created=created,
        already=[i for i in wanted if i in before],
        board=board(session=session, actor=actor, child=child),
    )


def promote_one(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    source: Innovation,
    child: Competition,
    parent: Competition,
    organisation_name: str,
    rank: int,
    score: float | None,
    manifest_sha256: str,
    tell: bool = True,
) -> Innovation:
    """One innovation of ``child`` as a submitted proposal of ``parent``, with its evidence
    and provenance; audited, and (``tell``) told to its team. The checks are the caller's."""
    now = clock.now()
    copy = Innovation(
        competition_id=parent.id,
        agency_id=source.agency_id,  # stays the original agency, in the child's organisation
        title=source.title,
        group=source.group,
        category=source.category,
        origin=source.origin,
        started_on=source.started_on,
        replicated_from=source.replicated_from,
        replicated_from_id=source.replicated_from_id,
        summary=source.summary,
        sections=dict(source.sections or {}),
        video_url=source.video_url,
        links=list(source.links or []),
        external_ref=None,
        status=SUBMITTED,
        version=1,
        created_by_id=actor.id,
        submitted_at=now,
    )
    copy.team = list(source.team)
    session.add(copy)
    session.flush()
    evidence = _copy_evidence(
        session=session, settings=settings, source=source, target=copy, actor=actor
    )
    promotion = Promotion(
        source_innovation_id=source.id,
        source_competition_id=child.id,
        target_competition_id=parent.id,
        target_innovation_id=copy.id,
        source_competition_name=child.name,
        source_organisation_name=organisation_name,
        source_level=child.level,
        source_year=child.year,
        rank=rank,
        score=score,
        manifest_sha256=manifest_sha256,
        promoted_by_id=actor.id,
        promoted_at=now,
    )
    session.add(promotion)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="innovation.promote",
        entity_type="innovation",
        entity_id=copy.id,
        competition_id=parent.id,
        after={
            "status": SUBMITTED,
            "from_competition_id": child.id,
            "from_innovation_id": source.id,
            "rank": rank,
            "score": score,
            "manifest_sha256": manifest_sha256,
            "evidence": [
                {"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in evidence
            ],
        },
    )
    if not tell:
        return copy
    notify_service.send(
        session,
        letter=templates.proposal_promoted(
            innovation_id=copy.id,
            title=copy.title,
            rank=rank,
            from_competition=child.name,
            to_competition=parent.name,
        ),
        recipients=audiences.participants(session=session, innovation_ids=[copy.id]),
    )
    return copy


def _copy_file(files: file_storage.Storage, storage_name: str) -> tuple[str, str]:
    """A streamed copy of a stored evidence file under a new name, and the copy's SHA-256."""
    copy_name = storage.copy(storage=files, storage_name=storage_name)
    return copy_name, files.sha256(storage.key(copy_name))


def _copy_evidence(
    *, session: Session, settings: Settings, source: Innovation, target: Innovation, actor: User
) -> list[Attachment]:
    """Copy every evidence file of ``source`` to ``target`` through the storage module (a new
    stored file each, kept only if the request commits), checking each copy's SHA-256."""
    copies: list[Attachment] = []
    originals = session.scalars(
        select(Attachment).where(Attachment.innovation_id == source.id).order_by(Attachment.id)
    ).all()
    files = file_storage.for_settings(settings)
    for original in originals:
        copy_name, digest = attachments.storing(partial(_copy_file, files, original.storage_name))
        storage.keep_if_committed(session=session, storage=files, storage_name=copy_name)
        if digest != original.sha256:
            raise Conflict(
                Msg(
                    id="Salinan bukti dukung {name} tidak sama dengan aslinya (SHA-256 "
                    "berbeda); tidak ada yang diteruskan.",
                    en="The copy of the evidence {name} differs from the original (SHA-256 "
                    "mismatch); nothing was promoted.",
                ).format(name=original.filename)
            )
        copy = Attachment(
            innovation_id=target.id,
            filename=original.filename,
            content_type=original.content_type,
            size=original.size,
            sha256=digest,
            storage_name=copy_name,
            uploaded_by_id=actor.id,
            created_at=clock.now(),
        )
        session.add(copy)
        copies.append(copy)
    session.flush()
    return copies
