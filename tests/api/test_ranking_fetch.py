"""The ranking's score fetch: packed on the server (one value for every score) or, when a
score does not fit the packing, the plain rows — the same columns either way, on SQLite and
PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_criteria
from kipp.models import Competition, Role
from kipp.ranking import scores as ranking_scores
from kipp.ranking import service as ranking_service
from kipp.ranking.totals import IntArray
from tests.api.test_ranking import judged_competition
from tests.factories import Factory, auth_headers

KEYS = [c["key"] for c in default_criteria()]


def _fetch(session: Session, competition: Competition, *, packed: bool) -> IntArray | None:
    """The (innovation, judge, criterion index, value) rows, sorted; ``None`` when the
    packed fetch declines."""
    rubric = ranking_service.load_rubric(session=session, competition_id=competition.id)
    keys = tuple(r.key for r in rubric)
    scale = (min(r.min_score for r in rubric), max(r.max_score for r in rubric))
    connection = session.connection()
    if packed:
        columns = ranking_scores.packed_score_columns(
            connection, competition_id=competition.id, keys=keys, scale=scale
        )
    else:
        columns = ranking_scores.plain_score_columns(
            connection, competition_id=competition.id, keys=keys
        )
    if columns is None:
        return None
    return columns[np.lexsort(columns.T[::-1])]


def _scores(level: int, **changed: int) -> dict[str, int]:
    return {**dict.fromkeys(KEYS, level), **changed}


def test_the_packed_scores_are_the_plain_rows(session: Session, factory: Factory) -> None:
    judged = judged_competition(factory, levels=(9, 1, 10, 5), judges=4)
    competition, judges = judged.competition, judged.judges
    # Not in it: a draft sheet, and another competition's final one.
    draft = factory.innovation(competition, status="eligible")
    factory.add_scoresheet(draft, judges[0], 4, status="draft")
    other = judged_competition(factory, levels=(3,), judges=1)
    # In it: a key outside the rubric (a renamed criterion) comes as index -1.
    renamed = factory.innovation(competition, status="eligible")
    scores = _scores(7)
    scores["dihapus"] = scores.pop(KEYS[0])
    factory.add_scoresheet(renamed, judges[1], scores)

    packed = _fetch(session, competition, packed=True)
    plain = _fetch(session, competition, packed=False)
    assert packed is not None and plain is not None
    assert packed.dtype == np.int64 and packed.shape == (4 * 4 * 6 + 6, 4)
    np.testing.assert_array_equal(packed, plain)
    assert set(packed[:, 0].tolist()) == {i.id for i in judged.innovations} | {renamed.id}
    assert set(packed[:, 1].tolist()) == {j.id for j in judges}
    assert (packed[:, 2] == -1).sum() == 1
    assert set(packed[:, 3].tolist()) == {1, 5, 7, 9, 10}
    assert _fetch(session, other.competition, packed=True) is not None


def test_no_final_scores_is_an_empty_table(session: Session, factory: Factory) -> None:
    judged = judged_competition(factory, levels=())
    packed = _fetch(session, judged.competition, packed=True)
    assert packed is not None and packed.shape == (0, 4)


@pytest.mark.parametrize("value", [99, -3, 0, 11])
def test_a_score_outside_the_scale_is_refused_as_before(
    client: TestClient, session: Session, factory: Factory, value: int
) -> None:
    """Values the packing cannot hold (99, -3) make it decline and the plain rows are read;
    those it can (0 and 11: within the 4 bits of a 1-10 scale) come back exact; either way
    the ranking refuses the sheet with its usual 409."""
    judged = judged_competition(factory, levels=(9, 8, 7))
    factory.add_scoresheet(
        judged.innovations[0], factory.user(Role.JUDGE), _scores(5, **{KEYS[2]: value})
    )
    packed = _fetch(session, judged.competition, packed=True)
    plain = _fetch(session, judged.competition, packed=False)
    assert plain is not None and value in plain[:, 3].tolist()
    if value in (99, -3):
        assert packed is None
    else:
        assert packed is not None
        np.testing.assert_array_equal(packed, plain)
    response = client.get(
        f"/api/v1/competitions/{judged.competition.id}/ranking",
        headers=auth_headers(judged.admin),
    )
    assert response.status_code == 409, response.text
    assert "outside its criterion's scale" in response.json()["detail"]


def test_ids_too_wide_to_pack_are_read_as_plain_rows(
    client: TestClient, session: Session, factory: Factory
) -> None:
    """Innovation and user ids that need 31 bits each leave no room for the criterion and
    the value in 63: the plain rows are read and the ranking is the same."""
    judged = judged_competition(factory, levels=(6, 9), judges=2)
    wide_judge = factory.user(Role.JUDGE, id=2**30 + 7)
    factory.add_panel(judged.competition, [wide_judge])
    wide = factory.innovation(judged.competition, status="eligible", id=2**30 + 3)
    for judge in [*judged.judges, wide_judge]:
        factory.add_scoresheet(wide, judge, 8)
    for innovation in judged.innovations:
        factory.add_scoresheet(innovation, wide_judge, 5)
    assert _fetch(session, judged.competition, packed=True) is None
    response = client.get(
        f"/api/v1/competitions/{judged.competition.id}/ranking",
        headers=auth_headers(judged.admin),
    )
    assert response.status_code == 200, response.text
    entries = response.json()["entries"]
    # Means of the totals: 8, 8, 8 > 9, 9, 5 > 6, 6, 5.
    assert [e["innovation_id"] for e in entries] == [
        wide.id,
        judged.innovations[1].id,
        judged.innovations[0].id,
    ]
    assert [e["judge_count"] for e in entries] == [3, 3, 3]


def test_the_ranking_is_the_same_from_either_fetch(
    client: TestClient, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    judged = judged_competition(
        factory, levels=(9, 8, 8, 7, 6, 5, 4, 3), judges=4, aggregation_method="judge_effects"
    )
    url = f"/api/v1/competitions/{judged.competition.id}/ranking?samples=500"
    headers = auth_headers(judged.admin)
    packed = client.get(url, headers=headers)
    monkeypatch.setattr(ranking_scores, "packed_score_columns", lambda *a, **k: None)
    plain = client.get(url, headers=headers)
    assert packed.status_code == plain.status_code == 200
    assert packed.json() == plain.json()
