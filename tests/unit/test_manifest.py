"""The results manifest: canonical, hashed, and recomputable from its own scores."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter

from kipp.ranking import aggregation
from kipp.ranking import service as ranking
from kipp.results import manifest as manifests
from kipp.results.schemas import Manifest, ManifestRankingV1

CRITERIA = [("kebaruan", 25.0), ("efektivitas", 20.0), ("kemanfaatan", 20.0), ("teknis", 35.0)]


def _inputs(seed: int = 7) -> ranking.RankingInputs:
    rng = random.Random(seed)
    judges = [101, 102, 103, 104, 105]
    innovations = [
        ranking.InnovationInfo(id=i, title=f"Inovasi {i}", agency_code=f"AG{i % 4}")
        for i in range(1, 13)
    ]
    sheets = [
        aggregation.Scoresheet(
            innovation_id=innovation.id,
            judge_id=judge,
            scores={key: rng.randint(1, 10) for key, _ in CRITERIA},
        )
        for innovation in innovations[:-1]  # the last one stays unranked
        for judge in judges
        if (innovation.id + judge) % 5  # each judge sits some out
    ]
    return ranking.RankingInputs(
        top_n=4,
        min_judges=2,
        rubric=[
            ranking.RubricRow(key=k, name=k.title(), weight=w, min_score=1, max_score=10)
            for k, w in CRITERIA
        ],
        innovations=innovations,
        scoresheets=sheets,
        panel_judge_ids=judges,
        judge_names={j: f"Juri {j}" for j in judges},
    )


def _manifest(method: str = "zscore") -> dict[str, Any]:
    inputs = _inputs()
    computed = ranking.payload(
        ranking.compute(inputs, method=method, seed=11, bootstrap_samples=200), inputs
    )
    top = [e["innovation_id"] for e in computed.entries[:4]]
    return manifests.build_manifest(
        competition={"id": 1, "name": "KIPP Uji", "top_n": 4},
        inputs=inputs,
        method=method,
        seed=11,
        bootstrap_samples=200,
        computed=computed,
        decision={"innovation_ids": top, "honourable_mention_ids": [], "justification": ""},
        created_at=datetime(2021, 12, 1, 2, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("method", aggregation.METHODS)
def test_recomputing_from_the_manifest_gives_its_ranking(method: str) -> None:
    manifest = _manifest(method)
    assert manifests.recompute_ranking(manifest) == manifest["ranking"]
    assert manifest["ranking"]["unranked"][0]["innovation_id"] == 12
    check = manifests.verify_manifest(manifest, manifests.manifest_sha256(manifest))
    assert check.verified and check.sha256_matches and check.ranking_matches


def test_the_manifest_survives_a_json_round_trip() -> None:
    manifest = _manifest()
    sha256 = manifests.manifest_sha256(manifest)
    stored = json.loads(json.dumps(manifest))  # what a JSON/JSONB column gives back
    assert manifests.verify_manifest(stored, sha256).verified


def test_canonical_json_is_sorted_and_compact() -> None:
    text = manifests.canonical_json({"b": 1, "a": [1, 2], "é": "ü"}).decode()
    assert text == '{"a":[1,2],"b":1,"é":"ü"}'


def test_altering_one_score_breaks_verification() -> None:
    manifest = _manifest()
    sha256 = manifests.manifest_sha256(manifest)
    altered = copy.deepcopy(manifest)
    row = altered["scores"][17]
    row[3] = row[3] + 1 if row[3] < 10 else row[3] - 1
    check = manifests.verify_manifest(altered, sha256)
    assert not check.verified
    assert not check.ranking_matches
    assert not check.sha256_matches


def test_a_rehashed_forgery_still_fails_the_recomputation() -> None:
    """Someone who edits a score and recomputes the hash cannot make the ranking agree."""
    altered = copy.deepcopy(_manifest())
    altered["scores"][0][3] = 10 if altered["scores"][0][3] != 10 else 1
    check = manifests.verify_manifest(altered, manifests.manifest_sha256(altered))
    assert check.sha256_matches and not check.ranking_matches and not check.verified


def test_the_order_of_the_scores_does_not_matter_to_the_recomputation() -> None:
    manifest = _manifest()
    shuffled = copy.deepcopy(manifest)
    random.Random(3).shuffle(shuffled["scores"])
    assert manifests.recompute_ranking(shuffled) == manifest["ranking"]


def test_a_damaged_manifest_does_not_verify() -> None:
    manifest = _manifest()
    sha256 = manifests.manifest_sha256(manifest)
    del manifest["rubric"]
    assert not manifests.verify_manifest(manifest, sha256).verified


def test_new_manifests_are_format_2_with_the_new_figures() -> None:
    manifest = _manifest("judge_effects")
    assert manifest["format"] == "kipp.results-manifest/2"
    ranking_ = manifest["ranking"]
    assert ranking_["explanation"] and ranking_["uncertainty"]["draws"] == 200
    assert "krippendorffs_alpha" in ranking_["agreement"]
    check = manifests.verify_manifest(manifest, manifests.manifest_sha256(manifest))
    assert check.verified and check.not_rechecked == ()


def _as_format_1(manifest: dict[str, Any]) -> dict[str, Any]:
    """What the code before format 2 saved: no new fields, p_top, z values and W by the old
    rules (simulated here by other numbers)."""
    old = copy.deepcopy(manifest)
    old["format"] = "kipp.results-manifest/1"
    ranking_ = old["ranking"]
    for key in ("explanation", "uncertainty"):
        del ranking_[key]
    ranking_["agreement"] = {"kendalls_w": 0.123}
    for judge in ranking_["judges"]:
        for key in ("centre", "spread", "noise"):
            del judge[key]
    for entry in ranking_["entries"]:
        del entry["adjusted_score"], entry["calibration_moves"]
        entry["p_top"] = round(1 - entry["p_top"], 3)
        entry["calibrated_score"] += 0.5
    return old


@pytest.mark.parametrize("method", ["mean", "median"])
def test_a_format_1_manifest_verifies_what_did_not_change(method: str) -> None:
    old = _as_format_1(_manifest(method))
    check = manifests.verify_manifest(old, manifests.manifest_sha256(old))
    assert check.verified and check.ranking_matches
    unchecked = " ".join(check.not_rechecked)
    assert "p_top" in unchecked and "calibrated_score" in unchecked and "kendalls_w" in unchecked
    assert "order" not in unchecked  # mean and median: the order is re-checked
    # The API still shows its ranking exactly as hashed (the format-1 shape).
    shown = TypeAdapter(Manifest.model_fields["ranking"].annotation).validate_python(old["ranking"])
    assert isinstance(shown, ManifestRankingV1)
    assert shown.model_dump(mode="json") == old["ranking"]

    swapped = copy.deepcopy(old)  # a forged order does not pass
    entries = swapped["ranking"]["entries"]
    entries[0], entries[1] = entries[1], entries[0]
    assert not manifests.verify_manifest(swapped, manifests.manifest_sha256(swapped)).verified
    altered = copy.deepcopy(old)  # nor does an altered score
    altered["scores"][5][3] = 10 if altered["scores"][5][3] != 10 else 1
    assert not manifests.verify_manifest(altered, manifests.manifest_sha256(altered)).verified


@pytest.mark.parametrize("method", ["zscore", "trimmed_mean"])
def test_a_format_1_manifest_of_a_changed_method_says_the_order_was_not_rechecked(
    method: str,
) -> None:
    old = _as_format_1(_manifest(method))
    entries = old["ranking"]["entries"]
    entries[0], entries[1] = entries[1], entries[0]  # the old rules may have ordered otherwise
    check = manifests.verify_manifest(old, manifests.manifest_sha256(old))
    assert check.ranking_matches and check.not_rechecked[0].startswith("order, ranks and scores")
    altered = copy.deepcopy(old)  # the raw totals are still re-checked
    altered["scores"][5][3] = 10 if altered["scores"][5][3] != 10 else 1
    assert not manifests.verify_manifest(altered, manifests.manifest_sha256(altered)).verified
