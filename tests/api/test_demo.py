from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.config import get_settings
from kipp.demo import data, seed
from kipp.models import Agency, Competition, Innovation, Organisation, Role, Stage, User
from kipp.organisations.service import default_id


def test_seed_loads_luwu_utara_and_is_idempotent(session: Session) -> None:
    first = seed.seed_demo(session=session)
    assert first.created["agencies"] == 10
    assert first.created["innovations"] == 19
    second = seed.seed_demo(session=session)
    assert second.created == {}
    competition = session.scalar(select(Competition).where(Competition.year == 2021))
    assert competition is not None and competition.top_n == 7 and competition.published
    titles = session.scalars(
        select(Innovation.title).where(Innovation.competition_id == competition.id)
    ).all()
    assert len(titles) == 19 and "Sister Rina" in titles and "Si Mas Daring" in titles
    stages = session.scalars(
        select(Stage).where(Stage.competition_id == competition.id).order_by(Stage.position)
    ).all()
    assert [s.key for s in stages] == [
        "submission",
        "administrative",
        "presentation",
        "nomination",
        "announcement",
    ]
    # Minggu II Oktober 2021 starts on Monday 11 October, midnight WITA (UTC+8).
    assert stages[0].starts_at == datetime(2021, 10, 10, 16, 0, tzinfo=UTC)
    judges = session.scalars(select(User).where(User.role == Role.JUDGE)).all()
    assert len(judges) == 6 and len({j.agency_id for j in judges}) == 6
    assert session.scalar(select(func.count()).select_from(Agency)) == 10
    # Everything sits in Luwu Utara's organisation, run by its organiser beside the platform admin.
    home = session.scalar(select(Organisation).where(Organisation.slug == "luwu-utara"))
    assert home is not None and home.id == default_id(session)
    assert (home.name, home.level) == ("Pemerintah Kabupaten Luwu Utara", "kabupaten")
    assert competition.organisation_id == home.id
    organiser = session.scalar(select(User).where(User.email == data.DEMO_ORGANISER_EMAIL))
    assert organiser is not None and organiser.role == Role.ORGANISER
    assert organiser.organisation_id == home.id
    assert first.created["organisations"] == 1


@pytest.fixture
def development(app: FastAPI) -> None:
    """The app as `make run` serves it (the demo logins exist only in development)."""
    settings = get_settings().model_copy(update={"environment": "development"})
    app.dependency_overrides[get_settings] = lambda: settings


@pytest.mark.usefixtures("development")
def test_demo_logins_only_while_demo_is_loaded(client: TestClient, session: Session) -> None:
    assert client.get("/api/v1/demo-logins").status_code == 404
    seed.seed_demo(session=session)
    session.commit()
    body = client.get("/api/v1/demo-logins").json()
    assert body["items"][0]["email"] == data.DEMO_ADMIN_EMAIL
    assert body["items"][0]["password"] == data.DEMO_PASSWORD
    login = client.post(
        "/api/v1/auth/token",
        data={"username": data.DEMO_ADMIN_EMAIL, "password": data.DEMO_PASSWORD},
    )
    assert login.status_code == 200


@pytest.mark.parametrize("environment", ["test", "production"])
def test_demo_logins_are_refused_outside_development(
    app: FastAPI, client: TestClient, session: Session, environment: str
) -> None:
    # Issue 10, #9: the demo admin's password must never be served by a real deployment.
    settings = get_settings().model_copy(update={"environment": environment})
    app.dependency_overrides[get_settings] = lambda: settings
    seed.seed_demo(session=session)
    session.commit()
    response = client.get("/api/v1/demo-logins")
    assert response.status_code == 404
    assert data.DEMO_PASSWORD not in response.text


def test_the_2021_competition_carries_its_published_schedule(
    client: TestClient, session: Session
) -> None:
    seed.seed_demo(session=session)
    competition = session.scalar(select(Competition).where(Competition.year == 2021))
    assert competition is not None
    response = client.get(f"/api/v1/competitions/{competition.id}/schedule")
    assert response.status_code == 200
    schedule = response.json()
    presentations = [s for s in schedule["items"] if s["innovation_id"] is not None]
    assert schedule["published"] is True and len(presentations) == 19
    # Weeks III–IV of November 2021, mornings in WITA.
    days = sorted({s["starts_at"][:10] for s in schedule["items"]})
    assert days == ["2021-11-16", "2021-11-18", "2021-11-23", "2021-11-25"]
    assert all(s["starts_at"].endswith("+08:00") for s in schedule["items"])
    assert seed.seed_demo(session=session).created == {}
