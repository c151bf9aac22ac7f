from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.config import get_settings
from kipp.demo import data, seed
from kipp.models import (
    Agency,
    Attachment,
    Competition,
    Innovation,
    Organisation,
    Promotion,
    Role,
    Stage,
    User,
)
from kipp.organisations.service import default_id


def test_seed_loads_luwu_utara_and_is_idempotent(session: Session) -> None:
    first = seed.seed_demo(session=session)
    assert first.created["agencies"] == 10
    assert first.created["innovations"] == 19
    second = seed.seed_demo(session=session)
    assert second.created == {}
    competition = session.scalar(
        select(Competition).where(Competition.name == data.COMPETITION_2021["name"])
    )
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
    judges = session.scalars(
        select(User).where(
            User.role == Role.JUDGE, User.organisation_id == competition.organisation_id
        )
    ).all()
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
    assert first.created["organisations"] == 2  # Luwu Utara (the default one) and the province


def test_the_province_received_luwu_utaras_top_7_with_provenance(session: Session) -> None:
    first = seed.seed_demo(session=session)
    assert first.created["promotions"] == 7 and first.created["organisations"] == 2
    assert seed.seed_demo(session=session).created == {}
    luwu_utara = session.scalar(
        select(Competition).where(Competition.name == data.COMPETITION_2021["name"])
    )
    province = session.scalar(
        select(Competition).where(Competition.name == data.PROVINCE_2021["name"])
    )
    assert luwu_utara is not None and province is not None
    assert luwu_utara.current_stage == "nomination"  # the demo's story starts there
    assert luwu_utara.parent_competition_id == province.id
    organisation = session.get(Organisation, province.organisation_id)
    assert organisation is not None and organisation.slug == "sulsel"
    assert province.level == "provinsi" and province.published
    promotions = session.scalars(
        select(Promotion)
        .where(Promotion.target_competition_id == province.id)
        .order_by(Promotion.rank)
    ).all()
    assert [p.rank for p in promotions] == [1, 2, 3, 4, 5, 6, 7]
    assert len({p.manifest_sha256 for p in promotions}) == 1
    copies = session.scalars(
        select(Innovation).where(Innovation.competition_id == province.id)
    ).all()
    assert {c.status for c in copies} == {"submitted"} and len(copies) == 7
    for promotion in promotions:
        original, copy = (
            session.scalars(select(Attachment.sha256).where(Attachment.innovation_id == i)).all()
            for i in (promotion.source_innovation_id, promotion.target_innovation_id)
        )
        assert original == copy and len(copy) == 1
    organiser = session.scalar(select(User).where(User.email == "panitia.sulsel@demo.kipp.id"))
    assert organiser is not None and organiser.role == Role.ORGANISER
    assert organiser.organisation_id == organisation.id


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
    competition = session.scalar(
        select(Competition).where(Competition.name == data.COMPETITION_2021["name"])
    )
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
