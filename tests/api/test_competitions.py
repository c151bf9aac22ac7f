"""Competitions: create, read, change (windows too), publish, and the stage machine's advance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.competitions import service as competition_service
from kipp.competitions.defaults import (
    STAGE_KEYS,
    STAGE_NAMES,
    default_admin_checklist,
    default_criteria,
    default_proposal_template,
)
from kipp.errors import WindowClosed
from kipp.models import (
    AuditEvent,
    Competition,
    Criterion,
    Nomination,
    PanelMember,
    Role,
    Scoresheet,
    Stage,
)
from tests.factories import Factory, auth_headers

URL = "/api/v1/competitions"
REFUSED_ROLES = (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE)
# 11 October 2021, 00:00 WITA: the Luwu Utara submission stage opens.
OPENING = datetime(2021, 10, 10, 16, 0, tzinfo=UTC)
DURING_SUBMISSION = OPENING + timedelta(days=3)
WITA = ZoneInfo("Asia/Makassar")


def stages_payload(start: str = "2021-10-11", offset: str = "+08:00") -> list[dict[str, str]]:
    """The five stages, a week each, back to back, midnight to midnight local time."""
    first = datetime.fromisoformat(f"{start}T00:00:00{offset}")
    return [
        {
            "key": key,
            "starts_at": (first + timedelta(days=7 * i)).isoformat(),
            "ends_at": (first + timedelta(days=7 * (i + 1))).isoformat(),
        }
        for i, key in enumerate(STAGE_KEYS)
    ]


def minimal_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "KIPP Kabupaten Luwu Utara 2021",
        "year": 2021,
        "region": "Kabupaten Luwu Utara",
        "stages": stages_payload(),
        **fields,
    }


def counts(session: Session) -> tuple[int, ...]:
    """Rows a refused request must leave alone."""
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Competition, Stage, Criterion, AuditEvent)
    )


def audit_events(session: Session, competition_id: int, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.competition_id == competition_id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


# --------------------------------------------------------------------------- create


@time_machine.travel(DURING_SUBMISSION, tick=False)
def test_admin_creates_a_competition_and_every_field_has_its_default(
    client: TestClient, factory: Factory, session: Session
) -> None:
    admin = factory.admin()
    response = client.post(URL, json=minimal_body(), headers=auth_headers(admin))
    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: body[k] for k in body if k not in {"id", "stages", "created_at", "updated_at"}} == {
        "organisation_id": admin.organisation_id,
        "name": "KIPP Kabupaten Luwu Utara 2021",
        "year": 2021,
        "level": "kabupaten",
        "region": "Kabupaten Luwu Utara",
        "description": "",
        "timezone": "Asia/Makassar",
        "top_n": 7,
        "honourable_mentions": 0,
        "min_judges": 1,
        "aggregation_method": "judge_effects",
        "objection_days": 5,
        "agency_quota": None,
        "published": False,
        "parent": None,
        "proposal_template": default_proposal_template(),
        "admin_checklist": default_admin_checklist(),
        "current_stage": "submission",
        "next_stage": "administrative",
        "announced_at": None,
        "finalised_at": None,
        "version": 1,
    }
    assert body["created_at"].endswith("+08:00")
    assert body["stages"][0] == {
        "key": "submission",
        "name": STAGE_NAMES["submission"],
        "position": 1,
        "starts_at": "2021-10-11T00:00:00+08:00",
        "ends_at": "2021-10-18T00:00:00+08:00",
        "state": "current",
        "open": True,
    }
    assert [(s["key"], s["name"], s["state"], s["open"]) for s in body["stages"][1:]] == [
        (key, STAGE_NAMES[key], "upcoming", False) for key in STAGE_KEYS[1:]
    ]
    criteria = session.scalars(
        select(Criterion).where(Criterion.competition_id == body["id"]).order_by(Criterion.position)
    ).all()
    assert [
        {
            "key": c.key,
            "name": c.name,
            "description": c.description,
            "low_means": c.low_means,
            "high_means": c.high_means,
            "weight": c.weight,
            "min_score": c.min_score,
            "max_score": c.max_score,
        }
        for c in criteria
    ] == default_criteria()
    assert [c.position for c in criteria] == list(range(len(criteria)))
    (event,) = audit_events(session, body["id"], "competition.create")
    assert event.actor_id == admin.id
    assert event.after is not None and event.after["name"] == body["name"]


def test_admin_sets_every_field_on_create(client: TestClient, factory: Factory) -> None:
    template = default_proposal_template()
    template["sections"] = template["sections"][:2]
    template["required_attachments"] = 1
    body = minimal_body(
        level="provinsi",
        region="Provinsi Papua",
        description="Kompetisi tingkat provinsi",
        timezone="Asia/Jayapura",
        top_n=10,
        honourable_mentions=3,
        min_judges=3,
        aggregation_method="zscore",
        objection_days=7,
        agency_quota=2,
        published=True,
        proposal_template=template,
        admin_checklist=[{"key": "signed", "label": "Ditandatangani"}],
        stages=[
            {**stage, "name": f"Tahap {i + 1}"}
            for i, stage in enumerate(stages_payload(offset="+09:00"))
        ],
    )
    response = client.post(URL, json=body, headers=auth_headers(factory.admin()))
    assert response.status_code == 201, response.text
    created = response.json()
    for field in (
        "level",
        "region",
        "description",
        "timezone",
        "top_n",
        "honourable_mentions",
        "min_judges",
        "aggregation_method",
        "objection_days",
        "agency_quota",
        "published",
        "admin_checklist",
    ):
        assert created[field] == body[field], field
    assert created["proposal_template"]["sections"] == template["sections"]
    assert created["proposal_template"]["required_attachments"] == 1
    assert created["proposal_template"]["min_age_years"] == {"umum": 2, "replikasi": 1, "khusus": 2}
    assert [s["name"] for s in created["stages"]] == [f"Tahap {i}" for i in range(1, 6)]
    assert created["stages"][0]["starts_at"] == "2021-10-11T00:00:00+09:00"


def test_times_are_shown_in_the_competition_s_own_offset(
    client: TestClient, factory: Factory
) -> None:
    # Given in UTC, shown in WIB (+07:00).
    body = minimal_body(timezone="Asia/Jakarta", stages=stages_payload(offset="+00:00"))
    created = client.post(URL, json=body, headers=auth_headers(factory.admin())).json()
    assert created["stages"][0]["starts_at"] == "2021-10-11T07:00:00+07:00"


def _without(field: str) -> dict[str, Any]:
    body = minimal_body()
    del body[field]
    return body


def _stages_with(index: int, **changes: str) -> list[dict[str, str]]:
    listed = stages_payload()
    listed[index] = {**listed[index], **changes}
    return listed


def _template_with(**changes: Any) -> dict[str, Any]:
    return {**default_proposal_template(), **changes}


BAD_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("no stages", _without("stages"), "stages"),
    ("no name", _without("name"), "name"),
    ("no year", _without("year"), "year"),
    ("four stages", minimal_body(stages=stages_payload()[:4]), "stages"),
    ("stages out of order", minimal_body(stages=stages_payload()[::-1]), "stages"),
    ("unknown stage", minimal_body(stages=_stages_with(4, key="judging")), "stages"),
    (
        "naive time",
        minimal_body(stages=_stages_with(1, starts_at="2021-10-18T00:00:00")),
        "stages.1.starts_at",
    ),
    (
        "ends before it starts",
        minimal_body(stages=_stages_with(2, ends_at="2021-10-20T00:00:00+08:00")),
        "stages.2.ends_at",
    ),
    (
        "overlap",
        minimal_body(stages=_stages_with(1, starts_at="2021-10-17T00:00:00+08:00")),
        "stages.1.starts_at",
    ),
    ("unknown time zone", minimal_body(timezone="Asia/Atlantis"), "timezone"),
    ("bad time zone", minimal_body(timezone="../etc/passwd"), "timezone"),
    ("top_n zero", minimal_body(top_n=0), "top_n"),
    ("negative mentions", minimal_body(honourable_mentions=-1), "honourable_mentions"),
    ("min_judges zero", minimal_body(min_judges=0), "min_judges"),
    ("unknown level", minimal_body(level="kecamatan"), "level"),
    ("unknown method", minimal_body(aggregation_method="max"), "aggregation_method"),
    ("quota zero", minimal_body(agency_quota=0), "agency_quota"),
    ("year far away", minimal_body(year=1999), "year"),
    ("current stage is read-only", minimal_body(current_stage="nomination"), "current_stage"),
    (
        "template without sections",
        minimal_body(proposal_template={"sections": []}),
        "proposal_template.sections",
    ),
    (
        "template section without limit",
        minimal_body(proposal_template=_template_with(sections=[{"key": "a", "title": "A"}])),
        "proposal_template.sections.0.max_words",
    ),
    (
        "template unknown group",
        minimal_body(
            proposal_template=_template_with(
                sections=[{"key": "a", "title": "A", "max_words": 5, "groups": ["lain"]}]
            )
        ),
        "proposal_template.sections.0.groups.0",
    ),
    (
        "template repeated section",
        minimal_body(
            proposal_template=_template_with(
                sections=[{"key": "a", "title": "A", "max_words": 5, "groups": ["umum"]}] * 2
            )
        ),
        "proposal_template",
    ),
    (
        "template negative age",
        minimal_body(proposal_template=_template_with(min_age_years={"umum": -1})),
        "proposal_template.min_age_years.umum",
    ),
    (
        "checklist repeated key",
        minimal_body(admin_checklist=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]),
        "admin_checklist",
    ),
    (
        "checklist bad key",
        minimal_body(admin_checklist=[{"key": "A B", "label": "A"}]),
        "admin_checklist.0.key",
    ),
]


@pytest.mark.parametrize(
    "body,field", [(b, f) for _, b, f in BAD_BODIES], ids=[n for n, _, _ in BAD_BODIES]
)
def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient, factory: Factory, session: Session, body: dict[str, Any], field: str
) -> None:
    headers = auth_headers(factory.admin())
    before = counts(session)
    body_problem = problem(client.post(URL, json=body, headers=headers), 422)
    fields = [e["field"] for e in body_problem["errors"]]
    assert field in fields, fields
    assert counts(session) == before


def test_every_window_problem_is_reported_at_once(client: TestClient, factory: Factory) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    listed = _stages_with(1, starts_at="2021-10-17T00:00:00+08:00")
    listed[4]["ends_at"] = listed[4]["starts_at"]
    body = problem(
        client.post(URL, json=minimal_body(stages=listed), headers=auth_headers(factory.admin())),
        422,
    )
    assert body["detail"] == "Jadwal tahapan tidak sah."
    assert body["errors"] == [
        {
            "field": "stages.1.starts_at",
            "pointer": "/stages/1/starts_at",
            "code": "window_overlap",
            "message": "Bertumpang tindih dengan jadwal tahapan Pengajuan proposal.",
        },
        {
            "field": "stages.4.ends_at",
            "pointer": "/stages/4/ends_at",
            "code": "window_ends_before_start",
            "message": "Harus sesudah waktu mulai.",
        },
    ]
    english = client.post(
        URL,
        json=minimal_body(stages=listed),
        headers={**auth_headers(factory.admin()), "Accept-Language": "en"},
    ).json()
    assert english["detail"] == "The stage windows are not valid."
    assert [e["message"] for e in english["errors"]] == [
        "Overlaps the Proposal submission stage's window.",
        "Must be after the start.",
    ]


# --------------------------------------------------------------------------- read and list


def test_list_shows_the_public_published_ones_newest_year_first(
    client: TestClient, factory: Factory
) -> None:
    old = factory.competition(year=2019, published=True)
    new = factory.competition(year=2021, published=True)
    hidden = factory.competition(year=2022, published=False)
    public = client.get(URL).json()
    assert public["total"] == 2
    assert [c["id"] for c in public["items"]] == [new.id, old.id]
    for role in REFUSED_ROLES:
        seen = client.get(URL, headers=auth_headers(factory.user(role))).json()
        assert [c["id"] for c in seen["items"]] == [new.id, old.id], role
    admin_view = client.get(URL, headers=auth_headers(factory.admin())).json()
    assert admin_view["total"] == 3
    assert [c["id"] for c in admin_view["items"]] == [hidden.id, new.id, old.id]
    paged = client.get(URL, params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 2 and [c["id"] for c in paged["items"]] == [old.id]
    problem(client.get(URL, params={"limit": 0}), 422)


def test_an_unpublished_competition_is_404_to_everyone_but_admins(
    client: TestClient, factory: Factory
) -> None:
    competition = factory.competition(published=False)
    path = f"{URL}/{competition.id}"
    problem(client.get(path), 404)
    for role in REFUSED_ROLES:
        problem(client.get(path, headers=auth_headers(factory.user(role))), 404)
    response = client.get(path, headers=auth_headers(factory.admin()))
    assert response.status_code == 200 and response.json()["published"] is False
    problem(client.get(f"{URL}/999999", headers=auth_headers(factory.admin())), 404)


def test_a_bad_token_is_401_not_anonymous(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    problem(client.get(f"{URL}/{competition.id}", headers={"Authorization": "Bearer nope"}), 401)


def test_publish_and_unpublish(client: TestClient, factory: Factory, session: Session) -> None:
    competition = factory.competition(published=False)
    admin = auth_headers(factory.admin())
    path = f"{URL}/{competition.id}"
    published = client.patch(path, json={"published": True}, headers=admin)
    assert published.status_code == 200 and published.json()["published"] is True
    assert client.get(path).status_code == 200
    assert [c["id"] for c in client.get(URL).json()["items"]] == [competition.id]
    assert client.patch(path, json={"published": False}, headers=admin).status_code == 200
    problem(client.get(path), 404)
    assert client.get(URL).json()["total"] == 0
    changes = [
        (e.before, e.after) for e in audit_events(session, competition.id, "competition.update")
    ]
    assert changes == [
        ({"published": False}, {"published": True}),
        ({"published": True}, {"published": False}),
    ]


def test_the_timeline_shows_past_current_upcoming_and_the_open_window(
    client: TestClient, factory: Factory
) -> None:
    competition = factory.competition(current_stage="presentation")
    timeline = client.get(f"{URL}/{competition.id}").json()["stages"]
    assert [(s["state"], s["open"]) for s in timeline] == [
        ("past", False),
        ("past", False),
        ("current", True),
        ("upcoming", False),
        ("upcoming", False),
    ]


# --------------------------------------------------------------------------- refused roles


def test_writes_are_refused_to_other_roles(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(published=True)
    users = {role: factory.user(role) for role in REFUSED_ROLES}
    before = counts(session)
    writes = [
        ("post", URL, minimal_body()),
        ("patch", f"{URL}/{competition.id}", {"name": "Renamed"}),
        ("post", f"{URL}/{competition.id}/advance", {}),
    ]
    for method, path, body in writes:
        problem(client.request(method, path, json=body), 401)
        for role, user in users.items():
            response = client.request(method, path, json=body, headers=auth_headers(user))
            assert response.status_code == 403, (role, method, path)
    assert counts(session) == before
    session.refresh(competition)
    assert competition.name != "Renamed" and competition.current_stage == "submission"


# --------------------------------------------------------------------------- change


def test_admin_changes_settings_and_it_is_logged_before_after(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(top_n=7)
    admin = factory.admin()
    response = client.patch(
        f"{URL}/{competition.id}",
        json={
            "top_n": 5,
            "agency_quota": 3,
            "aggregation_method": "median",
            "admin_checklist": [{"key": "signed", "label": "Ditandatangani"}],
            "version": 1,
        },
        headers=auth_headers(admin),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["top_n"], body["agency_quota"], body["aggregation_method"]) == (5, 3, "median")
    assert body["admin_checklist"] == [{"key": "signed", "label": "Ditandatangani"}]
    assert body["version"] == 2
    (event,) = audit_events(session, competition.id, "competition.update")
    assert event.actor_id == admin.id
    assert event.before == {
        "top_n": 7,
        "agency_quota": None,
        "aggregation_method": "judge_effects",
        "admin_checklist": default_admin_checklist(),
    }
    assert event.after is not None and event.after["top_n"] == 5
    # Back to unlimited; an unchanged value writes no event.
    cleared = client.patch(
        f"{URL}/{competition.id}", json={"agency_quota": None}, headers=auth_headers(admin)
    )
    assert cleared.json()["agency_quota"] is None
    client.patch(f"{URL}/{competition.id}", json={"top_n": 5}, headers=auth_headers(admin))
    assert len(audit_events(session, competition.id, "competition.update")) == 2


BAD_PATCHES: list[tuple[str, dict[str, Any], int, str]] = [
    ("null name", {"name": None}, 422, "body"),
    ("null top_n", {"top_n": None}, 422, "body"),
    ("current stage", {"current_stage": "nomination"}, 422, "current_stage"),
    ("bad zone", {"timezone": "Mars/Olympus"}, 422, "timezone"),
    ("unknown stage", {"stages": [{"key": "judging"}]}, 422, "stages.0.key"),
    (
        "stage twice",
        {"stages": [{"key": "submission"}, {"key": "submission"}]},
        422,
        "stages.1.key",
    ),
    ("empty stage list", {"stages": []}, 422, "stages"),
    (
        "naive",
        {"stages": [{"key": "submission", "ends_at": "2030-01-01T00:00:00"}]},
        422,
        "stages.0.ends_at",
    ),
    ("stale version", {"name": "x", "version": 7}, 409, ""),
]


@pytest.mark.parametrize(
    "body,status,field",
    [(b, s, f) for _, b, s, f in BAD_PATCHES],
    ids=[n for n, _, _, _ in BAD_PATCHES],
)
def test_bad_changes_are_refused_and_change_nothing(
    client: TestClient,
    factory: Factory,
    session: Session,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    competition = factory.competition()
    headers = auth_headers(factory.admin())
    before = counts(session), competition_service.snapshot(competition)
    refused = problem(client.patch(f"{URL}/{competition.id}", json=body, headers=headers), status)
    if field:
        assert field in [e["field"] for e in refused["errors"]], refused
    session.expire_all()
    competition = competition_service.get(session=session, competition_id=competition.id)
    assert (counts(session), competition_service.snapshot(competition)) == before
    assert competition.version == 1


def test_a_window_that_would_overlap_is_refused_and_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    headers = auth_headers(factory.admin())
    submission = competition.stages[0]
    before = counts(session), competition_service.snapshot(competition)
    later = (submission.ends_at + timedelta(days=2)).isoformat()
    refused = problem(
        client.patch(
            f"{URL}/{competition.id}",
            json={"name": "Renamed too", "stages": [{"key": "submission", "ends_at": later}]},
            headers=headers,
        ),
        422,
    )
    assert [(e["pointer"], e["code"]) for e in refused["errors"]] == [
        ("/stages/1/starts_at", "window_overlap")
    ]
    backwards = problem(
        client.patch(
            f"{URL}/{competition.id}",
            json={"stages": [{"key": "submission", "ends_at": submission.starts_at.isoformat()}]},
            headers=headers,
        ),
        422,
    )
    assert [(e["pointer"], e["code"]) for e in backwards["errors"]] == [
        ("/stages/0/ends_at", "window_ends_before_start")
    ]
    session.expire_all()
    competition = competition_service.get(session=session, competition_id=competition.id)
    assert (counts(session), competition_service.snapshot(competition)) == before


def test_extending_the_deadline_reopens_the_submission_window(
    client: TestClient, factory: Factory, session: Session
) -> None:
    with time_machine.travel(OPENING, tick=False):
        competition = factory.competition()  # submission open from a day ago for a week
    deadline, administrative_ends = competition.stages[0].ends_at, competition.stages[1].ends_at
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        with pytest.raises(WindowClosed, match="closed at"):
            competition_service.require_stage_open(competition=competition, stage_key="submission")
        timeline = client.get(f"{URL}/{competition.id}").json()["stages"]
        assert timeline[0]["open"] is False and timeline[1]["open"] is True
        new_deadline = deadline + timedelta(days=3)
        response = client.patch(
            f"{URL}/{competition.id}",
            json={
                "stages": [
                    {"key": "submission", "ends_at": new_deadline.astimezone(WITA).isoformat()},
                    {"key": "administrative", "starts_at": new_deadline.isoformat()},
                ]
            },
            headers=auth_headers(factory.admin()),
        )
        assert response.status_code == 200, response.text
        timeline = response.json()["stages"]
        assert timeline[0]["open"] is True and timeline[1]["open"] is False
        assert timeline[0]["ends_at"] == new_deadline.astimezone(WITA).isoformat()
        session.expire_all()
        reloaded = competition_service.get(session=session, competition_id=competition.id)
        competition_service.require_stage_open(competition=reloaded, stage_key="submission")
    (event,) = audit_events(session, competition.id, "competition.update")
    assert event.before is not None and event.after is not None
    assert event.before["stages"][0]["ends_at"] == deadline.isoformat()
    assert event.after["stages"][0]["ends_at"] == new_deadline.isoformat()
    assert event.after["stages"][1]["starts_at"] == new_deadline.isoformat()
    assert event.after["stages"][1]["ends_at"] == administrative_ends.isoformat()


def test_renaming_a_stage(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    response = client.patch(
        f"{URL}/{competition.id}",
        json={"stages": [{"key": "presentation", "name": "Presentasi dan wawancara"}]},
        headers=auth_headers(factory.admin()),
    )
    assert response.status_code == 200, response.text
    assert response.json()["stages"][2]["name"] == "Presentasi dan wawancara"


def test_the_same_moment_in_another_offset_is_no_change(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    deadline = competition.stages[0].ends_at.astimezone(ZoneInfo("Asia/Jayapura"))
    response = client.patch(
        f"{URL}/{competition.id}",
        json={"stages": [{"key": "submission", "ends_at": deadline.isoformat()}]},
        headers=auth_headers(factory.admin()),
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    assert audit_events(session, competition.id, "competition.update") == []


def test_changing_an_unknown_competition_is_404(client: TestClient, factory: Factory) -> None:
    headers = auth_headers(factory.admin())
    problem(client.patch(f"{URL}/999999", json={"name": "x"}, headers=headers), 404)
    problem(client.post(f"{URL}/999999/advance", headers=headers), 404)


# --------------------------------------------------------------------------- advance


def advance(
    client: TestClient, competition: Competition, admin_headers: dict[str, str], **body: Any
) -> Any:
    return client.post(f"{URL}/{competition.id}/advance", json=body, headers=admin_headers)


def test_an_early_advance_is_allowed_and_flagged(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    factory.innovation(competition)  # a draft does not block: it simply stays a draft
    admin = factory.admin()
    submission_end = competition.stages[0].ends_at.astimezone(UTC).isoformat()
    administrative_start = competition.stages[1].starts_at.astimezone(UTC).isoformat()
    response = client.post(
        f"{URL}/{competition.id}/advance",  # no body at all
        headers=auth_headers(admin),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["current_stage"] == "administrative" and body["next_stage"] == "presentation"
    assert [s["state"] for s in body["stages"]][:2] == ["past", "current"]
    assert body["version"] == 2
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.actor_id == admin.id
    # The administrative window had not opened: it opens at the move, and the submission
    # window ends there (windows never overlap); both changes are in the log.
    assert body["stages"][1]["open"] is True and body["stages"][0]["open"] is False
    opened = event.after["windows"]["administrative"]["starts_at"]
    assert event.before == {
        "current_stage": "submission",
        "windows": {
            "submission": {"ends_at": submission_end},
            "administrative": {"starts_at": administrative_start},
        },
    }
    assert event.after == {
        "current_stage": "administrative",
        "early": True,
        "windows": {
            "submission": {"ends_at": opened},
            "administrative": {"starts_at": opened},
        },
    }
    assert event.reason is None


def test_an_advance_after_the_window_ends_is_not_early(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    admin = factory.admin()
    with time_machine.travel(competition.stages[0].ends_at, tick=False):
        response = advance(client, competition, auth_headers(admin), reason="Jadwal selesai")
    assert response.status_code == 200, response.text
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.after == {"current_stage": "administrative", "early": False}
    assert event.reason == "Jadwal selesai"


def test_submitted_proposals_without_a_decision_block_the_presentation_stage(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="administrative")
    waiting = [factory.innovation(competition, status="submitted") for _ in range(2)]
    factory.innovation(competition, status="eligible")
    factory.innovation(competition, status="draft")
    admin = auth_headers(factory.admin())
    before = counts(session)
    for body in ({}, {"force": True, "reason": "Tidak bisa dipaksa"}):
        refused = problem(advance(client, competition, admin, **body), 409)
        assert refused["blockers"] == [
            {
                "code": "administrative_review_missing",
                "message": "2 submitted proposal(s) have no administrative decision yet",
                "count": 2,
                "ids": sorted(i.id for i in waiting),
                "forceable": False,
            }
        ]
    assert counts(session) == before
    for innovation in waiting:
        innovation.status = "ineligible"
    session.flush()
    response = advance(client, competition, admin)
    assert response.status_code == 200 and response.json()["current_stage"] == "presentation"


def _presentation_with_a_panel(factory: Factory, session: Session) -> tuple[Competition, list[int]]:
    """A competition in presentation: one judge on the panel, two eligible innovations."""
    competition = factory.competition(current_stage="presentation")
    judge = factory.user(Role.JUDGE)
    session.add(PanelMember(competition_id=competition.id, user_id=judge.id))
    innovations = [factory.innovation(competition, status="eligible") for _ in range(2)]
    session.add(
        Scoresheet(
            competition_id=competition.id,
            innovation_id=innovations[0].id,
            judge_id=judge.id,
            status="final",
        )
    )
    session.add(
        Scoresheet(
            competition_id=competition.id,
            innovation_id=innovations[1].id,
            judge_id=judge.id,
            status="draft",
        )
    )
    session.flush()
    return competition, [i.id for i in innovations]


def test_missing_scoresheets_block_the_nomination_stage_unless_forced_with_a_reason(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition, innovation_ids = _presentation_with_a_panel(factory, session)
    admin = auth_headers(factory.admin())
    before = counts(session)
    refused = problem(advance(client, competition, admin), 409)
    (blocker,) = refused["blockers"]
    assert blocker["code"] == "scoresheets_missing"
    assert blocker["ids"] == [innovation_ids[1]] and blocker["count"] == 1
    assert blocker["forceable"] is True
    for body in ({"force": True}, {"force": True, "reason": "   "}):
        no_reason = problem(advance(client, competition, admin, **body), 422)
        assert [(e["pointer"], e["code"]) for e in no_reason["errors"]] == [
            ("/reason", "reason_required")
        ]

    assert counts(session) == before
    forced = advance(client, competition, admin, force=True, reason="Juri berhalangan hadir")
    assert forced.status_code == 200, forced.text
    assert forced.json()["current_stage"] == "nomination"
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.reason == "Juri berhalangan hadir"
    assert event.after is not None
    assert event.after["forced"] is True and event.after["early"] is True
    assert [b["code"] for b in event.after["overridden"]] == ["scoresheets_missing"]
    assert event.after["overridden"][0]["ids"] == [innovation_ids[1]]


def test_with_every_scoresheet_final_the_nomination_stage_opens(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition, _ = _presentation_with_a_panel(factory, session)
    for sheet in session.scalars(
        select(Scoresheet).where(Scoresheet.competition_id == competition.id)
    ):
        sheet.status = "final"
    session.flush()
    response = advance(client, competition, auth_headers(factory.admin()))
    assert response.status_code == 200, response.text
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.after is not None and "forced" not in event.after


def test_without_a_top_n_decision_there_is_no_announcement(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="nomination")
    admin_user = factory.admin()
    admin = auth_headers(admin_user)
    before = counts(session)
    for body in ({}, {"force": True, "reason": "Tetap umumkan"}):
        refused = problem(advance(client, competition, admin, **body), 409)
        assert [b["code"] for b in refused["blockers"]] == ["nomination_missing"]
        assert refused["blockers"][0]["forceable"] is False
    assert counts(session) == before
    session.add(
        Nomination(
            competition_id=competition.id,
            innovation_ids=[],
            method="mean",
            manifest={},
            manifest_sha256="0" * 64,
        )
    )
    session.flush()
    moment = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    # Years later every window has ended: the announcement window needs a new end.
    ends_at = moment + timedelta(days=30)
    with time_machine.travel(moment, tick=False):
        response = advance(
            client, competition, auth_headers(admin_user), ends_at=ends_at.isoformat()
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["current_stage"] == "announcement" and body["next_stage"] is None
    assert body["announced_at"] == "2030-01-02T11:04:05+08:00"
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.after == {
        "current_stage": "announcement",
        "early": False,
        "windows": {"announcement": {"ends_at": ends_at.isoformat()}},
        "announced_at": moment.isoformat(),
    }


def test_nothing_follows_the_announcement(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="announcement")
    before = counts(session)
    refused = problem(advance(client, competition, auth_headers(factory.admin())), 409)
    assert [b["code"] for b in refused["blockers"]] == ["last_stage"]
    assert counts(session) == before


def test_bad_advance_bodies_are_refused(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition()
    admin = auth_headers(factory.admin())
    before = counts(session)
    problem(advance(client, competition, admin, force="perhaps"), 422)
    problem(advance(client, competition, admin, stage="nomination"), 422)
    assert counts(session) == before
    session.refresh(competition)
    assert competition.current_stage == "submission"


def test_the_advance_check_lists_blockers_without_moving(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="administrative")
    waiting = factory.innovation(competition, status="submitted")
    headers = auth_headers(factory.admin())
    check = client.get(f"/api/v1/competitions/{competition.id}/advance", headers=headers)
    assert check.status_code == 200, check.text
    body = check.json()
    assert body["current_stage"] == "administrative"
    assert body["next_stage"] == "presentation"
    assert body["can_advance"] is False
    assert [(b["code"], b["ids"], b["forceable"]) for b in body["blockers"]] == [
        ("administrative_review_missing", [waiting.id], False)
    ]
    session.refresh(competition)
    assert competition.current_stage == "administrative"

    waiting.status = "eligible"
    session.flush()
    ready = client.get(f"/api/v1/competitions/{competition.id}/advance", headers=headers).json()
    assert ready["can_advance"] is True and ready["blockers"] == []


def test_the_advance_check_after_the_last_stage(client: TestClient, factory: Factory) -> None:
    competition = factory.competition(current_stage="announcement")
    headers = auth_headers(factory.admin())
    body = client.get(f"/api/v1/competitions/{competition.id}/advance", headers=headers).json()
    assert body["next_stage"] is None and body["can_advance"] is False
    assert body["blockers"][0]["code"] == "last_stage"


def test_the_advance_check_is_for_admins_only(client: TestClient, factory: Factory) -> None:
    competition = factory.competition()
    url = f"/api/v1/competitions/{competition.id}/advance"
    assert client.get(url).status_code == 401
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        assert client.get(url, headers=auth_headers(factory.user(role))).status_code == 403
    missing = client.get(
        "/api/v1/competitions/999999/advance", headers=auth_headers(factory.admin())
    )
    assert missing.status_code == 404


def test_decision_settings_are_frozen_from_the_nomination_stage(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="nomination", top_n=7)
    headers = auth_headers(factory.admin())
    url = f"/api/v1/competitions/{competition.id}"
    refused = client.patch(url, json={"top_n": 5, "aggregation_method": "zscore"}, headers=headers)
    assert refused.status_code == 409
    assert {e["field"] for e in refused.json()["errors"]} == {"top_n", "aggregation_method"}
    session.refresh(competition)
    assert competition.top_n == 7 and competition.aggregation_method == "judge_effects"
    # Other settings, and the same value again, are still fine.
    same = client.patch(url, json={"top_n": 7, "description": "Sidang"}, headers=headers)
    assert same.status_code == 200, same.text

    earlier = factory.competition(current_stage="presentation")
    changed = client.patch(f"/api/v1/competitions/{earlier.id}", json={"top_n": 5}, headers=headers)
    assert changed.status_code == 200 and changed.json()["top_n"] == 5


# --------------------------------------------------------------------------- windows follow


def test_advancing_into_a_window_not_yet_open_opens_it_now(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="administrative")
    presentation_end = competition.stages[2].ends_at
    headers = auth_headers(factory.admin())
    url = f"{URL}/{competition.id}/advance"
    preview = client.get(url, headers=headers).json()
    assert preview["can_advance"] is True
    assert preview["window"]["stage"] == "presentation"
    assert preview["window"]["action"] == "opens_now"
    assert preview["window"]["leaving_ends_at"] is not None
    moved = client.post(url, json={}, headers=headers)
    assert moved.status_code == 200, moved.text
    stages = {s["key"]: s for s in moved.json()["stages"]}
    assert stages["presentation"]["open"] is True and stages["presentation"]["state"] == "current"
    assert datetime.fromisoformat(stages["presentation"]["ends_at"]) == presentation_end
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert set(event.after["windows"]) == {"administrative", "presentation"}


def test_advancing_into_an_ended_window_without_a_new_end_is_refused(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="administrative")
    admin = factory.admin()
    url = f"{URL}/{competition.id}/advance"
    with time_machine.travel(competition.stages[2].ends_at + timedelta(days=1), tick=False):
        headers = auth_headers(admin)
        preview = client.get(url, headers={**headers, "Accept-Language": "en"}).json()
        assert preview["can_advance"] is False
        assert preview["window"]["action"] == "needs_end" and preview["window"]["ends_at"] is None
        assert [b["code"] for b in preview["blockers"]] == ["window_end_past"]
        assert "ends_at" in preview["blockers"][0]["message"]
        refused = problem(
            client.post(url, json={"force": True, "reason": "x"}, headers=headers), 409
        )
        assert [b["code"] for b in refused["blockers"]] == ["window_end_past"]
        assert refused["blockers"][0]["message"].startswith("The Presentation and scoring window")
    session.refresh(competition)
    assert competition.current_stage == "administrative"
    assert audit_events(session, competition.id, "competition.advance") == []


def test_advancing_into_an_ended_window_with_a_new_end_reopens_it(
    client: TestClient, factory: Factory, session: Session
) -> None:
    competition = factory.competition(current_stage="administrative")
    admin = factory.admin()
    url = f"{URL}/{competition.id}/advance"
    late = competition.stages[2].ends_at + timedelta(days=1)
    new_end = late + timedelta(hours=5)
    for stage in competition.stages[3:]:  # the later windows lie well ahead of the new end
        stage.starts_at += timedelta(days=30)
        stage.ends_at += timedelta(days=30)
    session.flush()
    with time_machine.travel(late, tick=False):
        headers = auth_headers(admin)
        in_the_past = problem(
            client.post(
                url, json={"ends_at": (late - timedelta(hours=1)).isoformat()}, headers=headers
            ),
            422,
        )
        assert in_the_past["errors"][0]["field"] == "ends_at"
        overlapping = problem(
            client.post(
                url, json={"ends_at": (late + timedelta(days=60)).isoformat()}, headers=headers
            ),
            422,
        )
        assert overlapping["errors"][0]["field"] == "ends_at"
        moved = client.post(url, json={"ends_at": new_end.isoformat()}, headers=headers)
        assert moved.status_code == 200, moved.text
        stages = {s["key"]: s for s in moved.json()["stages"]}
        assert stages["presentation"]["open"] is True
        assert datetime.fromisoformat(stages["presentation"]["ends_at"]) == new_end
    (event,) = audit_events(session, competition.id, "competition.advance")
    assert event.after["windows"] == {"presentation": {"ends_at": new_end.isoformat()}}
