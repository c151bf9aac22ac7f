from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.demo import data, seed
from kipp.models import Agency, Competition, Innovation, Role, Stage, User


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
