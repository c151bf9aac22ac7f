"""Proposals: role-scoped lists, drafts, the optimistic lock, readiness, submit and withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_proposal_template
from kipp.errors import StaleVersion
from kipp.innovations import access, drafts
from kipp.innovations.readiness import sections_for
from kipp.innovations.schemas import InnovationPatch
from kipp.models import Agency, AuditEvent, Competition, Innovation, Role, User, innovation_team
from tests.factories import Factory, auth_headers

PUBLIC_FIELDS = {"id", "title", "agency_id", "agency_code", "agency_name", "group", "category"}


@dataclass
class World:
    """One competition, two agencies and someone in every role around one draft."""

    competition: Competition
    agency: Agency
    other_agency: Agency
    innovator: User  # on the draft's team
    colleague: User  # innovator of the same agency, not on the team
    outsider: User  # innovator of the other agency
    agency_admin: User
    other_agency_admin: User
    judge: User  # on the panel, from the other agency
    admin: User
    draft: Innovation

    def headers(self, who: str) -> dict[str, str]:
        return auth_headers(getattr(self, who))


def make_world(factory: Factory, **competition_fields: Any) -> World:
    competition = factory.competition(**competition_fields)
    agency, other = factory.agency(), factory.agency()
    innovator = factory.user(Role.INNOVATOR, agency=agency)
    judge = factory.user(Role.JUDGE, agency=other)
    factory.add_panel(competition, [judge])
    return World(
        competition=competition,
        agency=agency,
        other_agency=other,
        innovator=innovator,
        colleague=factory.user(Role.INNOVATOR, agency=agency),
        outsider=factory.user(Role.INNOVATOR, agency=other),
        agency_admin=factory.user(Role.AGENCY_ADMIN, agency=agency),
        other_agency_admin=factory.user(Role.AGENCY_ADMIN, agency=other),
        judge=judge,
        admin=factory.admin(),
        draft=factory.innovation(competition, agency=agency, team=[innovator], title="Si Cantik"),
    )


def ready_fields(group: str = "umum") -> dict[str, Any]:
    """What a proposal needs to pass the readiness check under the default template."""
    template = default_proposal_template()
    return {
        "sections": {s["key"]: "Teks singkat yang cukup" for s in sections_for(template, group)},
        "started_on": "2018-01-15",
    }


def _count(session: Session, model: type[Any] = Innovation) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _audit(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _url(world: World, suffix: str = "") -> str:
    return f"/api/v1/innovations/{world.draft.id}{suffix}"


def _create_url(world: World) -> str:
    return f"/api/v1/competitions/{world.competition.id}/innovations"


# --------------------------------------------------------------------------- create


def test_innovator_creates_a_draft_for_their_agency(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    response = client.post(
        _create_url(world),
        json={
            "title": "  Layanan Antar Jemput Akta  ",
            "group": "umum",
            "category": "Administrasi kependudukan",
            "origin": "latpim",
            "summary": "Akta diantar ke rumah.",
            "sections": {"ringkasan": "Akta lahir diantar."},
            "started_on": "2019-03-01",
            "video_url": "https://youtu.be/abc",
            "links": ["https://luwuutarakab.go.id/akta"],
        },
        headers=world.headers("innovator"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["title"] == "Layanan Antar Jemput Akta"
    assert body["agency_id"] == world.agency.id and body["agency_code"] == world.agency.code
    assert body["status"] == "draft" and body["version"] == 1 and body["submitted_at"] is None
    assert body["team"] == [{"id": world.innovator.id, "full_name": world.innovator.full_name}]
    assert body["sections"] == {"ringkasan": "Akta lahir diantar."}
    assert body["administrative_review"] is None and body["attachments_count"] == 0
    assert body["duplicate_title_ids"] is None  # admins only
    [event] = _audit(session, "innovation.create")
    assert event.entity_id == body["id"] and event.actor_id == world.innovator.id
    assert event.after is not None and event.after["status"] == "draft"


def test_agency_admin_creates_with_a_team_of_their_innovators(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory)
    response = client.post(
        _create_url(world),
        json={"title": "Sipaten", "team_user_ids": [world.innovator.id, world.colleague.id]},
        headers=world.headers("agency_admin"),
    )
    assert response.status_code == 201, response.text
    team = {m["id"] for m in response.json()["team"]}
    assert team == {world.agency_admin.id, world.innovator.id, world.colleague.id}


def test_admin_creates_for_any_agency_and_must_name_it(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    before = _count(session)
    missing = client.post(_create_url(world), json={"title": "X"}, headers=world.headers("admin"))
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {
            "field": "agency_id",
            "pointer": "/agency_id",
            "code": "missing",
            "message": "Required for an admin.",
        }
    ]
    unknown = client.post(
        _create_url(world),
        json={"title": "X", "agency_id": 999_999},
        headers=world.headers("admin"),
    )
    assert unknown.status_code == 422
    assert _count(session) == before
    created = client.post(
        _create_url(world),
        json={
            "title": "X",
            "agency_id": world.other_agency.id,
            "team_user_ids": [world.outsider.id],
        },
        headers=world.headers("admin"),
    )
    assert created.status_code == 201
    assert [m["id"] for m in created.json()["team"]] == [world.outsider.id]


def test_create_bad_input_is_problem_json_and_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    headers = world.headers("innovator")
    before = (_count(session), _count(session, AuditEvent))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": "X", "sections": {"ringkasan": "a", "sejarah": "b"}}, "sections.sejarah"),
        ({"title": "   "}, "title"),
        ({}, "title"),
        ({"title": "X", "group": "besar"}, "group"),
        ({"title": "X", "origin": "kursus"}, "origin"),
        ({"title": "X", "started_on": "kemarin"}, "started_on"),
        ({"title": "X", "video_url": "javascript:alert(1)"}, "video_url"),
        ({"title": "X", "colour": "red"}, "colour"),
        ({"title": "X", "team_user_ids": [world.outsider.id]}, "team_user_ids"),
    ]
    for body, field in cases:
        agency_admin = "team_user_ids" in body
        response = client.post(
            _create_url(world),
            json=body,
            headers=world.headers("agency_admin") if agency_admin else headers,
        )
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"].startswith(field), response.json()
    assert (_count(session), _count(session, AuditEvent)) == before


def test_create_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    url = _create_url(world)
    before = _count(session)
    assert client.post(url, json={"title": "X"}).status_code == 401
    assert client.post(url, json={"title": "X"}, headers=world.headers("judge")).status_code == 403
    other_agency = client.post(
        url,
        json={"title": "X", "agency_id": world.other_agency.id},
        headers=world.headers("innovator"),
    )
    assert other_agency.status_code == 403
    team_by_innovator = client.post(
        url,
        json={"title": "X", "team_user_ids": [world.colleague.id]},
        headers=world.headers("innovator"),
    )
    assert team_by_innovator.status_code == 403
    other_admin = client.post(
        url,
        json={"title": "X", "agency_id": world.agency.id},
        headers=world.headers("other_agency_admin"),
    )
    assert other_admin.status_code == 403
    assert (
        client.post(
            "/api/v1/competitions/999999/innovations",
            json={"title": "X"},
            headers=world.headers("innovator"),
        ).status_code
        == 404
    )
    assert _count(session) == before


def test_unpublished_competition_is_404_except_for_the_admin(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory, published=False)
    url = _create_url(world)
    for who in ("innovator", "agency_admin"):
        assert client.post(url, json={"title": "X"}, headers=world.headers(who)).status_code == 404
        assert client.get(url, headers=world.headers(who)).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(url, headers=world.headers("admin")).status_code == 200


def test_agency_quota_counts_proposals_that_are_not_withdrawn(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory, agency_quota=2)  # the draft already takes one place
    factory.innovation(world.competition, agency=world.agency, status="withdrawn")
    headers = world.headers("innovator")
    assert client.post(_create_url(world), json={"title": "A"}, headers=headers).status_code == 201
    before = _count(session)
    refused = client.post(_create_url(world), json={"title": "B"}, headers=headers)
    assert refused.status_code == 409
    assert "allows 2 per agency" in refused.json()["detail"]
    assert _count(session) == before
    # another agency has its own quota
    assert (
        client.post(
            _create_url(world), json={"title": "C"}, headers=world.headers("outsider")
        ).status_code
        == 201
    )


def test_external_ref_is_unique_in_the_competition(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    headers = world.headers("innovator")
    body = {"title": "A", "external_ref": "LU-01"}
    assert client.post(_create_url(world), json=body, headers=headers).status_code == 201
    again = client.post(_create_url(world), json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {
            "field": "external_ref",
            "pointer": "/external_ref",
            "code": "already_used",
            "message": "Already used.",
        }
    ]


# --------------------------------------------------------------------------- windows


def test_create_is_refused_before_and_after_the_window_with_the_deadline_in_wita(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    submission = world.competition.stages[0]
    before = _count(session)
    with time_machine.travel(submission.starts_at - timedelta(hours=1), tick=False):
        early = client.post(
            _create_url(world), json={"title": "X"}, headers=world.headers("innovator")
        )
    assert early.status_code == 409
    assert early.json()["type"].endswith("/window-closed")
    assert "opens at" in early.json()["detail"] and early.json()["detail"].endswith("WITA.")
    with time_machine.travel(submission.ends_at + timedelta(minutes=1), tick=False):
        late = client.post(
            _create_url(world), json={"title": "X"}, headers=world.headers("innovator")
        )
    assert late.status_code == 409
    local = submission.ends_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Makassar")
    ).strftime("%Y-%m-%d %H:%M")
    assert f"closed at {local} WITA" in late.json()["detail"]
    with time_machine.travel(submission.ends_at - timedelta(seconds=1), tick=False):
        inside = client.post(
            _create_url(world), json={"title": "X"}, headers=world.headers("innovator")
        )
    assert inside.status_code == 201
    assert _count(session) == before + 1


@pytest.mark.parametrize("who", ["innovator", "agency_admin", "admin"])
def test_every_role_is_bound_by_the_window(client: TestClient, factory: Factory, who: str) -> None:
    world = make_world(factory, open_stage=False)  # the submission window has closed
    body = {"title": "X", "agency_id": world.agency.id}
    response = client.post(_create_url(world), json=body, headers=world.headers(who))
    assert response.status_code == 409
    assert "WITA" in response.json()["detail"]


def test_nothing_is_created_outside_the_submission_stage(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory, current_stage="administrative")
    response = client.post(
        _create_url(world), json={"title": "X"}, headers=world.headers("innovator")
    )
    assert response.status_code == 409
    assert "submission stage" in response.json()["detail"]


# --------------------------------------------------------------------------- read


def test_who_reads_a_proposal(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    expected = {
        "innovator": 200,
        "agency_admin": 200,
        "admin": 200,
        "colleague": 404,
        "outsider": 404,
        "other_agency_admin": 404,
        "judge": 404,  # a draft is assigned to nobody
    }
    for who, code in expected.items():
        assert client.get(_url(world), headers=world.headers(who)).status_code == code, who
    assert client.get(_url(world)).status_code == 401
    assert (
        client.get("/api/v1/innovations/999999", headers=world.headers("admin")).status_code == 404
    )


def test_judges_read_only_what_is_assigned_to_them(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory, current_stage="presentation")
    eligible = factory.innovation(world.competition, agency=world.agency, status="eligible")
    own_agency = factory.innovation(world.competition, agency=world.other_agency, status="eligible")
    declared = factory.innovation(world.competition, agency=world.agency, status="eligible")
    factory.add_conflict(declared, world.judge)
    off_panel = factory.user(Role.JUDGE, agency=world.other_agency)
    headers = world.headers("judge")
    assert client.get(f"/api/v1/innovations/{eligible.id}", headers=headers).status_code == 200
    for innovation in (own_agency, declared, world.draft):
        assert (
            client.get(f"/api/v1/innovations/{innovation.id}", headers=headers).status_code == 404
        )
    assert (
        client.get(
            f"/api/v1/innovations/{eligible.id}", headers=auth_headers(off_panel)
        ).status_code
        == 404
    )


def test_admin_sees_duplicate_titles(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    same = factory.innovation(world.competition, title="  si   CANTIK ")
    factory.innovation(world.competition, title="Si Cantik Plus")
    elsewhere = factory.competition()
    factory.innovation(elsewhere, title="Si Cantik")
    body = client.get(_url(world), headers=world.headers("admin")).json()
    assert body["duplicate_title_ids"] == [same.id]
    assert (
        client.get(_url(world), headers=world.headers("innovator")).json()["duplicate_title_ids"]
        is None
    )


# --------------------------------------------------------------------------- patch


def test_team_edits_a_draft_and_the_version_moves(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    world.draft.sections = {"ringkasan": "lama", "signifikansi": "tetap"}
    session.flush()
    response = client.patch(
        _url(world),
        json={"version": 1, "title": "Si Cantik 2.0", "sections": {"ringkasan": "baru"}},
        headers=world.headers("innovator"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2 and body["title"] == "Si Cantik 2.0"
    assert body["sections"] == {"ringkasan": "baru", "signifikansi": "tetap"}  # merged by key
    [event] = _audit(session, "innovation.update")
    assert event.before == {
        "title": "Si Cantik",
        "sections": {"ringkasan": "lama", "signifikansi": "tetap"},
    }
    assert event.after is not None and event.after["title"] == "Si Cantik 2.0"
    # the agency admin and the admin edit it too, at the version they read
    for who, version in (("agency_admin", 2), ("admin", 3)):
        edited = client.patch(
            _url(world), json={"version": version, "category": who}, headers=world.headers(who)
        )
        assert edited.status_code == 200 and edited.json()["version"] == version + 1


def test_two_editors_one_stale_nothing_is_overwritten(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    first = client.patch(
        _url(world), json={"version": 1, "title": "Versi A"}, headers=world.headers("innovator")
    )
    assert first.status_code == 200
    second = client.patch(
        _url(world), json={"version": 1, "title": "Versi B"}, headers=world.headers("agency_admin")
    )
    assert second.status_code == 409
    assert second.json()["type"].endswith("/stale-version")
    current = client.get(_url(world), headers=world.headers("admin")).json()
    assert current["title"] == "Versi A" and current["version"] == 2
    assert len(_audit(session, "innovation.update")) == 1


def test_the_write_itself_is_guarded_by_the_version(factory: Factory, session: Session) -> None:
    """Two editors who both read version 1: the check sits in the UPDATE, not before it, so
    the loser is refused even though its copy, read before the winner wrote, says version 1."""
    world = make_world(factory)
    loser_copy = access.get_editable(
        session=session, innovation_id=world.draft.id, user=world.innovator
    )
    # the winner commits between the loser's read and the loser's write
    session.execute(
        update(Innovation)
        .where(Innovation.id == world.draft.id)
        .values(title="Pemenang", version=2)
        .execution_options(synchronize_session=False)
    )
    assert loser_copy.version == 1
    with pytest.raises(StaleVersion):
        drafts.update_draft(
            session=session,
            actor=world.innovator,
            innovation=loser_copy,
            patch=InnovationPatch(version=1, title="Kalah"),
        )
    session.expire_all()
    stored = session.get(Innovation, world.draft.id)
    assert stored is not None and stored.title == "Pemenang" and stored.version == 2


def test_patch_bad_input_changes_nothing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    headers = world.headers("innovator")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": "X"}, "version"),
        ({"version": 1, "title": None}, "title"),
        ({"version": 1, "sections": {"sejarah": "x"}}, "sections.sejarah"),
        ({"version": 1, "group": "besar"}, "group"),
        ({"version": 1, "status": "submitted"}, "status"),
        ({"version": "satu"}, "version"),
    ]
    for body, field in cases:
        response = client.patch(_url(world), json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field, response.json()
    session.expire_all()
    stored = session.get(Innovation, world.draft.id)
    assert stored is not None and stored.version == 1 and stored.title == "Si Cantik"
    assert _audit(session, "innovation.update") == []


def test_patch_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    body = {"version": 1, "title": "X"}
    assert client.patch(_url(world), json=body).status_code == 401
    assert client.patch(_url(world), json=body, headers=world.headers("judge")).status_code == 403
    for who in ("colleague", "outsider", "other_agency_admin"):
        assert client.patch(_url(world), json=body, headers=world.headers(who)).status_code == 404
    session.expire_all()
    assert session.get(Innovation, world.draft.id).title == "Si Cantik"  # type: ignore[union-attr]


def test_only_a_draft_is_edited_and_only_in_the_window(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory)
    submitted = factory.innovation(
        world.competition, agency=world.agency, team=[world.innovator], status="submitted"
    )
    response = client.patch(
        f"/api/v1/innovations/{submitted.id}",
        json={"version": 1, "title": "X"},
        headers=world.headers("innovator"),
    )
    assert response.status_code == 409 and "Only a draft" in response.json()["detail"]
    with time_machine.travel(world.competition.stages[0].ends_at, tick=False):
        late = client.patch(
            _url(world), json={"version": 1, "title": "X"}, headers=world.headers("innovator")
        )
    assert late.status_code == 409 and "WITA" in late.json()["detail"]


# --------------------------------------------------------------------------- readiness


def test_readiness_lists_what_is_missing_then_nothing(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    headers = world.headers("innovator")
    report = client.get(_url(world, "/readiness"), headers=headers).json()
    assert report["ready"] is False
    fields = [p["field"] for p in report["problems"]]
    assert "sections.ringkasan" in fields and "started_on" in fields
    assert "sections.inspirasi" not in fields  # a replikasi section
    fields_ready = ready_fields()
    fields_ready["sections"]["ide_inovatif"] = " ".join(["kata"] * 612)
    client.patch(_url(world), json={"version": 1, **fields_ready}, headers=headers)
    report = client.get(_url(world, "/readiness"), headers=headers).json()
    assert report == {
        "ready": False,
        "problems": [
            {
                "field": "sections.ide_inovatif",
                "pointer": "/sections/ide_inovatif",
                "message": "612 words; the limit is 600.",
                "code": "too_many_words",
                "params": {"words": 612, "limit": 600},
            }
        ],
    }
    client.patch(
        _url(world), json={"version": 2, "sections": {"ide_inovatif": "pendek"}}, headers=headers
    )
    assert client.get(_url(world, "/readiness"), headers=headers).json() == {
        "ready": True,
        "problems": [],
    }


def test_minimum_age_is_judged_on_the_competitions_local_date(
    client: TestClient, factory: Factory, session: Session
) -> None:
    # 2021-10-31 17:00 UTC is already 2021-11-01 01:00 in WITA
    moment = datetime(2021, 10, 31, 17, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        world = make_world(factory)
        world.draft.sections = ready_fields()["sections"]
        world.draft.started_on = date(2019, 11, 1)  # two years old on 2021-11-01
        session.flush()
        report = client.get(_url(world, "/readiness"), headers=world.headers("innovator")).json()
    assert report == {"ready": True, "problems": []}


def test_readiness_refusals(client: TestClient, factory: Factory) -> None:
    world = make_world(factory, current_stage="presentation")
    world.draft.status = "eligible"
    assert client.get(_url(world, "/readiness")).status_code == 401
    assert client.get(_url(world, "/readiness"), headers=world.headers("judge")).status_code == 403
    for who in ("colleague", "outsider", "other_agency_admin"):
        assert client.get(_url(world, "/readiness"), headers=world.headers(who)).status_code == 404
    for who in ("innovator", "agency_admin", "admin"):
        assert client.get(_url(world, "/readiness"), headers=world.headers(who)).status_code == 200


# --------------------------------------------------------------------------- submit, withdraw


def test_submit_refuses_a_proposal_that_is_not_ready(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    headers = world.headers("innovator")
    problems = client.get(_url(world, "/readiness"), headers=headers).json()["problems"]
    response = client.post(_url(world, "/submit"), headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == problems
    session.expire_all()
    assert session.get(Innovation, world.draft.id).status == "draft"  # type: ignore[union-attr]
    assert _audit(session, "innovation.submit") == []


@pytest.mark.parametrize("who", ["innovator", "agency_admin"])
def test_owners_submit_a_ready_draft(
    client: TestClient, factory: Factory, session: Session, who: str
) -> None:
    world = make_world(factory)
    client.patch(_url(world), json={"version": 1, **ready_fields()}, headers=world.headers(who))
    moment = datetime.now(UTC).replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = client.post(_url(world, "/submit"), headers=world.headers(who))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "submitted" and body["version"] == 3
    assert datetime.fromisoformat(body["submitted_at"]) == moment
    [event] = _audit(session, "innovation.submit")
    assert event.before == {"status": "draft"} and event.after == {"status": "submitted"}
    again = client.post(_url(world, "/submit"), headers=world.headers(who))
    assert again.status_code == 409


def test_submit_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    client.patch(
        _url(world), json={"version": 1, **ready_fields()}, headers=world.headers("innovator")
    )
    assert client.post(_url(world, "/submit")).status_code == 401
    for who in ("admin", "judge"):
        assert client.post(_url(world, "/submit"), headers=world.headers(who)).status_code == 403
    for who in ("colleague", "outsider", "other_agency_admin"):
        assert client.post(_url(world, "/submit"), headers=world.headers(who)).status_code == 404
    with time_machine.travel(world.competition.stages[0].ends_at, tick=False):
        late = client.post(_url(world, "/submit"), headers=world.headers("innovator"))
    assert late.status_code == 409 and "closed at" in late.json()["detail"]
    session.expire_all()
    assert session.get(Innovation, world.draft.id).status == "draft"  # type: ignore[union-attr]


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_withdraw_a_draft_or_a_submitted_proposal(
    client: TestClient, factory: Factory, session: Session, status: str
) -> None:
    world = make_world(factory)
    world.draft.status = status
    session.flush()
    response = client.post(_url(world, "/withdraw"), headers=world.headers("agency_admin"))
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    [event] = _audit(session, "innovation.withdraw")
    assert event.before == {"status": status} and event.after == {"status": "withdrawn"}
    assert (
        client.post(_url(world, "/withdraw"), headers=world.headers("innovator")).status_code == 409
    )


def test_withdraw_refusals(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    assert client.post(_url(world, "/withdraw")).status_code == 401
    for who in ("admin", "judge"):
        assert client.post(_url(world, "/withdraw"), headers=world.headers(who)).status_code == 403
    for who in ("colleague", "outsider", "other_agency_admin"):
        assert client.post(_url(world, "/withdraw"), headers=world.headers(who)).status_code == 404
    with time_machine.travel(world.competition.stages[0].starts_at - timedelta(days=1), tick=False):
        early = client.post(_url(world, "/withdraw"), headers=world.headers("innovator"))
    assert early.status_code == 409 and "opens at" in early.json()["detail"]
    eligible = factory.innovation(
        world.competition, agency=world.agency, team=[world.innovator], status="eligible"
    )
    assert (
        client.post(
            f"/api/v1/innovations/{eligible.id}/withdraw", headers=world.headers("innovator")
        ).status_code
        == 409
    )
    session.expire_all()
    assert session.get(Innovation, world.draft.id).status == "draft"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- list


def _listed(client: TestClient, world: World, who: str | None, **params: Any) -> list[int]:
    headers = world.headers(who) if who else {}
    response = client.get(_create_url(world), params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] >= len(body["items"])
    return [item["id"] for item in body["items"]]


def test_lists_are_scoped_by_role(client: TestClient, factory: Factory) -> None:
    world = make_world(factory, current_stage="presentation")
    theirs = factory.innovation(
        world.competition, agency=world.other_agency, team=[world.outsider], status="eligible"
    )
    eligible = factory.innovation(world.competition, agency=world.agency, status="eligible")
    submitted = factory.innovation(world.competition, agency=world.agency, status="submitted")
    all_ids = sorted([world.draft.id, theirs.id, eligible.id, submitted.id])
    assert _listed(client, world, "admin") == all_ids
    assert _listed(client, world, "agency_admin") == sorted(
        [world.draft.id, eligible.id, submitted.id]
    )
    assert _listed(client, world, "innovator") == [world.draft.id]
    assert _listed(client, world, "colleague") == []
    assert _listed(client, world, "outsider") == [theirs.id]
    assert _listed(client, world, "judge") == [eligible.id]  # not their own agency's
    assert _listed(client, world, None) == sorted([theirs.id, eligible.id])
    assert _listed(client, world, "colleague", public=True) == sorted([theirs.id, eligible.id])


def test_list_filters_and_paging(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    ids = [factory.innovation(world.competition, agency=world.other_agency).id for _ in range(3)]
    submitted = factory.innovation(world.competition, agency=world.agency, status="submitted")
    assert _listed(client, world, "admin", status="submitted") == [submitted.id]
    assert _listed(client, world, "admin", agency_id=world.other_agency.id) == ids
    page = client.get(
        _create_url(world), params={"limit": 2, "offset": 1}, headers=world.headers("admin")
    ).json()
    assert page["total"] == 5 and [i["id"] for i in page["items"]] == ids[:2]
    bad = client.get(_create_url(world), params={"status": "lost"}, headers=world.headers("admin"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_public_list_waits_for_the_presentation_stage_and_shows_public_fields_only(
    client: TestClient, factory: Factory
) -> None:
    for stage in ("submission", "administrative"):
        world = make_world(factory, current_stage=stage)
        factory.innovation(world.competition, agency=world.agency, status="eligible")
        assert client.get(_create_url(world)).json() == {"items": [], "total": 0}
    world = make_world(factory, current_stage="announcement")
    statuses = ["draft", "submitted", "ineligible", "withdrawn", "eligible", "nominated",
                "not_nominated", "winner"]  # fmt: skip
    made = {
        s: factory.innovation(world.competition, agency=world.agency, status=s) for s in statuses
    }
    body = client.get(_create_url(world)).json()
    assert [i["id"] for i in body["items"]] == [
        made[s].id for s in ("eligible", "nominated", "not_nominated", "winner")
    ]
    assert body["total"] == 4
    for item in body["items"]:
        assert set(item) == PUBLIC_FIELDS
    assert body["items"][0]["agency_code"] == world.agency.code
    assert body["items"][0]["agency_name"] == world.agency.name


def test_the_top_n_decision_does_not_leak_before_the_announcement(
    client: TestClient, factory: Factory
) -> None:
    """In the nomination stage the decision is the panel's: the public cannot filter the list
    by it, and the team and their agency admin see their decided proposal as eligible."""
    world = make_world(factory, current_stage="nomination")
    nominated = factory.innovation(
        world.competition, agency=world.agency, team=[world.innovator], status="nominated"
    )
    passed_over = factory.innovation(
        world.competition, agency=world.agency, team=[world.innovator], status="not_nominated"
    )
    decided = sorted([nominated.id, passed_over.id])
    for who, public in ((None, False), ("colleague", True), ("innovator", False)):
        for status in ("nominated", "not_nominated"):
            assert _listed(client, world, who, status=status, public=public) == [], (who, status)
        assert _listed(client, world, who, status="eligible", public=public) == decided, who
    for who in ("innovator", "agency_admin"):
        rows = client.get(_create_url(world), headers=world.headers(who)).json()["items"]
        assert {r["status"] for r in rows if r["id"] in decided} == {"eligible"}, who
        for innovation in (nominated, passed_over):
            response = client.get(
                f"/api/v1/innovations/{innovation.id}", headers=world.headers(who)
            )
            assert response.json()["status"] == "eligible", who
    # The organising team and the panel see the decision; everyone once it is announced.
    assert _listed(client, world, "admin", status="nominated") == [nominated.id]
    admin_view = client.get(f"/api/v1/innovations/{nominated.id}", headers=world.headers("admin"))
    assert admin_view.json()["status"] == "nominated"
    world.competition.current_stage = "announcement"
    factory.session.flush()
    assert _listed(client, world, None, status="nominated") == [nominated.id]
    response = client.get(
        f"/api/v1/innovations/{passed_over.id}", headers=world.headers("innovator")
    )
    assert response.json()["status"] == "not_nominated"


def test_an_agency_admin_changes_the_team_of_a_draft(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    response = client.patch(
        _url(world),
        json={"version": 1, "team_user_ids": [world.colleague.id, world.innovator.id]},
        headers=world.headers("agency_admin"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(m["id"] for m in body["team"]) == sorted([world.colleague.id, world.innovator.id])
    assert body["version"] == 2  # the agency admin does not join the team
    (event,) = _audit(session, "innovation.update")
    assert event.before == {"team": [world.innovator.id]}
    assert event.after == {"team": sorted([world.colleague.id, world.innovator.id])}
    # The colleague now reads and edits it.
    assert client.get(_url(world), headers=world.headers("colleague")).status_code == 200


def test_the_team_is_chosen_only_among_the_agency_s_innovators(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    for who, team, status in (
        ("innovator", [world.colleague.id], 403),  # innovators don't choose teams
        ("agency_admin", [world.outsider.id], 422),  # another agency's innovator
        ("agency_admin", [world.judge.id], 422),  # not an innovator
        ("admin", [999_999], 422),
    ):
        response = client.patch(
            _url(world), json={"version": 1, "team_user_ids": team}, headers=world.headers(who)
        )
        assert response.status_code == status, (who, response.text)
    team = session.scalars(
        select(innovation_team.c.user_id).where(innovation_team.c.innovation_id == world.draft.id)
    ).all()
    assert team == [world.innovator.id]
    assert session.scalar(select(Innovation.version).where(Innovation.id == world.draft.id)) == 1
