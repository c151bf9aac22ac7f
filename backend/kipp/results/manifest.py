"""The results manifest: the TOP N decision frozen with everything needed to check it.

Saving a decision freezes the settings, rubric, parameters, every final score, the computed
ranking and the decision, as canonical JSON (sorted keys, no spaces) with its SHA-256. Anyone
allowed to read it can recompute the ranking from the manifest's own scores
(``verify_manifest``), so the published TOP N can be checked, not just trusted.

The manifest stays plain JSON data here (its bytes are what is hashed); ``manifest_view``
types it at the edge.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

import kipp
from kipp import policy
from kipp.errors import Conflict
from kipp.i18n import Msg
from kipp.models import Competition, Nomination, User
from kipp.ranking import aggregation
from kipp.ranking import service as ranking
from kipp.ranking.schemas import RankingOut
from kipp.results.schemas import Manifest, ManifestChecks, ManifestOut

MANIFEST_FORMAT = "kipp.results-manifest/2"
# Format 1 (before judge_effects): its ranking came from rules that have changed since (see
# ``_V1_CHANGED``), so only the parts the current code computes the same way are re-checked.
MANIFEST_FORMAT_V1 = "kipp.results-manifest/1"
_V1_CHANGED = {
    "p_top": "p_top was drawn by the old bootstrap, which resampled each innovation on its "
    "own; today's draws share each judge's error across the innovations they scored, so the "
    "same scores give different p_top by design",
    "calibrated_score": "z values now pool a judge's sd with the panel's (a judge with few "
    "sheets no longer gets z = +-1 whatever the gap)",
    "kendalls_w": "Kendall's W is now tie-corrected",
}
_V1_ORDER_CHANGED = {
    "trimmed_mean": "trimmed_mean now trims a fifth from each end for every innovation (it "
    "trimmed 40 % at five judges and nothing at four)",
    "zscore": "zscore now pools a judge's sd with the panel's",
}
_V1_ENTRY_KEYS = ("raw_score", "judge_count", "criteria", "judge_totals")
_V1_ORDER_KEYS = ("rank", "score", "tie", "in_top")
_V1_JUDGE_KEYS = ("judge_id", "scored", "mean_total", "sd_total", "offset")
_V1_HEAD_KEYS = ("method", "top_n", "min_judges", "seed", "bootstrap_samples")
SCORE_COLUMNS = ("innovation_id", "judge_id", "criterion_key", "value")


def competition_settings(competition: Competition) -> dict[str, Any]:
    """The competition's settings the decision was made with."""
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
    computed: RankingOut,
    decision: dict[str, Any],
    created_at: datetime,
) -> dict[str, Any]:
    """Everything needed to recompute and check the decision, as plain JSON data."""
    scores = sorted([*row] for row in inputs.score_table.rows())
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
        "ranking": computed.model_dump(mode="json"),
        "decision": decision,
    }


def canonical_json(manifest: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes the SHA-256 is taken of."""
    return json.dumps(
        manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def manifest_sha256(manifest: dict[str, Any]) -> str:
    """The manifest's SHA-256 (hex) over its canonical JSON."""
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
        scoresheets=ranking.score_table_from_rows(
            rows, keys=[r["key"] for r in manifest["rubric"]]
        ),
        panel_judge_ids=[int(j) for j in manifest["panel_judge_ids"]],
        judge_names={int(j["id"]): j["full_name"] for j in manifest["judges"]},
    )


@dataclass(frozen=True)
class ManifestCheck:
    sha256_matches: bool  # the stored manifest is the one that was hashed
    ranking_matches: bool  # recomputing from its own scores gives its ranking (what is checked)
    not_rechecked: tuple[str, ...] = ()  # parts the current code cannot recompute, and why

    @property
    def verified(self) -> bool:
        return self.sha256_matches and self.ranking_matches


def recompute_ranking(manifest: dict[str, Any]) -> dict[str, Any]:
    """The ranking recomputed from the manifest's own scores, as the manifest stores it."""
    with ranking.gc_paused():
        return _recompute_ranking(manifest)


def _recompute_ranking(manifest: dict[str, Any]) -> dict[str, Any]:
    inputs = inputs_from_manifest(manifest)
    parameters = manifest["parameters"]
    result = aggregation.compute_ranking(
        innovation_ids=[i.id for i in inputs.innovations],
        criteria=inputs.criteria,
        scoresheets=inputs.score_table,
        method=manifest["method"],
        top_n=inputs.top_n,
        min_judges=inputs.min_judges,
        panel_judge_ids=inputs.panel_judge_ids,
        bootstrap_samples=int(parameters["bootstrap_samples"]),
        seed=int(parameters["seed"]),
    )
    return ranking.payload(result, inputs).model_dump(mode="json")


def _pick(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: data.get(key) for key in keys}


def compare_v1(stored: dict[str, Any], recomputed: dict[str, Any]) -> tuple[bool, list[str]]:
    """A format-1 ranking against today's recomputation, on what did not change.

    Every method: the ranked and unranked innovations, each entry's raw score, judge count,
    criteria means and judge totals, and each judge's count, mean, sd and offset. ``mean``
    and ``median`` (unchanged rules): also the order, ranks, scores, ties and the TOP N.
    Returns whether those agree and, in words, what was not re-checked and why.
    """
    method = stored["method"]
    not_rechecked = [f"{part}: {why}" for part, why in _V1_CHANGED.items()]
    order_keys: tuple[str, ...] = ()
    if method in _V1_ORDER_CHANGED:
        not_rechecked.insert(0, f"order, ranks and scores: {_V1_ORDER_CHANGED[method]}")
    else:
        order_keys = _V1_ORDER_KEYS
    matches = _pick(stored, _V1_HEAD_KEYS) == _pick(recomputed, _V1_HEAD_KEYS)
    if order_keys:
        matches &= stored["tie_at_cutoff"] == recomputed["tie_at_cutoff"]
        ids = [e["innovation_id"] for e in stored["entries"]]
        matches &= ids == [e["innovation_id"] for e in recomputed["entries"]]
    new_entries = {e["innovation_id"]: e for e in recomputed["entries"]}
    matches &= set(new_entries) == {e["innovation_id"] for e in stored["entries"]}
    keys = _V1_ENTRY_KEYS + order_keys
    matches &= all(
        _pick(e, keys) == _pick(new_entries.get(e["innovation_id"], {}), keys)
        for e in stored["entries"]
    )
    matches &= stored["unranked"] == recomputed["unranked"]
    matches &= [_pick(j, _V1_JUDGE_KEYS) for j in stored["judges"]] == [
        _pick(j, _V1_JUDGE_KEYS) for j in recomputed["judges"]
    ]
    return matches, not_rechecked


def verify_manifest(manifest: dict[str, Any], sha256: str) -> ManifestCheck:
    """Check the hash, and recompute the ranking from the manifest's own scores.

    Format 2 must recompute exactly; format 1 on what today's rules compute the same way
    (``compare_v1``), the rest listed in ``not_rechecked``.
    """
    try:
        sha256_matches = manifest_sha256(manifest) == sha256
    except (TypeError, ValueError):
        sha256_matches = False
    not_rechecked: list[str] = []
    try:
        recomputed = recompute_ranking(manifest)
        if manifest.get("format") == MANIFEST_FORMAT_V1:
            ranking_matches, not_rechecked = compare_v1(manifest["ranking"], recomputed)
        else:
            ranking_matches = recomputed == manifest["ranking"]
    except (KeyError, TypeError, ValueError, AttributeError):  # damaged: cannot verify
        ranking_matches = False
    return ManifestCheck(
        sha256_matches=sha256_matches,
        ranking_matches=ranking_matches,
        not_rechecked=tuple(not_rechecked),
    )


# Personal data that manifests saved before names-only hold, which only an admin may see:
# the path of each key. New manifests name the decider instead (issue 10, #8).
ADMIN_ONLY_KEYS = (("decision", "decided_by", "email"),)


def without_admin_only_keys(manifest: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The manifest without ``ADMIN_ONLY_KEYS``, and the dotted paths it left out. Copies only
    the dicts on each path (the scores are shared, not copied); the stored one is untouched."""
    shown = dict(manifest)
    redacted: list[str] = []
    for *parents, key in ADMIN_ONLY_KEYS:
        holder = shown
        for name in parents:
            child = holder.get(name)
            if not isinstance(child, dict):
                break  # a damaged manifest: its validation says so
            holder[name] = dict(child)
            holder = holder[name]
        else:
            if key in holder:
                del holder[key]
                redacted.append(".".join([*parents, key]))
    return shown, redacted


def manifest_view(
    nomination: Nomination, *, reader: User | None, competition_organisation_id: int
) -> ManifestOut:
    """The stored manifest, its hash and the verification; 409 when it lost its shape.

    The hash and the recomputation are checked on the stored manifest, as it was hashed;
    anyone but the organising team is shown it without ``ADMIN_ONLY_KEYS`` (listed in ``redacted``)."""
    check = verify_manifest(nomination.manifest, nomination.manifest_sha256)
    shown: dict[str, Any] = nomination.manifest
    redacted: list[str] = []
    if not policy.manages(reader, competition_organisation_id):
        shown, redacted = without_admin_only_keys(nomination.manifest)
    try:
        manifest = Manifest.model_validate(shown)
    except ValidationError as exc:
        raise Conflict(
            Msg(
                id="Manifes hasil yang tersimpan rusak: bentuknya bukan lagi manifes ({count} "
                "masalah), sehingga tidak dapat ditampilkan atau diverifikasi.",
                en="The stored results manifest is damaged: it no longer has a manifest's shape "
                "({count} problems), so it cannot be shown or verified.",
            ).format(count=exc.error_count())
        ) from exc

    return ManifestOut(
        sha256=nomination.manifest_sha256,
        verified=check.verified,
        checks=ManifestChecks(
            sha256_matches=check.sha256_matches,
            ranking_matches=check.ranking_matches,
            not_rechecked=list(check.not_rechecked),
        ),
        manifest=manifest,
        redacted=redacted,
    )
