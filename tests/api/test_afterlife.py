"""Life after the award: sustainability reports (one per year, evidence, the organiser's
overview), their reminders, and replications — each endpoint and the roles it refuses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from kipp.afterlife import reminders
from kipp.config import get_settings
from kipp.models import (
    AuditEvent,
    Competition,
    Innovation,
    Notification,
    OutboxMessage,
    Replication,
    Role,
    SustainabilityEvidence,
    SustainabilityReminder,
    SustainabilityReport,
    User,
)
from kipp.worker import JOBS, Worker
from tests.factories import Factory, auth_headers
from tests.mail import mail_server

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# 10 March 2026 in Makassar: the report on 2025 is due (January), 2026 is in progress.
MARCH_2026 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def in_march_2026() -> Iterator[None]:
    with time_machine.travel(MARCH_2026, tick=False):
        yield


@dataclass
class Winner:
    competition: Competition
    innovation: Innovation
    innovator: User
    agency_admin: User
    admin: User


def _winner(factory: Factory, *, status: str = "winner") -> Winner:
    """A winner of a competition announced in November 2024 (reports from 2025 on)."""
    competition = factory.competition(
        current_stage="announcement",
        year=2024,
        announced_at=datetime(2024, 11, 20, 2, 0, tzinfo=UTC),
        finalised_at=datetime(2024, 11, 26, 2, 0, tzinfo=UTC),
    )
    agency = factory.agency(name="Dinas Kesehatan")
    innovator = factory.user(Role.INNOVATOR, agency=agency)
    innovation = factory.innovation(
        competition, agency=agency, team=[innovator], status=status, title="ANC Hipnoterapi"
    )
    return Winner(
        competition,
        innovation,
        innovator,
        factory.user(Role.AGENCY_ADMIN, agency=agency),
        factory.admin(),
    )


def _reports_url(winner: Winner, year: int | None = None) -> str:
    url = f"/api/v1/innovations/{winner.innovation.id}/sustainability-reports"
    return url if year is None else f"{url}/{year}"


REPORT = {
    "year": 2025,
    "status": "running",
    "budget_source": "APBD",
    "regulation": "Perbup No. 12/2022",
    "people_served": 1200,
    "notes": "Diterapkan di 15 puskesmas.",
}


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# --------------------------------------------------------------------------- reports


@pytest.mark.usefixtures("in_march_2026")
def test_a_winner_files_one_report_per_year_and_the_organising_team_is_told(
    client: TestClient, session: Session, factory: Factory
) -> None:
    winner = _winner(factory)
    team = auth_headers(winner.innovator)

    listed = client.get(_reports_url(winner), headers=team).json()
    assert listed["reporting"] is True
    assert (listed["first_year"], listed["open_years"], listed["missing_years"]) == (
        2025,
        [2026, 2025],
        [2025],
    )
    assert listed["items"] == [] and listed["due_month"] == 1

    filed = client.post(_reports_url(winner), json=REPORT, headers=team)
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert body["year"] == 2025 and body["status"] == "running"
    assert body["submitted_by_name"] == winner.innovator.full_name and body["evidence"] == []
    told = session.scalars(
        select(Notification).where(Notification.kind == "sustainability_report_filed")
    ).all()
    assert [n.user_id for n in told] == [winner.admin.id]
    assert told[0].title == "Laporan keberlanjutan 2025: ANC Hipnoterapi"
    assert told[0].link == f"/admin/competitions/{winner.competition.id}/sustainability"

    again = client.post(_reports_url(winner), json={**REPORT, "status": "stopped"}, headers=team)
    assert again.status_code == 409
    assert "amend that one" in again.json()["detail"]

    amended = client.put(
        _reports_url(winner, 2025),
        json={**{k: v for k, v in REPORT.items() if k != "year"}, "people_served": 1500},
        headers=auth_headers(winner.agency_admin),
    )
    assert amended.status_code == 200, amended.text
    assert amended.json()["people_served"] == 1500
    read = client.get(_reports_url(winner, 2025), headers=team).json()
    assert read["people_served"] == 1500 and read["regulation"] == "Perbup No. 12/2022"
    assert client.get(_reports_url(winner, 2026), headers=team).status_code == 404
    assert (
        client.put(_reports_url(winner, 2026), json={"status": "running"}, headers=team).status_code
        == 404
    )

    listed = client.get(_reports_url(winner), headers=team).json()
    assert (listed["total"], listed["open_years"], listed["missing_years"]) == (1, [2026], [])
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "sustainability_report")
    ).all()
    assert actions == ["sustainability_report.create", "sustainability_report.update"]


@pytest.mark.usefixtures("in_march_2026")
def test_the_organising_team_files_on_the_teams_behalf(
    client: TestClient, factory: Factory
) -> None:
    winner = _winner(factory)
    filed = client.post(
        _reports_url(winner),
        json={"year": 2026, "status": "stopped"},
        headers=auth_headers(winner.admin),
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["budget_source"] == "" and filed.json()["people_served"] is None


@pytest.mark.usefixtures("in_march_2026")
def test_years_outside_the_window_and_bad_fields_are_refused_in_both_languages(
    client: TestClient, indonesian_client: TestClient, session: Session, factory: Factory
) -> None:
    winner = _winner(factory)
    team = auth_headers(winner.innovator)
    early = client.post(_reports_url(winner), json={**REPORT, "year": 2024}, headers=team)
    assert early.status_code == 422
    [error] = early.json()["errors"]
    assert (error["pointer"], error["code"]) == ("/year", "year_out_of_range")
    assert error["message"] == "Reports start with the year after the announcement (2025)."
    future = indonesian_client.post(
        _reports_url(winner), json={**REPORT, "year": 2027}, headers=team
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["message"] == "Tahun 2027 belum tiba."
    for bad in ({"status": "maybe"}, {"people_served": -1}, {"regulation": "a\nb"}, {"x": 1}):
        refused = client.post(_reports_url(winner), json={**REPORT, **bad}, headers=team)
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["pointer"].startswith("/")
    assert _count(session, SustainabilityReport) == 0


@pytest.mark.usefixtures("in_march_2026")
def test_only_a_winner_reports(client: TestClient, session: Session, factory: Factory) -> None:
    eligible = _winner(factory, status="not_nominated")
    team = auth_headers(eligible.innovator)
    listed = client.get(_reports_url(eligible), headers=team).json()
    assert listed["reporting"] is False and listed["open_years"] == []
    refused = client.post(_reports_url(eligible), json=REPORT, headers=team)
    assert refused.status_code == 409
    assert "winners of an announced competition" in refused.json()["detail"]
    assert _count(session, SustainabilityReport) == 0


@pytest.mark.usefixtures("in_march_2026")
def test_nobody_else_learns_the_reports_exist(
    client: TestClient, session: Session, factory: Factory
) -> None:
    winner = _winner(factory)
    client.post(_reports_url(winner), json=REPORT, headers=auth_headers(winner.innovator))
    assert client.get(_reports_url(winner)).status_code == 401
    assert client.post(_reports_url(winner), json=REPORT).status_code == 401
    strangers = [
        factory.user(Role.INNOVATOR),  # another agency
        factory.user(Role.INNOVATOR, agency_id=winner.innovation.agency_id),  # not on the team
        factory.user(Role.AGENCY_ADMIN),  # another agency's admin
        factory.user(Role.JUDGE),
    ]
    for stranger in strangers:
        headers = auth_headers(stranger)
        for answer in (
            client.get(_reports_url(winner), headers=headers),
            client.get(_reports_url(winner, 2025), headers=headers),
            client.post(_reports_url(winner), json={**REPORT, "year": 2026}, headers=headers),
            client.put(_reports_url(winner, 2025), json={"status": "stopped"}, headers=headers),
            client.post(
                f"{_reports_url(winner, 2025)}/evidence",
                files={"file": ("a.pdf", PDF, "application/pdf")},
                headers=headers,
            ),
        ):
            assert answer.status_code == 404, (stranger.role, answer.request.url)
            assert answer.json()["detail"] == f"Innovation {winner.innovation.id} does not exist."
    assert _count(session, SustainabilityReport) == 1
    assert _count(session, SustainabilityEvidence) == 0


@pytest.mark.usefixtures("in_march_2026")
def test_evidence_is_uploaded_read_and_removed(
    client: TestClient, session: Session, factory: Factory
) -> None:
    winner = _winner(factory)
    team = auth_headers(winner.innovator)
    client.post(_reports_url(winner), json=REPORT, headers=team)
    url = f"{_reports_url(winner, 2025)}/evidence"
    assert (
        client.post(
            f"{_reports_url(winner, 2026)}/evidence",
            files={"file": ("a.pdf", PDF, "application/pdf")},
            headers=team,
        ).status_code
        == 404
    )  # no report on 2026 yet
    refused = client.post(
        url, files={"file": ("a.pdf", b"MZ not a pdf", "application/pdf")}, headers=team
    )
    assert refused.status_code == 415
    uploaded = client.post(
        url, files={"file": ("Perbup 12-2022.pdf", PDF, "application/pdf")}, headers=team
    )
    assert uploaded.status_code == 201, uploaded.text
    evidence = uploaded.json()
    assert evidence["filename"] == "Perbup 12-2022.pdf" and evidence["size"] == len(PDF)
    report = client.get(_reports_url(winner, 2025), headers=team).json()
    assert [e["id"] for e in report["evidence"]] == [evidence["id"]]

    admin = auth_headers(winner.admin)
    downloaded = client.get(f"{url}/{evidence['id']}", headers=admin)
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    stranger = auth_headers(factory.user(Role.AGENCY_ADMIN))
    assert client.get(f"{url}/{evidence['id']}", headers=stranger).status_code == 404
    assert client.delete(f"{url}/{evidence['id']}", headers=stranger).status_code == 404
    assert client.get(f"{url}/{evidence['id'] + 999}", headers=team).status_code == 404

    assert client.delete(f"{url}/{evidence['id']}", headers=team).status_code == 204
    assert _count(session, SustainabilityEvidence) == 0
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "sustainability_evidence")
    ).all()
    assert actions == ["sustainability_evidence.create", "sustainability_evidence.delete"]
    sentences = client.get("/api/v1/audit", headers=admin).json()["items"]
    said = [e["sentence"] for e in sentences if e["entity_type"] == "sustainability_evidence"]
    assert any("ANC Hipnoterapi" in sentence for sentence in said), said


@pytest.mark.usefixtures("in_march_2026")
def test_the_organising_team_sees_each_winner_year_by_year(
    client: TestClient, factory: Factory
) -> None:
    winner = _winner(factory)
    other = factory.innovation(
        winner.competition, status="winner", title="Si Cantik", agency=factory.agency()
    )
    factory.innovation(winner.competition, status="not_nominated", title="Tidak menang")
    client.post(_reports_url(winner), json=REPORT, headers=auth_headers(winner.innovator))
    url = f"/api/v1/competitions/{winner.competition.id}/sustainability"

    overview = client.get(url, headers=auth_headers(winner.admin))
    assert overview.status_code == 200, overview.text
    body = overview.json()
    assert (body["announced_year"], body["years"]) == (2024, [2025, 2026])
    rows = {w["innovation_id"]: w for w in body["winners"]}
    assert set(rows) == {winner.innovation.id, other.id}
    assert rows[winner.innovation.id]["years"] == [
        {"year": 2025, "state": "filed", "status": "running", "people_served": 1200},
        {"year": 2026, "state": "not_due", "status": None, "people_served": None},
    ]
    assert [c["state"] for c in rows[other.id]["years"]] == ["missing", "not_due"]

    assert client.get(url).status_code == 401
    for role in (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE):
        assert client.get(url, headers=auth_headers(factory.user(role))).status_code == 403
    assert (
        client.get(
            "/api/v1/competitions/999999/sustainability", headers=auth_headers(winner.admin)
        ).status_code
        == 404
    )
    hidden = factory.competition(published=False)
    assert (
        client.get(
            f"/api/v1/competitions/{hidden.id}/sustainability",
            headers=auth_headers(winner.agency_admin),
        ).status_code
        == 404
    )


# --------------------------------------------------------------------------- reminders


def test_a_missing_report_is_reminded_once_per_year(session: Session, factory: Factory) -> None:
    winner = _winner(factory)
    english = factory.user(Role.INNOVATOR, agency_id=winner.innovation.agency_id, locale="en")
    winner.innovation.team = [winner.innovator, english]
    filed = _winner(factory)
    session.add(
        SustainabilityReport(innovation_id=filed.innovation.id, year=2025, status="running")
    )
    factory.innovation(winner.competition, status="not_nominated")
    session.flush()

    # December 2025: nothing is due yet (the report on 2025 is due from January 2026).
    assert reminders.send_due_reminders(session, datetime(2025, 12, 20, tzinfo=UTC)) == 0
    january = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    assert reminders.send_due_reminders(session, january) == 1
    mails = {
        m.to_address: m
        for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "sustainability_report_due")
        )
    }
    assert set(mails) == {winner.innovator.email, english.email, winner.agency_admin.email}
    assert mails[english.email].subject == "Sustainability report on 2025 due: ANC Hipnoterapi"
    assert mails[winner.innovator.email].subject.startswith("Laporan keberlanjutan 2025")
    # Once: the next run (or a second worker) sends nothing more this year.
    assert reminders.send_due_reminders(session, january) == 0
    assert not reminders.remember(
        session=session, innovation_id=winner.innovation.id, year=2025, now=january
    )
    assert _count(session, SustainabilityReminder) == 1
    # A year later the report on 2026 is due: one more reminder for each winner.
    assert reminders.send_due_reminders(session, datetime(2027, 2, 1, tzinfo=UTC)) == 2


def test_the_sustainability_reminders_run_in_the_worker() -> None:
    assert [job.run for job in JOBS if job.name == "sustainability_reminders"] == [
        reminders.send_due_reminders
    ]


def test_the_worker_mails_the_reminder_to_the_team(
    session: Session, connection: Connection, factory: Factory
) -> None:
    winner = _winner(factory)
    winner.innovator.locale = "en"
    session.commit()
    [job] = [job for job in JOBS if job.name == "sustainability_reminders"]

    def sessions() -> Session:
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    with (
        time_machine.travel(datetime(2026, 1, 2, 1, 0, tzinfo=UTC), tick=False),
        mail_server() as server,
    ):
        settings = get_settings().model_copy(update={"smtp_url": server.url})
        worker = Worker(settings, session_factory=sessions, jobs=(job,))
        worker.run_once()  # the job writes the letters
        worker._next_run[job.name] = 0.0  # the job's next hour has come
        worker.run_once()  # delivered; the job sends nothing twice
        messages = server.wait_for(2)
    by_address = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in messages}
    assert set(by_address) == {winner.innovator.email, winner.agency_admin.email}
    english = by_address[winner.innovator.email]
    assert english["Subject"] == "Sustainability report on 2025 due: ANC Hipnoterapi"
    assert "/innovator/proposals/" in english.get_content()
    assert by_address[winner.agency_admin.email]["Subject"].startswith(
        "Laporan keberlanjutan 2025 ditunggu"
    )


# --------------------------------------------------------------------------- replications


def _replications_url(innovation: Innovation) -> str:
    return f"/api/v1/innovations/{innovation.id}/replications"


def test_another_agency_records_a_replication_shown_on_both_innovations(
    client: TestClient, session: Session, factory: Factory
) -> None:
    original = _winner(factory)
    adopter_agency = factory.agency(name="Puskesmas Bone")
    adopter = factory.user(Role.AGENCY_ADMIN, agency=adopter_agency)
    later = factory.competition(current_stage="submission")
    replica = factory.innovation(later, agency=adopter_agency, title="Hypnogreen")  # a draft
    url = _replications_url(original.innovation)

    recorded = client.post(
        url,
        json={
            "started_on": "2025-02-01",
            "changes": "Ditambah terapi musik.",
            "replica_innovation_id": replica.id,
        },
        headers=auth_headers(adopter),
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert (body["adopter"], body["name"], body["replica_title"]) == (
        "Puskesmas Bone",
        "Hypnogreen",
        "Hypnogreen",
    )
    assert body["can_delete"] is True and body["organisation_name"]
    told = session.scalars(
        select(Notification.user_id).where(Notification.kind == "innovation_replicated")
    ).all()
    assert set(told) == {original.innovator.id, original.agency_admin.id}

    # The public sees the replication of a public innovation, not the replica's draft.
    public = client.get(url)
    assert public.status_code == 200
    [item] = public.json()["items"]
    assert (item["name"], item["replica_innovation_id"], item["can_delete"]) == (
        "Hypnogreen",
        None,
        False,
    )
    # The replica shows what it replicates, to whoever may read it.
    replica_side = client.get(_replications_url(replica), headers=auth_headers(adopter)).json()
    assert replica_side["items"] == []
    assert [r["innovation_title"] for r in replica_side["replica_of"]] == ["ANC Hipnoterapi"]
    assert client.get(_replications_url(replica)).status_code == 404

    duplicate = client.post(
        url, json={"replica_innovation_id": replica.id}, headers=auth_headers(adopter)
    )
    assert duplicate.status_code == 409
    assert _count(session, Replication) == 1


def test_replication_input_is_checked(
    client: TestClient, session: Session, factory: Factory
) -> None:
    original = _winner(factory)
    headers = auth_headers(original.admin)
    url = _replications_url(original.innovation)
    hidden = factory.innovation(factory.competition(), title="Draf lain")
    stranger = auth_headers(factory.user(Role.AGENCY_ADMIN))
    cases = [
        ({}, "/name"),
        ({"name": "X", "replica_innovation_id": original.innovation.id}, "/replica_innovation_id"),
        ({"name": "X", "started_on": "2999-01-01"}, "/started_on"),
        ({"name": "X", "replica_innovation_id": 999999}, "/replica_innovation_id"),
    ]
    for body, pointer in cases:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["errors"][0]["pointer"] == pointer
    # Another agency's draft is not theirs to name (and reads as not existing).
    answer = client.post(
        url, json={"name": "X", "replica_innovation_id": hidden.id}, headers=stranger
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == f"Innovation {hidden.id} does not exist."
    assert _count(session, Replication) == 0


def test_who_records_and_removes_replications(
    client: TestClient, session: Session, factory: Factory
) -> None:
    original = _winner(factory)
    url = _replications_url(original.innovation)
    recorder = factory.user(Role.AGENCY_ADMIN)
    body = {"name": "Hypnogreen", "adopter": "Kabupaten Luwu Timur"}
    assert client.post(url, json=body).status_code == 401
    for role in (Role.INNOVATOR, Role.JUDGE):
        refused = client.post(url, json=body, headers=auth_headers(factory.user(role)))
        assert refused.status_code == 403
    created = client.post(url, json=body, headers=auth_headers(recorder))
    assert created.status_code == 201
    rid = created.json()["id"]
    assert created.json()["adopter"] == "Kabupaten Luwu Timur"

    other_admin = auth_headers(factory.user(Role.AGENCY_ADMIN))
    assert client.delete(f"{url}/{rid}", headers=other_admin).status_code == 403
    assert client.delete(f"{url}/{rid}").status_code == 401
    assert client.delete(f"{url}/999999", headers=auth_headers(recorder)).status_code == 404
    assert client.delete(f"{url}/{rid}", headers=auth_headers(recorder)).status_code == 204
    again = client.post(url, json=body, headers=auth_headers(recorder)).json()["id"]
    assert client.delete(f"{url}/{again}", headers=auth_headers(original.admin)).status_code == 204
    assert _count(session, Replication) == 0
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "replication")
    ).all()
    assert actions == [
        "replication.create",
        "replication.delete",
        "replication.create",
        "replication.delete",
    ]


def test_only_a_public_innovation_is_replicated(
    client: TestClient, session: Session, factory: Factory
) -> None:
    competition = factory.competition(current_stage="submission")
    agency = factory.agency()
    draft = factory.innovation(competition, agency=agency, status="submitted")
    own_admin = factory.user(Role.AGENCY_ADMIN, agency=agency)
    url = _replications_url(draft)
    body = {"name": "Salinan"}
    # Nobody else may know it: 404 to the public and to other agencies.
    assert client.get(url).status_code == 404
    other = auth_headers(factory.user(Role.AGENCY_ADMIN))
    assert client.post(url, json=body, headers=other).status_code == 404
    assert client.get(url, headers=other).status_code == 404
    # Its own agency admin sees it, and is told why it cannot be replicated yet.
    assert client.get(url, headers=auth_headers(own_admin)).json()["items"] == []
    refused = client.post(url, json=body, headers=auth_headers(own_admin))
    assert refused.status_code == 409
    assert "Only a public innovation" in refused.json()["detail"]
    # An eligible innovation of a published competition in its presentation stage is public.
    shown = factory.competition(current_stage="presentation")
    eligible = factory.innovation(shown, status="eligible")
    assert client.post(_replications_url(eligible), json=body, headers=other).status_code == 201
    unpublished = factory.competition(current_stage="announcement", published=False)
    secret = factory.innovation(unpublished, status="winner")
    assert client.post(_replications_url(secret), json=body, headers=other).status_code == 404
    assert _count(session, Replication) == 1
