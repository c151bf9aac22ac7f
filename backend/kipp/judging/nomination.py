"""The panel's TOP N decision: validation, preview, saving with a frozen results manifest.

The decision is compared with the computed ranking. Moving an innovation within an unresolved
tie is not a departure (the order inside a tie has no meaning); putting a lower-ranked
innovation above a higher-ranked one, or leaving out one ranked strictly better than one
taken, is — and needs a justification, as does any tie straddling the cut-off.

Saving freezes a manifest: the settings, rubric, parameters, every final score, the computed
ranking and the decision, as canonical JSON (sorted keys, no spaces) with its SHA-256. Anyone
allowed to read it can recompute the ranking from the manifest's own scores
(``verify_manifest``), so the published TOP N can be checked, not just trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

import kipp
from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import stages
from kipp.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from kipp.judging import ranking
from kipp.judging.assignments import JUDGED_STATUSES, is_on_panel
from kipp.models import Competition, Innovation, InnovationStatus, Nomination, Role, User
from kipp.ranking import aggregation

MANIFEST_FORMAT = "kipp.results-manifest/1"
SCORE_COLUMNS = ("innovation_id", "judge_id", "criterion_key", "value")


def nomination_blockers(*, session: Session, competition: Competition) -> list[dict[str, Any]]:
    """What stops the competition leaving the nomination stage (empty when nothing)."""
    if get_nomination(session=session, competition=competition) is None:
        return [
            {
                "code": "nomination_missing",
                "message": "No TOP N decision has been recorded",
                "count": 1,
                "ids": [],
            }
        ]
    return []


def get_nomination(*, session: Session, competition: Competition) -> Nomination | None:
    return session.scalar(select(Nomination).where(Nomination.competition_id == competition.id))


def ensure_can_read_decision(*, session: Session, competition: Competition, user: User) -> None:
    """The saved decision: admins; panel judges of a published competition. Others 403/404."""
    if user.role == Role.ADMIN:
        return
    if not competition.published:  # before the role check: a 403 would confirm the id
        raise NotFound(f"Competition {competition.id} does not exist.")
    if user.role != Role.JUDGE:
        raise Forbidden(
            "Only the organising team and the panel see the decision before it is announced."
        )
    if not is_on_panel(session=session, competition_id=competition.id, judge_id=user.id):
        raise NotFound(f"Competition {competition.id} does not exist.")


def require_nomination(*, session: Session, competition: Competition) -> Nomination:
    nomination = get_nomination(session=session, competition=competition)
    if nomination is None:
        raise NotFound("No TOP N decision has been recorded for this competition.")
    return nomination


# --------------------------------------------------------------------------- the decision


def _field_problems(
    field: str, ids: list[int], ranked: set[int], unranked: set[int]
) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    seen: set[int] = set()
    for index, innovation_id in enumerate(ids):
        where = f"{field}.{index}"
        if innovation_id in seen:
            problems.append(
                {"field": where, "message": f"innovation {innovation_id} is listed twice"}
            )
        elif innovation_id in unranked:
            problems.append(
                {
                    "field": where,
                    "message": f"innovation {innovation_id} is unranked (too few final scoresheets)",
                }
            )
        elif innovation_id not in ranked:
            problems.append(
                {
                    "field": where,
                    "message": f"innovation {innovation_id} is not an eligible innovation of this competition",
                }
            )
        seen.add(innovation_id)
    return problems


def decision_problems(
    *,
    computed: dict[str, Any],
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    honourable_mentions_allowed: int,
) -> list[dict[str, str]]:
    """Every way the decision breaks the rules, as ``{field, message}`` (empty when valid)."""
    ranked = {e["innovation_id"] for e in computed["entries"]}
    unranked = {u["innovation_id"] for u in computed["unranked"]}
    places = min(computed["top_n"], len(ranked))
    problems: list[dict[str, str]] = []
    if not ranked:
        return [{"field": "innovation_ids", "message": "no innovation is ranked yet"}]
    if len(innovation_ids) != places:
        problems.append(
            {
                "field": "innovation_ids",
                "message": f"must list exactly {places} innovations (TOP {computed['top_n']}, "
                f"{len(ranked)} ranked); {len(innovation_ids)} given",
            }
        )
    problems += _field_problems("innovation_ids", innovation_ids, ranked, unranked)
    if len(honourable_mention_ids) > honourable_mentions_allowed:
        problems.append(
            {
                "field": "honourable_mention_ids",
                "message": f"at most {honourable_mentions_allowed} honourable mentions "
                f"(the competition's setting); {len(honourable_mention_ids)} given",
            }
        )
    problems += _field_problems("honourable_mention_ids", honourable_mention_ids, ranked, unranked)
    top = set(innovation_ids)
    for index, innovation_id in enumerate(honourable_mention_ids):
        if innovation_id in top:
            problems.append(
                {
                    "field": f"honourable_mention_ids.{index}",
                    "message": f"innovation {innovation_id} is already in the TOP N",
                }
            )
    return problems


def compare(
    *, computed: dict[str, Any], innovation_ids: list[int], honourable_mention_ids: list[int]
) -> dict[str, Any]:
    """How a (valid) decision differs from the computed ranking."""
    entries = {e["innovation_id"]: e for e in computed["entries"]}
    position = {e["innovation_id"]: p for p, e in enumerate(computed["entries"], start=1)}
    computed_top = [e["innovation_id"] for e in computed["entries"] if e["in_top"]]
    in_computed_top = set(computed_top)
    chosen = set(innovation_ids)

    def line(place: int, innovation_id: int) -> dict[str, Any]:
        entry = entries[innovation_id]
        return {
            "position": place,
            "innovation_id": innovation_id,
            "title": entry["title"],
            "agency_code": entry["agency_code"],
            "computed_rank": entry["rank"],
            "computed_position": position[innovation_id],
        }

    top: list[dict[str, Any]] = []
    for place, innovation_id in enumerate(innovation_ids, start=1):
        was = position[innovation_id]
        if innovation_id not in in_computed_top:
            change = "added"
        elif was == place:
            change = "same"
        else:
            change = "up" if place < was else "down"
        top.append({**line(place, innovation_id), "change": change})
    dropped = [line(0, i) for i in computed_top if i not in chosen]
    for item in dropped:
        del item["position"]

    ranks = [entries[i]["rank"] for i in innovation_ids]
    omitted_ranks = [e["rank"] for i, e in entries.items() if i not in chosen]
    out_of_order = any(a > b for a, b in pairwise(ranks))
    better_left_out = bool(ranks and omitted_ranks and min(omitted_ranks) < max(ranks))
    departs = out_of_order or better_left_out
    tie_at_cutoff = bool(computed["tie_at_cutoff"])
    return {
        "method": computed["method"],
        "top_n": computed["top_n"],
        "tie_at_cutoff": tie_at_cutoff,
        "departs_from_ranking": departs,
        "justification_required": departs or tie_at_cutoff,
        "computed_top": computed_top,
        "top": top,
        "honourable_mentions": [
            line(place, i) for place, i in enumerate(honourable_mention_ids, start=1)
        ],
        "moved_up": [t["innovation_id"] for t in top if t["change"] == "up"],
        "moved_down": [t["innovation_id"] for t in top if t["change"] == "down"],
        "added": [t["innovation_id"] for t in top if t["change"] == "added"],
        "dropped": dropped,
    }


def _evaluate(
    *,
    session: Session,
    competition: Competition,
    innovation_ids: list[int],
    honourable_mention_ids: list[int],
    method: str,
) -> tuple[ranking.RankingInputs, dict[str, Any], dict[str, Any]]:
    stages_current = competition.current_stage
    if stages_current != "nomination":
        raise InvalidTransition(
            "The TOP N is decided in the nomination stage; the competition is in the "
            f"{stages_current} stage."
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
        raise ValidationFailed("The decision is not valid.", errors=problems)
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
) -> dict[str, Any]:
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
) -> tuple[Nomination, dict[str, Any]]:
    """Record (or, still in the nomination stage, replace) the TOP N decision.

    Freezes the manifest, sets the judged innovations' statuses (the TOP N and honourable
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
    if difference["justification_required"] and not justification:
        why = (
            "the order departs from the computed ranking"
            if difference["departs_from_ranking"]
            else "a tie straddles the TOP N cut-off"
        )
        raise ValidationFailed(
            f"A justification is required: {why}.",
            errors=[{"field": "justification", "message": f"required: {why}"}],
        )
    decided_at = clock.now()
    decision = {
        "innovation_ids": innovation_ids,
        "honourable_mention_ids": honourable_mention_ids,
        "method": method,
        "justification": justification,
        "departs_from_ranking": difference["departs_from_ranking"],
        "tie_at_cutoff": difference["tie_at_cutoff"],
        "decided_by": {"id": actor.id, "email": actor.email},
        "decided_at": decided_at.isoformat(),
    }
    manifest = build_manifest(
        competition=competition_settings(competition),
        inputs=inputs,
        method=method,
        seed=ranking.DEFAULT_SEED,
        bootstrap_samples=ranking.DEFAULT_SAMPLES,
        computed=computed,
        decision=decision,
        created_at=decided_at,
    )
    sha256 = manifest_sha256(manifest)

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
    """Set every judged innovation's status from the decision: one UPDATE per new status and
    one audit event with every change (``{"statuses": {id: status}}`` before → after), not an
    event per innovation: thousands of them at national scale."""
    current = session.execute(
        select(Innovation.id, Innovation.status)
        .where(
            Innovation.competition_id == competition.id,
            Innovation.status.in_(JUDGED_STATUSES),
        )
        .order_by(Innovation.id)
    ).all()
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    moves: dict[InnovationStatus, list[int]] = {}
    for innovation_id, status in current:
        target = (
            InnovationStatus.NOMINATED
            if innovation_id in nominated
            else InnovationStatus.NOT_NOMINATED
        )
        if status == target:
            continue
        before[str(innovation_id)] = status
        after[str(innovation_id)] = target.value
        moves.setdefault(target, []).append(innovation_id)
    if not moves:
        return
    for target, ids in moves.items():
        session.execute(
            update(Innovation)
            .where(Innovation.id.in_(ids))
            .values(status=target.value, version=Innovation.version + 1)
        )
    audit_service.record(
        session=session,
        actor=actor,
        action="innovation.status.bulk",
        entity_type="innovation",
        entity_id=None,
        competition_id=competition.id,
        before={"statuses": before},
        after={"statuses": after},
    )


# --------------------------------------------------------------------------- the manifest


def competition_settings(competition: Competition) -> dict[str, Any]:
    return {
        "id": competition.id,
        "name": competition.name,
        "year": competition.year,
        "level": competition.level,
        "region": competition.region,
        "timezone": competition.timezone,
        "top_n": competition.top_n,
        "honourable_mentions": competition.honourable_mentions,
        "min_judges": competition.min_judges,
        "aggregation_method": competition.aggregation_method,
        "objection_days": competition.objection_days,
    }


def build_manifest(
    *,
    competition: dict[str, Any],
    inputs: ranking.RankingInputs,
    method: str,
    seed: int,
    bootstrap_samples: int,
    computed: dict[str, Any],
    decision: dict[str, Any],
    created_at: datetime,
) -> dict[str, Any]:
    """Everything needed to recompute and check the decision, as plain JSON data."""
    scores = sorted(
        [s.innovation_id, s.judge_id, key, value]
        for s in inputs.scoresheets
        for key, value in s.scores.items()
    )
    return {
        "format": MANIFEST_FORMAT,
        "kipp_version": kipp.__version__,
        "created_at": created_at.isoformat(),
        "competition": competition,
        "rubric": [
            {
                "key": r.key,
                "name": r.name,
                "weight": r.weight,
                "min_score": r.min_score,
                "max_score": r.max_score,
            }
            for r in inputs.rubric
        ],
        "method": method,
        "parameters": {
            "seed": seed,
            "bootstrap_samples": bootstrap_samples,
            "min_judges": inputs.min_judges,
            "top_n": inputs.top_n,
        },
        "panel_judge_ids": sorted(inputs.panel_judge_ids),
        "judges": [
            {"id": judge_id, "full_name": name}
            for judge_id, name in sorted(inputs.judge_names.items())
        ],
        "innovations": [
            {"id": i.id, "title": i.title, "agency_code": i.agency_code} for i in inputs.innovations
        ],
        "score_columns": list(SCORE_COLUMNS),
        "scores": scores,
        "ranking": computed,
        "decision": decision,
    }


def canonical_json(manifest: dict[str, Any]) -> bytes:
    return json.dumps(
        manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def manifest_sha256(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(manifest)).hexdigest()


def inputs_from_manifest(manifest: dict[str, Any]) -> ranking.RankingInputs:
    """The ranking's inputs as the manifest froze them."""
    parameters = manifest["parameters"]
    rows = [tuple(row) for row in manifest["scores"]]
    return ranking.RankingInputs(
        top_n=int(parameters["top_n"]),
        min_judges=int(parameters["min_judges"]),
        rubric=[
            ranking.RubricRow(
                key=r["key"],
                name=r["name"],
                weight=float(r["weight"]),
                min_score=int(r["min_score"]),
                max_score=int(r["max_score"]),
            )
            for r in manifest["rubric"]
        ],
        innovations=[
            ranking.InnovationInfo(id=int(i["id"]), title=i["title"], agency_code=i["agency_code"])
            for i in manifest["innovations"]
        ],
        scoresheets=ranking.sheets_from_rows(rows),
        panel_judge_ids=[int(j) for j in manifest["panel_judge_ids"]],
        judge_names={int(j["id"]): j["full_name"] for j in manifest["judges"]},
    )


@dataclass(frozen=True)
class ManifestCheck:
    sha256_matches: bool  # the stored manifest is the one that was hashed
    ranking_matches: bool  # recomputing from its own scores gives its ranking

    @property
    def verified(self) -> bool:
        return self.sha256_matches and self.ranking_matches


def recompute_ranking(manifest: dict[str, Any]) -> dict[str, Any]:
    with ranking.gc_paused():
        return _recompute_ranking(manifest)


def _recompute_ranking(manifest: dict[str, Any]) -> dict[str, Any]:
    inputs = inputs_from_manifest(manifest)
    parameters = manifest["parameters"]
    result = aggregation.compute_ranking(
        innovation_ids=[i.id for i in inputs.innovations],
        criteria=inputs.criteria,
        scoresheets=inputs.scoresheets,
        method=manifest["method"],
        top_n=inputs.top_n,
        min_judges=inputs.min_judges,
        panel_judge_ids=inputs.panel_judge_ids,
        bootstrap_samples=int(parameters["bootstrap_samples"]),
        seed=int(parameters["seed"]),
    )
    return ranking.payload(result, inputs)


def verify_manifest(manifest: dict[str, Any], sha256: str) -> ManifestCheck:
    """Check the hash, and recompute the ranking from the manifest's own scores."""
    try:
        sha256_matches = manifest_sha256(manifest) == sha256
    except (TypeError, ValueError):
        sha256_matches = False
    try:
        ranking_matches = recompute_ranking(manifest) == manifest["ranking"]
    except (KeyError, TypeError, ValueError):  # a damaged manifest cannot verify
        ranking_matches = False
    return ManifestCheck(sha256_matches=sha256_matches, ranking_matches=ranking_matches)


def ensure_can_read_manifest(
    *, session: Session, competition: Competition, user: User | None
) -> None:
    """Admins, and panel judges from the nomination stage on; everyone else 404.

    The manifest holds every judge's scores, which innovators and the public never see; the
    public results carry its SHA-256 instead."""
    if user is not None and user.role == Role.ADMIN:
        return
    if (
        user is not None
        and user.role == Role.JUDGE
        and competition.published
        and stages.reached(competition.current_stage, "nomination")
        and is_on_panel(session=session, competition_id=competition.id, judge_id=user.id)
    ):
        return
    raise NotFound("The results manifest is not available.")


def summary(nomination: Nomination) -> dict[str, Any]:
    """The saved decision as the API shows it (without the manifest)."""
    decision = nomination.manifest.get("decision", {})
    return {
        "id": nomination.id,
        "competition_id": nomination.competition_id,
        "innovation_ids": list(nomination.innovation_ids),
        "honourable_mention_ids": list(nomination.honourable_mention_ids),
        "method": nomination.method,
        "justification": nomination.justification,
        "departs_from_ranking": bool(decision.get("departs_from_ranking", False)),
        "tie_at_cutoff": bool(decision.get("tie_at_cutoff", False)),
        "manifest_sha256": nomination.manifest_sha256,
        "decided_by_id": nomination.decided_by_id,
        "decided_at": nomination.created_at,
    }


def manifest_view(nomination: Nomination) -> dict[str, Any]:
    check = verify_manifest(nomination.manifest, nomination.manifest_sha256)
    return {
        "sha256": nomination.manifest_sha256,
        "verified": check.verified,
        "checks": {
            "sha256_matches": check.sha256_matches,
            "ranking_matches": check.ranking_matches,
        },
        "manifest": nomination.manifest,
    }
