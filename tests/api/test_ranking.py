"""GET /competitions/{cid}/ranking: the computed ranking and who may read it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.demo import data
from kipp.models import Competition, Innovation, Role, Scoresheet, Stage, User
from tests.factories import Factory, auth_headers


@dataclass
class Judged:
    competition: Competition
    judges: list[User]
    innovations: list[Innovation]
    admin: User


def judged_competition(
    factory: Factory,
    *,
    stage: str = "nomination",
    levels: tuple[int, ...] = (9, 8, 7, 6, 5, 4),
    judges: int = 3,
    **fields: object,
) -> Judged:
    """A published competition with a panel, the default rubric and eligible innovations.

    Innovation k gets ``levels[k]`` on every criterion from every judge (final sheets), so
    the computed order is ``levels`` descending; ``top_n`` defaults to 3, the method to
    ``mean`` (a competition from before ``judge_effects`` became the default).
    """
    competition = factory.competition(
        current_stage=stage, **{"top_n": 3, "aggregation_method": "mean", **fields}
    )
    factory.add_default_criteria(competition)
    panel = [factory.user(Role.JUDGE, full_name=f"Juri {n}") for n in range(1, judges + 1)]
    factory.add_panel(competition, panel)
    agency = factory.agency()
    innovations = []
    for level in levels:
        innovation = factory.innovation(competition, agency=agency, status="eligible")
        for judge in panel:
            factory.add_scoresheet(innovation, judge, level)
        innovations.append(innovation)
    return Judged(competition, panel, innovations, factory.admin())


def _url(judged: Judged) -> str:
    return f"/api/v1/competitions/{judged.competition.id}/ranking"


def test_admin_reads_the_ranking(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, levels=(5, 9, 7, 8))
    unscored = factory.innovation(judged.competition, status="eligible")
    draft_only = factory.innovation(judged.competition, status="eligible")
    factory.add_scoresheet(draft_only, judged.judges[0], 10, status="draft")
    factory.innovation(judged.competition, status="ineligible")  # never ranked nor listed

    response = client.get(_url(judged), headers=auth_headers(judged.admin))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "mean" and body["top_n"] == 3
    assert body["seed"] == 20211201 and body["bootstrap_samples"] == 1000
    order = [e["innovation_id"] for e in body["entries"]]
    ids = [i.id for i in judged.innovations]
    assert order == [ids[1], ids[3], ids[2], ids[0]]
    first = body["entries"][0]
    assert first["rank"] == 1 and first["in_top"] and not first["tie"]
    assert first["score"] == first["raw_score"] == pytest.approx(800 / 9)
    assert first["judge_count"] == 3 and first["judge_totals"] == [pytest.approx(800 / 9)] * 3
    assert next(iter(first["criteria"])) == "kebaruan"
    assert first["title"] == judged.innovations[1].title and first["agency_code"]
    assert [e["in_top"] for e in body["entries"]] == [True, True, True, False]
    assert sum(e["p_top"] for e in body["entries"]) == pytest.approx(3)
    assert {u["innovation_id"] for u in body["unranked"]} == {unscored.id, draft_only.id}
    assert all(u["judge_count"] == 0 for u in body["unranked"])
    assert [j["full_name"] for j in body["judges"]] == ["Juri 1", "Juri 2", "Juri 3"]
    assert body["judges"][0]["scored"] == 4 and body["judges"][0]["offset"] == 0
    assert body["agreement"]["kendalls_w"] == pytest.approx(1.0)


def test_another_organisations_agency_is_named_with_its_region(
    client: TestClient, factory: Factory
) -> None:
    # Promoted proposals keep their agency, of the organisation below: its code alone
    # could be any regency's "DINKES".
    judged = judged_competition(factory, levels=(9, 8))
    home = factory.agency(code="DINKES")
    below = factory.organisation(region="Luwu Utara")
    unnamed = factory.organisation(region="", name="Pemerintah Kota Palopo")
    for agency, level in (
        (home, 7),
        (factory.agency(code="DINKES", organisation_id=below.id), 6),
        (factory.agency(code="DINKES", organisation_id=unnamed.id), 5),
    ):
        innovation = factory.innovation(judged.competition, agency=agency, status="eligible")
        for judge in judged.judges:
            factory.add_scoresheet(innovation, judge, level)
    factory.innovation(
        judged.competition,
        agency=factory.agency(code="DLH", organisation_id=below.id),
        status="eligible",
    )

    body = client.get(_url(judged), headers=auth_headers(judged.admin)).json()
    assert [e["agency_code"] for e in body["entries"][2:]] == [
        "DINKES",
        "DINKES · Luwu Utara",
        "DINKES · Pemerintah Kota Palopo",
    ]
    assert [u["agency_code"] for u in body["unranked"]] == ["DLH · Luwu Utara"]


def test_method_seed_and_samples_are_echoed(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, aggregation_method="median")
    headers = auth_headers(judged.admin)
    assert client.get(_url(judged), headers=headers).json()["method"] == "median"
    body = client.get(
        _url(judged), params={"method": "zscore", "seed": 7, "samples": 100}, headers=headers
    ).json()
    assert (body["method"], body["seed"], body["bootstrap_samples"]) == ("zscore", 7, 100)
    assert body["entries"][0]["score"] == body["entries"][0]["calibrated_score"]


def test_zscore_corrects_a_lenient_judge(client: TestClient, factory: Factory) -> None:
    """A innovation missing the lenient judge wins under zscore, not under mean."""
    competition = factory.competition(
        current_stage="nomination", top_n=1, aggregation_method="mean"
    )
    factory.add_default_criteria(competition)
    harsh, fair, lenient = (factory.user(Role.JUDGE) for _ in range(3))
    factory.add_panel(competition, [harsh, fair, lenient])
    a, b, c = (factory.innovation(competition, status="eligible") for _ in range(3))
    for judge, scores in ((harsh, (5, 4, 3)), (fair, (6, 5, 4))):
        for innovation, score in zip((a, b, c), scores, strict=True):
            factory.add_scoresheet(innovation, judge, score)
    factory.add_scoresheet(b, lenient, 10)
    factory.add_scoresheet(c, lenient, 9)
    headers = auth_headers(factory.admin())
    url = f"/api/v1/competitions/{competition.id}/ranking"
    mean = client.get(url, headers=headers).json()
    zscore = client.get(url, params={"method": "zscore"}, headers=headers).json()
    assert mean["entries"][0]["innovation_id"] == b.id
    assert zscore["entries"][0]["innovation_id"] == a.id
    lenient_stats = next(j for j in mean["judges"] if j["judge_id"] == lenient.id)
    assert lenient_stats["offset"] > 0


def test_tie_at_the_cutoff_is_flagged(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, levels=(9, 8, 7, 7, 5))
    body = client.get(_url(judged), headers=auth_headers(judged.admin)).json()
    assert body["tie_at_cutoff"] is True
    assert [e["rank"] for e in body["entries"]] == [1, 2, 3, 3, 5]
    assert [e["tie"] for e in body["entries"]] == [False, False, True, True, False]


@pytest.mark.parametrize(
    "params",
    [
        {"method": "best"},
        {"samples": 99},
        {"samples": 10001},
        {"seed": -1},
    ],
)
def test_bad_parameters_are_problem_json(
    client: TestClient, factory: Factory, params: dict[str, object]
) -> None:
    judged = judged_competition(factory)
    response = client.get(_url(judged), params=params, headers=auth_headers(judged.admin))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == next(iter(params))


def test_who_may_read_the_ranking(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory)
    url = _url(judged)
    team_member = factory.user(Role.INNOVATOR)
    judged.innovations[0].team = [team_member]
    factory.session.flush()
    assert client.get(url).status_code == 401
    for user in (
        team_member,
        factory.user(Role.INNOVATOR),
        factory.user(Role.AGENCY_ADMIN, agency_id=judged.innovations[0].agency_id),
        factory.user(Role.AGENCY_ADMIN),
    ):
        assert client.get(url, headers=auth_headers(user)).status_code == 403, user.role
    assert client.get(url, headers=auth_headers(factory.user(Role.JUDGE))).status_code == 404
    assert client.get(url, headers=auth_headers(judged.judges[0])).status_code == 200
    missing = "/api/v1/competitions/999999/ranking"
    assert client.get(missing, headers=auth_headers(judged.admin)).status_code == 404


@pytest.mark.parametrize("stage", ["submission", "administrative", "presentation"])
def test_judges_see_the_ranking_only_from_nomination_on(
    client: TestClient, factory: Factory, stage: str
) -> None:
    judged = judged_competition(factory, stage=stage)
    assert client.get(_url(judged), headers=auth_headers(judged.judges[0])).status_code == 403
    assert client.get(_url(judged), headers=auth_headers(judged.admin)).status_code == 200


def test_judges_of_an_unpublished_competition_get_404(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, published=False)
    assert client.get(_url(judged), headers=auth_headers(judged.judges[0])).status_code == 404


def test_announcement_stage_judges_still_read(client: TestClient, factory: Factory) -> None:
    judged = judged_competition(factory, stage="announcement")
    assert client.get(_url(judged), headers=auth_headers(judged.judges[1])).status_code == 200


def test_the_demo_ranks_luwu_utara_2021_with_simulated_scores(
    client: TestClient, session: Session
) -> None:
    from kipp import clock
    from kipp.demo import seed

    seed.seed_demo(session=session)
    assert seed.seed_demo(session=session).created == {}
    demo = session.scalar(
        select(Competition).where(Competition.name == data.COMPETITION_2021["name"])
    )
    assert demo is not None and demo.current_stage == "nomination"
    assert "simulasi" in demo.description and "simulated" in demo.description
    sheets = session.scalars(select(Scoresheet).where(Scoresheet.competition_id == demo.id)).all()
    assert len(sheets) == 19 * 6 - 11  # every judge sits out their own agency's innovations
    assert {s.status for s in sheets} == {"final"}
    admin = seed.demo_logins()[0]
    token = client.post(
        "/api/v1/auth/token", data={"username": admin.email, "password": admin.password}
    ).json()["access_token"]
    body = client.get(
        f"/api/v1/competitions/{demo.id}/ranking",
        params={"method": "zscore"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert len(body["entries"]) == 19 and body["unranked"] == []
    assert len(body["judges"]) == 6 and 0 < body["agreement"]["kendalls_w"] <= 1

    year = clock.now().year
    current = session.scalar(
        select(Competition).where(Competition.name == data.current_competition(year)["name"])
    )
    if current is None:  # seeded just before midnight WITA on New Year's Eve
        current = session.scalar(select(Competition).where(Competition.year == year + 1))
    assert current is not None and current.current_stage == "submission" and current.published
    window = session.scalar(
        select(Stage).where(Stage.competition_id == current.id, Stage.key == "submission")
    )
    assert window is not None and window.starts_at < clock.now() < window.ends_at


def test_an_unpublished_competition_is_404_for_every_role_but_the_admin(
    client: TestClient, factory: Factory
) -> None:
    """Not 403 for the proposing roles: that would confirm the unpublished competition's id
    (a missing id is 404)."""
    judged = judged_competition(factory, published=False)
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        response = client.get(_url(judged), headers=auth_headers(factory.user(role)))
        assert response.status_code == 404, role
    assert client.get(_url(judged), headers=auth_headers(judged.admin)).status_code == 200


def test_new_competitions_rank_by_judge_effects_with_every_figure(
    client: TestClient, factory: Factory
) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    judged = judged_competition(factory, aggregation_method="judge_effects", levels=(9, 8, 7, 6))
    lenient = factory.user(Role.JUDGE, full_name="Juri Murah")
    factory.add_panel(judged.competition, [lenient])
    factory.add_scoresheet(judged.innovations[3], lenient, 10)  # lifts the 4th to the line
    body = client.get(_url(judged), headers=auth_headers(judged.admin)).json()
    assert body["method"] == "judge_effects"
    assert "juri rata-rata" in body["explanation"] and "1.000" in body["explanation"]
    # Only one innovation has every panel judge: W cannot say; alpha uses every sheet.
    assert body["agreement"]["kendalls_w_innovations"] == 1
    assert body["agreement"]["kendalls_w"] is None
    assert 0 < body["agreement"]["krippendorffs_alpha"] <= 1
    uncertainty = body["uncertainty"]
    assert uncertainty["draws"] == 1000 and 0 <= uncertainty["p_exact_top"] <= 1
    assert uncertainty["expected_top_overlap"] == pytest.approx(
        sum(e["p_top"] for e in body["entries"] if e["in_top"])
    )
    judge = next(j for j in body["judges"] if j["full_name"] == "Juri Murah")
    assert judge["centre"] is not None and judge["spread"] > 0 and judge["noise"] > 0
    fourth = next(e for e in body["entries"] if e["innovation_id"] == judged.innovations[3].id)
    assert fourth["adjusted_score"] == fourth["score"] and fourth["raw_score"] > fourth["score"]
    moves = fourth["calibration_moves"]
    assert moves and moves[0]["full_name"] == "Juri Murah" and moves[0]["points"] < 0
    assert all(set(m) == {"judge_id", "full_name", "points"} for m in moves)

    english = client.get(
        _url(judged), headers={**auth_headers(judged.admin), "Accept-Language": "en-GB,id;q=0.5"}
    ).json()
    assert "average judge" in english["explanation"] and "1,000" in english["explanation"]
    mean = client.get(_url(judged), params={"method": "mean"}, headers=auth_headers(judged.admin))
    assert all(e["calibration_moves"] == [] for e in mean.json()["entries"])


def test_a_new_competition_defaults_to_judge_effects(client: TestClient, factory: Factory) -> None:
    assert factory.competition().aggregation_method == "judge_effects"
