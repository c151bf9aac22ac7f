"""The results manifest: canonical, hashed, and recomputable from its own scores."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from kipp.ranking import aggregation
from kipp.ranking import service as ranking
from kipp.results import manifest as manifests

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
    top = [e.innovation_id for e in computed.entries[:4]]
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
