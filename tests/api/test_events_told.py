"""Each event tells the right people, in their language, inbox and e-mail — and nobody else."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_proposal_template
from kipp.innovations.readiness import sections_for
from kipp.models import Notification, Objection, OutboxMessage, Role, User, innovation_team
from tests.api.test_ranking import judged_competition
from tests.factories import Factory, auth_headers


def _told(session: Session, kind: str) -> dict[str, tuple[str, bool]]:
    """Address → (subject, has an inbox row) of every e-mail of ``kind``."""
    inbox = {
        n.user_id for n in session.scalars(select(Notification).where(Notification.kind == kind))
    }
    return {
        m.to_address: (m.subject, m.user_id in inbox)
        for m in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
    }


def _english(user: User, session: Session) -> User:
    user.locale = "en"
    session.flush()
    return user


def test_submission_tells_the_team_and_the_agency_admins(
    client: TestClient, session: Session, factory: Factory
) -> None:
    competition = factory.competition(current_stage="submission")
    agency = factory.agency(name="Dinas Kesehatan")
    innovator = factory.user(Role.INNOVATOR, agency=agency)
    teammate = _english(factory.user(Role.INNOVATOR, agency=agency), session)
    agency_admin = factory.user(Role.AGENCY_ADMIN, agency=agency)
    bystanders = [
        factory.user(Role.INNOVATOR, agency=agency),  # same agency, not on the team
        factory.user(Role.AGENCY_ADMIN),  # another agency
        factory.user(Role.JUDGE, agency=agency),
        factory.admin(),
    ]
    factory.user(Role.AGENCY_ADMIN, agency=agency, is_active=False, email="gone@example.com")
    template = default_proposal_template()
    innovation = factory.innovation(
        competition,
        agency=agency,
        team=[innovator, teammate],
        title="Si Cantik",
        sections={s["key"]: "Teks singkat yang cukup" for s in sections_for(template, "umum")},
        started_on=date(2018, 1, 15),
    )
    answer = client.post(
        f"/api/v1/innovations/{innovation.id}/submit", headers=auth_headers(innovator)
    )
    assert answer.status_code == 200, answer.text
    assert _told(session, "proposal_submitted") == {
        innovator.email: ("Proposal diterima: Si Cantik", True),
        teammate.email: ("Proposal received: Si Cantik", True),
        agency_admin.email: ("Proposal diterima: Si Cantik", True),
    }
    assert not {b.email for b in bystanders} & set(_told(session, "proposal_submitted"))
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == innovator.email)
    ).one()
    assert "Dinas Kesehatan" in mail.body
    assert f"/innovator/proposals/{innovation.id}" in mail.body


def test_the_administrative_decision_carries_its_reasons(
    client: TestClient, session: Session, factory: Factory
) -> None:
    competition = factory.competition(current_stage="administrative")
    agency = factory.agency()
    innovator = _english(factory.user(Role.INNOVATOR, agency=agency), session)
    innovation = factory.innovation(
        competition, agency=agency, team=[innovator], status="submitted", title="Si Lambat"
    )
    checks = {str(item["key"]): True for item in competition.admin_checklist}
    failed_key = next(iter(checks))
    checks[failed_key] = False
    answer = client.post(
        f"/api/v1/innovations/{innovation.id}/administrative-review",
        json={"passed": False, "checks": checks, "notes": "Bukti dukung tidak dilampirkan."},
        headers=auth_headers(factory.admin()),
    )
    assert answer.status_code == 200, answer.text
    assert _told(session, "administrative_decision") == {
        innovator.email: ("Not eligible: Si Lambat", True)
    }
    note = session.scalars(select(Notification)).one()
    assert "Bukti dukung tidak dilampirkan." in note.body
    label = competition.admin_checklist[0]["label"]
    assert f"- {label}" in note.body


def test_new_panel_judges_are_told_and_scoring_opens_for_the_panel(
    client: TestClient, session: Session, factory: Factory
) -> None:
    competition = factory.competition(current_stage="administrative")
    admin = factory.admin()
    staying, joining = factory.user(Role.JUDGE), _english(factory.user(Role.JUDGE), session)
    factory.add_panel(competition, [staying])
    outsider = factory.user(Role.JUDGE)
    url = f"/api/v1/competitions/{competition.id}"
    answer = client.put(
        f"{url}/judges", json={"user_ids": [staying.id, joining.id]}, headers=auth_headers(admin)
    )
    assert answer.status_code == 200, answer.text
    assert _told(session, "judge_added") == {
        joining.email: (f"You are on the judging panel of {competition.name}", True)
    }
    advanced = client.post(f"{url}/advance", headers=auth_headers(admin))
    assert advanced.status_code == 200, advanced.text
    told = _told(session, "scoring_opened")
    assert set(told) == {staying.email, joining.email}
    assert outsider.email not in told
    body = (
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.to_address == staying.email, OutboxMessage.kind == "scoring_opened"
            )
        )
        .one()
        .body
    )
    assert "WITA" in body and "sebelum" in body


def test_the_announcement_tells_every_participant_and_objections_reach_both_sides(
    client: TestClient, session: Session, factory: Factory
) -> None:
    judged = judged_competition(factory, levels=(9, 8, 7, 6))
    teams = []
    for innovation in judged.innovations:
        member = factory.user(Role.INNOVATOR, agency_id=innovation.agency_id)
        session.execute(
            innovation_team.insert(),
            {"innovation_id": innovation.id, "user_id": member.id},
        )
        teams.append(member)
    agency_admin = factory.user(Role.AGENCY_ADMIN, agency_id=judged.innovations[0].agency_id)
    drafting = factory.user(Role.INNOVATOR)
    factory.innovation(judged.competition, team=[drafting], status="draft")
    cid = f"/api/v1/competitions/{judged.competition.id}"
    admin_headers = auth_headers(judged.admin)
    nominated = client.post(
        f"{cid}/nomination",
        json={"innovation_ids": [i.id for i in judged.innovations[:3]], "method": "mean"},
        headers=admin_headers,
    )
    assert nominated.status_code == 200, nominated.text
    assert client.post(f"{cid}/advance", headers=admin_headers).status_code == 200
    told = _told(session, "top_announced")
    assert set(told) == {m.email for m in teams} | {agency_admin.email}
    assert drafting.email not in told and judged.judges[0].email not in told
    assert told[teams[0].email][0] == f"TOP 3 {judged.competition.name} diumumkan"

    filed = client.post(
        f"{cid}/objections",
        json={
            "innovation_id": judged.innovations[0].id,
            "name": "Warga Masamba",
            "email": "warga@example.com",
            "text": "Inovasi ini belum berjalan di lapangan sejak awal tahun.",
        },
        headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    assert filed.status_code == 201, filed.text
    received = _told(session, "objection_received")
    assert set(received) == {judged.admin.email}
    objection = session.get(Objection, filed.json()["id"])
    assert objection is not None and objection.lang == "en"

    answered = client.post(
        f"{cid}/objections/{objection.id}/answer",
        json={"answer": "Sudah kami verifikasi di lapangan."},
        headers=admin_headers,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["answer"] == "Sudah kami verifikasi di lapangan."
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "objection_answered")
    ).one()
    assert mail.to_address == "warga@example.com" and mail.user_id is None
    assert mail.subject.startswith("The answer to your objection")
    assert "Sudah kami verifikasi di lapangan." in mail.body
    assert (
        session.scalars(select(Notification).where(Notification.kind == "objection_answered")).all()
        == []
    )
    missing = client.post(
        f"{cid}/objections/999999/answer", json={"answer": "x"}, headers=admin_headers
    )
    assert missing.status_code == 404
