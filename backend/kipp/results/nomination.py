"""The panel's TOP N decision: validation, preview, and saving it with a frozen manifest.

The decision is compared with the computed ranking. Moving an innovation within an unresolved
tie is not a departure (the order inside a tie has no meaning); putting a lower-ranked
innovation above a higher-ranked one, or leaving out one ranked strictly better than one
taken, is — and needs a justification, as does any tie straddling the cut-off. Saving freezes
the results manifest (``kipp.results.manifest``) and moves the judged innovations' statuses
through the one status machine (``kipp.innovations.lifecycle``).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import stages
from kipp.errors import InvalidTransition, NotFound, ValidationFailed
from kipp.i18n import Msg, Text
from kipp.innovations import lifecycle
from kipp.models import Competition, Innovation, InnovationStatus, Nomination, User
from kipp.panel.assignments import JUDGED_STATUSES
from kipp.ranking import service as ranking
from kipp.ranking.schemas import RankingOut
from kipp.results import manifest as manifest_service
from kipp.results.schemas import (
    DecisionLine,
    DecisionTopLine,
    DroppedLine,
    NominationOut,
    NominationPreviewOut,
)


def get_nomination(*, session: Session, competition: Competition) -> Nomination | None:
    """The saved TOP N decision, if any."""
    return session.scalar(select(Nomination).where(Nomination.competition_id == competition.id))


def require_nomination(*, session: Session, competition: Competition) -> Nomination:
    """The saved TOP N decision, or 404."""
    nomination = get_nomination(session=session, competition=competition)
    if nomination is None:
        raise NotFound(
            Msg(
                id="Belum ada keputusan TOP N yang dicatat untuk lomba ini.",
                en="No TOP N decision has been recorded for this competition.",
            )
        )
    return nomination


# --------------------------------------------------------------------------- the decision


def _field_problems(
    field: str, ids: list[int], ranked: set[int], unranked: set[int]
) -> list[dict[str, Text]]:
    problems: list[dict[str, Text]] = []
    seen: set[int] = set()
    for index, innovation_id in enumerate(ids):
        where = f"{field}.{index}"
        if innovation_id in seen:
            problems.append(
                {
                    "field": where,
                    "code": "listed_twice",
                    "message": Msg(
                        id="Inovasi {id} disebut dua kali.",
                        en="Innovation {id} is listed twice.",
                    ).format(id=innovation_id),
                }
            )
        elif innovation_id in unranked:
            problems.append(
                {
                    "field": where,
                    "code": "unranked",
                    "message": Msg(
                        id="Inovasi {id} belum berperingkat (lembar nilai final terlalu sedikit).",
                        en="Innovation {id} is unranked (too few final scoresheets).",
                    ).format(id=innovation_id),
                }
            )
        elif innovation_id not in ranked:
            problems.append(
                {
                    "field": where,
                    "code": "not_eligible",
                    "message": Msg(
                        id="Inovasi {id} bukan inovasi yang memenuhi syarat dalam lomba ini.",
                        en="Innovation {id} is not an eligible innovation of this competition.",
                    ).format(id=innovation_id),
                }
            )
        seen.add(innovation_id)
    return problems


def decision_problems(
    *,
    computed: RankingOut,
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    honourable_mentions_allowed: int,
) -> list[dict[str, Text]]:
    """Every way the decision breaks the rules, as ``{field, message}`` (empty when valid)."""
    ranked = {e["innovation_id"] for e in computed.entries}
    unranked = {u.innovation_id for u in computed.unranked}
    places = min(computed.top_n, len(ranked))
    problems: list[dict[str, Text]] = []
    if not ranked:
        return [
            {
                "field": "innovation_ids",
                "code": "nothing_ranked",
                "message": Msg(
                    id="Belum ada inovasi yang berperingkat.", en="No innovation is ranked yet."
                ),
            }
        ]
    if len(innovation_ids) != places:
        problems.append(
            {
                "field": "innovation_ids",
                "code": "wrong_count",
                "message": Msg(
                    id="Harus memuat tepat {places} inovasi (TOP {top}, {ranked} berperingkat); "
                    "yang diberikan {given}.",
                    en="Must list exactly {places} innovations (TOP {top}, {ranked} ranked); "
                    "{given} given.",
                ).format(
                    places=places,
                    top=computed.top_n,
                    ranked=len(ranked),
                    given=len(innovation_ids),
                ),
            }
        )
    problems += _field_problems("innovation_ids", innovation_ids, ranked, unranked)
    if len(honourable_mention_ids) > honourable_mentions_allowed:
        problems.append(
            {
                "field": "honourable_mention_ids",
                "code": "too_long",
                "message": Msg(
                    id="Paling banyak {allowed} harapan (pengaturan lomba); yang diberikan "
                    "{given}.",
                    en="At most {allowed} honourable mentions (the competition's setting); "
                    "{given} given.",
                ).format(allowed=honourable_mentions_allowed, given=len(honourable_mention_ids)),
            }
        )
    problems += _field_problems("honourable_mention_ids", honourable_mention_ids, ranked, unranked)
    top = set(innovation_ids)
    for index, innovation_id in enumerate(honourable_mention_ids):
        if innovation_id in top:
            problems.append(
                {
                    "field": f"honourable_mention_ids.{index}",
                    "code": "already_in_top",
                    "message": Msg(
                        id="Inovasi {id} sudah masuk TOP N.",
                        en="Innovation {id} is already in the TOP N.",
                    ).format(id=innovation_id),
                }
            )
    return problems


def compare(
    *, computed: RankingOut, innovation_ids: list[int], honourable_mention_ids: list[int]
) -> NominationPreviewOut:
    """How a (valid) decision differs from the computed ranking."""
    entries = {e["innovation_id"]: e for e in computed.entries}
    position = {e["innovation_id"]: p for p, e in enumerate(computed.entries, start=1)}
    computed_top = [e["innovation_id"] for e in computed.entries if e["in_top"]]
    in_computed_top = set(computed_top)
    chosen = set(innovation_ids)

    def line(place: int, innovation_id: int) -> DecisionLine:
        entry = entries[innovation_id]
        return DecisionLine(
            position=place,
            innovation_id=innovation_id,
            title=entry["title"],
            agency_code=entry["agency_code"],
            computed_rank=entry["rank"],
            computed_position=position[innovation_id],
        )

    top: list[DecisionTopLine] = []
    for place, innovation_id in enumerate(innovation_ids, start=1):
        was = position[innovation_id]
        if innovation_id not in in_computed_top:
            change = "added"
        elif was == place:
            change = "same"
        else:
            change = "up" if place < was else "down"
        top.append(DecisionTopLine(**line(place, innovation_id).model_dump(), change=change))
    dropped = [
        DroppedLine(**line(0, i).model_dump(exclude={"position"}))
        for i in computed_top
        if i not in chosen
    ]

    ranks = [entries[i]["rank"] for i in innovation_ids]
    omitted_ranks = [e["rank"] for i, e in entries.items() if i not in chosen]
    out_of_order = any(a > b for a, b in pairwise(ranks))
    better_left_out = bool(ranks and omitted_ranks and min(omitted_ranks) < max(ranks))
    departs = out_of_order or better_left_out
    return NominationPreviewOut(
        method=computed.method,
        top_n=computed.top_n,
        tie_at_cutoff=computed.tie_at_cutoff,
        departs_from_ranking=departs,
        justification_required=departs or computed.tie_at_cutoff,
        computed_top=computed_top,
        top=top,
        honourable_mentions=[
            line(place, i) for place, i in enumerate(honourable_mention_ids, start=1)
        ],
        moved_up=[t.innovation_id for t in top if t.change == "up"],
        moved_down=[t.innovation_id for t in top if t.change == "down"],
        added=[t.innovation_id for t in top if t.change == "added"],
        dropped=dropped,
    )


def _evaluate(
    *,
    session: Session,
    competition: Competition,
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    method: str,
) -> tuple[ranking.RankingInputs, RankingOut, NominationPreviewOut]:
    stages_current = competition.current_stage
    if stages_current != "nomination":
        raise InvalidTransition(
            Msg(
                id="TOP N diputuskan pada tahapan Penetapan nominasi; lomba sedang berada pada "
                "tahapan {stage}.",
                en="The TOP N is decided in the nomination stage; the competition is in the "
                "{stage} stage.",
            ).format(stage=stages.label(stages_current))
        )
    with ranking.gc_paused():
        inputs = ranking.load_inputs(session=session, competition=competition)
        computed = ranking.payload(
            ranking.compute(
                inputs,
                method=method,
                seed=ranking.DEFAULT_SEED,
                bootstrap_samples=ranking.DEFAULT_SAMPLES,
            ),
            inputs,
        )
    problems = decision_problems(
        computed=computed,
        innovation_ids=innovation_ids,
        honourable_mention_ids=honourable_mention_ids,
        honourable_mentions_allowed=competition.honourable_mentions,
    )
    if problems:
        raise ValidationFailed(
            Msg(id="Keputusan ini tidak sah.", en="The decision is not valid."), errors=problems
        )
    difference = compare(
        computed=computed,
        innovation_ids=innovation_ids,
        honourable_mention_ids=honourable_mention_ids,
    )
    return inputs, computed, difference


def preview(
    *,
    session: Session,
    competition: Competition,
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    method: str,
) -> NominationPreviewOut:
    """The decision compared with the computed ranking; nothing is saved."""
    _, _, difference = _evaluate(
        session=session,
        competition=competition,
        innovation_ids=innovation_ids,
        honourable_mention_ids=honourable_mention_ids,
        method=method,
    )
    return difference


def save(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    method: str,
    justification: str,
) -> tuple[Nomination, NominationPreviewOut]:
    """Record (or, still in the nomination stage, replace) the TOP N decision.

    Freezes the manifest, moves the judged innovations' statuses (the TOP N and honourable
    mentions ``nominated``, the rest ``not_nominated``) and logs all of it.
    """
    inputs, computed, difference = _evaluate(
        session=session,
        competition=competition,
        innovation_ids=innovation_ids,
        honourable_mention_ids=honourable_mention_ids,
        method=method,
    )
    justification = justification.strip()
    if difference.justification_required and not justification:
        why = (
            Msg(
                id="urutannya menyimpang dari peringkat hasil perhitungan",
                en="the order departs from the computed ranking",
            )
            if difference.departs_from_ranking
            else Msg(
                id="ada nilai sama tepat di batas TOP N", en="a tie straddles the TOP N cut-off"
            )
        )
        raise ValidationFailed(
            Msg(id="Alasan wajib diisi: {why}.", en="A justification is required: {why}.").format(
                why=why
            ),
            errors=[
                {
                    "field": "justification",
                    "code": "justification_required",
                    "message": Msg(id="Wajib diisi: {why}.", en="Required: {why}.").format(why=why),
                }
            ],
        )

    decided_at = clock.now()
    decision = {
        "innovation_ids": innovation_ids,
        "honourable_mention_ids": honourable_mention_ids,
        "method": method,
        "justification": justification,
        "departs_from_ranking": difference.departs_from_ranking,
        "tie_at_cutoff": difference.tie_at_cutoff,
        # Names only: the manifest is given to the panel's judges (issue 10, #8).
        "decided_by": {"id": actor.id, "full_name": actor.full_name},
        "decided_at": decided_at.isoformat(),
    }
    manifest = manifest_service.build_manifest(
        competition=manifest_service.competition_settings(competition),
        inputs=inputs,
        method=method,
        seed=ranking.DEFAULT_SEED,
        bootstrap_samples=ranking.DEFAULT_SAMPLES,
        computed=computed,
        decision=decision,
        created_at=decided_at,
    )
    sha256 = manifest_service.manifest_sha256(manifest)

    nomination = get_nomination(session=session, competition=competition)
    before = _snapshot(nomination) if nomination else None
    if nomination is None:
        nomination = Nomination(competition_id=competition.id)
        session.add(nomination)
    nomination.innovation_ids = innovation_ids
    nomination.honourable_mention_ids = honourable_mention_ids
    nomination.method = method
    nomination.justification = justification
    nomination.manifest = manifest
    nomination.manifest_sha256 = sha256
    nomination.decided_by_id = actor.id
    nomination.created_at = decided_at
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="nomination.replace" if before else "nomination.save",
        entity_type="nomination",
        entity_id=nomination.id,
        competition_id=competition.id,
        before=before,
        after=_snapshot(nomination),
        reason=justification or None,
    )
    _set_statuses(
        session=session,
        actor=actor,
        competition=competition,
        nominated=set(innovation_ids) | set(honourable_mention_ids),
    )
    return nomination, difference


def _snapshot(nomination: Nomination) -> dict[str, Any]:
    return {
        "innovation_ids": list(nomination.innovation_ids),
        "honourable_mention_ids": list(nomination.honourable_mention_ids),
        "method": nomination.method,
        "manifest_sha256": nomination.manifest_sha256,
    }


def _set_statuses(
    *, session: Session, actor: User, competition: Competition, nominated: set[int]
) -> None:
    """Move every judged innovation to its status from the decision, through the status
    machine: one UPDATE per new status and one ``innovation.status.bulk`` audit event with
    every change, not an event per innovation (thousands of them at national scale)."""
    judged = session.scalars(
        select(Innovation.id)
        .where(
            Innovation.competition_id == competition.id,
            Innovation.status.in_(JUDGED_STATUSES),
        )
        .order_by(Innovation.id)
    ).all()
    lifecycle.move_many(
        session=session,
        actor=actor,
        competition_id=competition.id,
        targets={
            innovation_id: (
                InnovationStatus.NOMINATED
                if innovation_id in nominated
                else InnovationStatus.NOT_NOMINATED
            )
            for innovation_id in judged
        },
        action="innovation.status.bulk",
    )


def summary(nomination: Nomination) -> NominationOut:
    """The saved decision as the API shows it (without the manifest)."""
    decision = nomination.manifest.get("decision", {})
    return NominationOut(
        id=nomination.id,
        competition_id=nomination.competition_id,
        innovation_ids=list(nomination.innovation_ids),
        honourable_mention_ids=list(nomination.honourable_mention_ids),
        method=nomination.method,
        justification=nomination.justification,
        departs_from_ranking=bool(decision.get("departs_from_ranking", False)),
        tie_at_cutoff=bool(decision.get("tie_at_cutoff", False)),
        manifest_sha256=nomination.manifest_sha256,
        decided_by_id=nomination.decided_by_id,
        decided_at=nomination.created_at,
    )
