"""The presentation schedule: who sees it, replacing it whole, the fill, calendars, letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.models import AuditEvent, Competition, Innovation, OutboxMessage, Role, User
from tests.factories import Factory, auth_headers

URL = "/api/v1/competitions/{cid}/schedule"


@dataclass
class World:
    competition: Competition
    admin: User
    judge: User
    conflicted: User
    owner: User
    stranger: User
    eligible: list[Innovation]
    draft: Innovation


@pytest.fixture
def world(factory: Factory) -> World:
    agency_a, agency_b, agency_c = factory.agency(), factory.agency(), factory.agency()
    owner = factory.user(Role.INNOVATOR, agency=agency_a)
    judge = factory.user(Role.JUDGE, agency=agency_c)
    conflicted = factory.user(Role.JUDGE, agency=agency_a)
    competition = factory.competition(current_stage="presentation")
    factory.add_panel(competition, [judge, conflicted])
    first = factory.innovation(
        competition, agency=agency_a, team=[owner], status="eligible", title="Sistem Antrian"
    )
    second = factory.innovation(competition, agency=agency_b, status="eligible", title="Aplikasi")
    draft = factory.innovation(competition, agency=agency_b, status="submitted")
    return World(
        competition=competition,
        admin=factory.admin(),
        judge=judge,
        conflicted=conflicted,
        owner=owner,
        stranger=factory.user(Role.INNOVATOR, agency=agency_b),
        eligible=[first, second],
        draft=draft,
    )


def slot(innovation_id: int | None, start: str, **fields: Any) -> dict[str, Any]:
    return {
        "innovation_id": innovation_id,
        "starts_at": start,
        "duration_minutes": 30,
        "place": "Aula Kantor Bupati",
        **fields,
    }


def put(client: TestClient, world: World, body: dict[str, Any], **headers: str) -> Any:
    return client.put(
        URL.format(cid=world.competition.id),
        json=body,
        headers={**auth_headers(world.admin), **headers},
    )


def save(client: TestClient, world: World, published: bool = True, **kw: Any) -> dict[str, Any]:
    a, b = world.eligible
    slots = kw.get(
        "slots",
        [
            slot(a.id, "2021-11-15T09:00:00+08:00", online_url="https://meet.example.id/kipp"),
            slot(None, "2021-11-15T09:30:00+08:00", duration_minutes=15, note="Istirahat"),
            slot(b.id, "2021-11-15T09:45:00+08:00"),
        ],
    )
    response = put(client, world, {"version": kw.get("version", 0), "published": published,
                                   "slots": slots})  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def outbox(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_admin_saves_a_schedule_in_the_competitions_time_zone(
    client: TestClient, world: World
) -> None:
    body = save(client, world, published=False)
    assert body["version"] == 1 and body["published"] is False
    assert [s["title"] for s in body["items"]] == ["Sistem Antrian", None, "Aplikasi"]
    first = body["items"][0]
    assert first["starts_at"] == "2021-11-15T09:00:00+08:00"
    assert first["ends_at"] == "2021-11-15T09:30:00+08:00"
    assert first["online_url"] == "https://meet.example.id/kipp"
    read = client.get(URL.format(cid=world.competition.id), headers=auth_headers(world.admin))
    assert read.json() == body


def test_a_draft_schedule_is_only_the_admins(client: TestClient, world: World) -> None:
    save(client, world, published=False)
    url = URL.format(cid=world.competition.id)
    # "Not published yet" is an answer, not an absence: an empty schedule, no slot shown.
    not_yet = {"published": False, "published_at": None, "items": [], "total": 0}
    for headers in [auth_headers(user) for user in (world.owner, world.judge, world.stranger)]:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200
        assert {key: answer.json()[key] for key in not_yet} == not_yet
    assert client.get(url).json()["items"] == []
    assert client.get(url + ".ics").status_code == 404
    assert client.get(url, headers=auth_headers(world.admin)).json()["total"] == 3


def test_the_published_schedule_shows_links_only_to_the_people_in_the_slot(
    client: TestClient, world: World
) -> None:
    save(client, world)
    url = URL.format(cid=world.competition.id)
    public = client.get(url).json()
    assert public["published"] is True
    assert [s["online_url"] for s in public["items"]] == [None, None, None]
    assert [s["agency_code"] is not None for s in public["items"]] == [True, False, True]
    mine = client.get(url, headers=auth_headers(world.owner)).json()["items"]
    assert (mine[0]["own"], mine[0]["online_url"]) == (True, "https://meet.example.id/kipp")
    assert mine[2]["own"] is False
    judge = client.get(url, headers=auth_headers(world.judge)).json()["items"]
    assert judge[0]["online_url"] == "https://meet.example.id/kipp"


def test_an_unpublished_competition_hides_even_a_published_schedule(
    client: TestClient, world: World, session: Session
) -> None:
    save(client, world)
    world.competition.published = False
    session.flush()
    assert client.get(URL.format(cid=world.competition.id)).status_code == 404


@pytest.mark.parametrize(
    ("slots", "field"),
    [
        ("draft", "slots.0.innovation_id"),
        ("twice", "slots.1.innovation_id"),
        ("overlap", "slots.1.starts_at"),
        ("foreign_slot", "slots.0.id"),
    ],
)
def test_bad_schedules_are_refused_with_a_pointer_and_change_nothing(
    client: TestClient, world: World, session: Session, slots: str, field: str
) -> None:
    a, b = world.eligible
    cases = {
        "draft": [slot(world.draft.id, "2021-11-15T09:00:00+08:00")],
        "twice": [
            slot(a.id, "2021-11-15T09:00:00+08:00"),
            slot(a.id, "2021-11-15T10:00:00+08:00"),
        ],
        "overlap": [
            slot(a.id, "2021-11-15T09:00:00+08:00"),
            slot(b.id, "2021-11-15T09:20:00+08:00", place="aula kantor  bupati"),
        ],
        "foreign_slot": [slot(a.id, "2021-11-15T09:00:00+08:00", id=999999)],
    }
    response = put(
        client, world, {"version": 0, "published": True, "slots": cases[slots]},
        **{"Accept-Language": "en"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    assert problem["detail"] == "The schedule cannot be saved."
    indonesian = put(
        client, world, {"version": 0, "published": True, "slots": cases[slots]},
        **{"Accept-Language": "id"},
    )  # fmt: skip
    assert indonesian.json()["detail"] == "Jadwal tidak dapat disimpan."
    assert (
        client.get(URL.format(cid=world.competition.id), headers=auth_headers(world.admin)).json()[
            "version"
        ]
        == 0
    )
    assert outbox(session) == []


def test_a_naive_time_is_refused(client: TestClient, world: World) -> None:
    response = put(
        client,
        world,
        {"version": 0, "slots": [slot(world.eligible[0].id, "2021-11-15T09:00:00")]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "slots.0.starts_at"


def test_a_stale_version_is_refused(client: TestClient, world: World) -> None:
    save(client, world, published=False)
    response = put(client, world, {"version": 0, "published": False, "slots": []})
    assert response.status_code == 409
    assert response.json()["type"].endswith("stale-version")


def test_publishing_tells_the_team_and_the_judges_in_their_language_with_the_ics(
    client: TestClient, world: World, session: Session
) -> None:
    world.judge.locale = "en"
    session.flush()
    save(client, world, published=False)
    assert outbox(session) == []  # a draft tells nobody
    draft = client.get(URL.format(cid=world.competition.id), headers=auth_headers(world.admin))
    body = draft.json()
    kept = [
        {k: s[k] for k in ("id", "innovation_id", "starts_at", "duration_minutes", "place",
                           "online_url", "note")}
        for s in body["items"]
    ]  # fmt: skip
    save(client, world, published=True, version=1, slots=kept)
    mails = outbox(session)
    first = world.eligible[0].id
    to_first = [m for m in mails if f"/innovator/proposals/{first}" in m.body
                or f"/judge/innovations/{first}" in m.body]  # fmt: skip
    # The owner's team and the one judge who scores it (the other is of the same agency).
    assert sorted(m.to_address for m in to_first) == sorted([world.owner.email, world.judge.email])
    owner_mail = next(m for m in to_first if m.to_address == world.owner.email)
    judge_mail = next(m for m in to_first if m.to_address == world.judge.email)
    assert owner_mail.subject == "Jadwal presentasi: Sistem Antrian"
    assert "Senin, 15 November 2021, 09.00–09.30 WITA" in owner_mail.body
    assert "Aula Kantor Bupati" in owner_mail.body
    assert judge_mail.subject == "Presentation slot: Sistem Antrian"
    assert "Monday, 15 November 2021, 09:00–09:30 WITA" in judge_mail.body
    ics = owner_mail.attachments[0]
    assert ics["content_type"] == "text/calendar"
    event = Calendar.from_ical(ics["content"]).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).startswith("Sistem Antrian")
    assert int(event["SEQUENCE"]) == 0


def test_only_a_moved_slot_is_announced_again_and_its_sequence_grows(
    client: TestClient, world: World, session: Session
) -> None:
    body = save(client, world)
    before = len(outbox(session))
    kept = [
        {k: s[k] for k in ("id", "innovation_id", "starts_at", "duration_minutes", "place",
                           "online_url", "note")}
        for s in body["items"]
    ]  # fmt: skip
    body = save(client, world, version=1, slots=kept)  # unchanged: nobody is told
    assert len(outbox(session)) == before
    kept[2]["starts_at"] = "2021-11-16T10:00:00+08:00"
    body = save(client, world, version=2, slots=kept)
    moved = outbox(session)[before:]
    assert moved and all(m.kind == "slot_moved" for m in moved)
    assert {m.subject for m in moved} == {"Jadwal presentasi diubah: Aplikasi"}
    assert [s["sequence"] for s in body["items"]] == [0, 0, 1]
    assert body["items"][2]["id"] == kept[2]["id"]
    calendar = client.get(URL.format(cid=world.competition.id) + ".ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(calendar.text).walk("VEVENT")
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1]  # breaks are not events
    assert len({str(e["UID"]) for e in events}) == 2
    assert all("URL" not in e for e in events)  # the public gets no meeting link
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "schedule.update"))
    assert len(list(audit)) == 3


def test_one_slot_as_a_calendar(client: TestClient, world: World) -> None:
    body = save(client, world)
    sid = body["items"][0]["id"]
    url = URL.format(cid=world.competition.id) + f"/slots/{sid}.ics"
    public = Calendar.from_ical(client.get(url).text).walk("VEVENT")[0]
    assert public.decoded("DTSTART").isoformat() == "2021-11-15T09:00:00+08:00"
    assert str(public["LOCATION"]) == "Aula Kantor Bupati"
    assert "URL" not in public
    own = client.get(url, headers=auth_headers(world.owner)).text
    assert "URL:https://meet.example.id/kipp" in own
    other = URL.format(cid=world.competition.id) + "/slots/999999.ics"
    assert client.get(other, headers=auth_headers(world.admin)).status_code == 404


def test_the_fill_proposes_every_eligible_innovation_and_saves_nothing(
    client: TestClient, world: World
) -> None:
    fill = {
        "days": ["2021-11-15"],
        "day_start": "08:00",
        "day_end": "12:00",
        "duration_minutes": 45,
        "break_after_n": 1,
        "break_minutes": 15,
        "order": "title",
        "place": "Aula",
    }
    url = URL.format(cid=world.competition.id) + "/fill"
    response = client.post(url, json=fill, headers=auth_headers(world.admin))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [s["title"] for s in items] == ["Aplikasi", None, "Sistem Antrian"]
    assert [s["starts_at"][11:16] for s in items] == ["08:00", "08:45", "09:00"]
    assert all(s["id"] is None for s in items)
    read = client.get(URL.format(cid=world.competition.id), headers=auth_headers(world.admin))
    assert read.json()["total"] == 0
    short = client.post(url, json={**fill, "day_end": "08:30"}, headers=auth_headers(world.admin))
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "days"
    backwards = client.post(
        url, json={**fill, "day_end": "07:00"}, headers=auth_headers(world.admin)
    )
    assert backwards.json()["errors"][0]["field"] == "day_end"


def test_the_judges_list_follows_the_published_order(client: TestClient, world: World) -> None:
    a, b = world.eligible
    save(
        client,
        world,
        slots=[
            slot(b.id, "2021-11-15T08:00:00+08:00", place="Ruang Rapat"),
            slot(a.id, "2021-11-15T09:00:00+08:00"),
        ],
    )
    items = client.get("/api/v1/me/assignments", headers=auth_headers(world.judge)).json()["items"]
    assert [i["innovation_id"] for i in items] == [b.id, a.id]
    assert items[0]["slot_place"] == "Ruang Rapat"
    assert items[0]["slot_starts_at"].startswith("2021-11-15T00:00:00")
