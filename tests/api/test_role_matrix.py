"""The role matrix: every operation of the OpenAPI document × eight callers, against one world.

The world (built once, rolled back at the end): a published competition in its presentation
stage (windows open), with the default rubric and a panel of two judges; agencies A, B and the
judges' agency C; an eligible innovation of agency A whose team is the owner, with one evidence
file and the judge's final scoresheet. Path parameters point at those objects (``user_id`` is
the owner, ``token_id`` the owner's personal token, ``judge_id`` the judge, the export is
``innovations.csv``); each operation gets a minimal valid body (or none).

Callers (columns, in this order)::

    anon   anonymous: no credential
    owner  innovator of agency A, on the innovation's team
    innB   innovator of agency B
    aaA    agency admin of agency A
    aaB    agency admin of agency B
    judge  judge (agency C) on the panel, not conflicted
    confl  judge of agency A on the panel: conflicted on the innovation (own agency)
    admin  the platform admin
    org    an organiser of the world's organisation (the default one)
    orgX   an organiser of another organisation
    judgeX a judge of the other organisation (its agency)
    aaX    an agency admin of the other organisation

The last three must learn nothing of the world: every id of it answers 404 (or 403 where
their role is refused before any object matters), never data.

Cells (legend)::

    ok     let through: any 2xx, or a 4xx that is not about who is asking (409 wrong stage or
           window, 422 invalid body, …) — the request reached the operation itself
    401    refused: log in first
    403    refused: may see it, may not do this (or the role never may)
    404    refused: may not know it exists — or, for the rows saying so, nothing exists yet
           (no TOP N decision or announcement in the presentation stage, no demo data in
           tests): the same answer then for every caller who may look

A refused cell must answer exactly that status and change nothing in the database. Each cell
runs in its own savepoint, rolled back after it. An operation without a row fails, and so does
a row for an operation that no longer exists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from kipp.app import create_app
from kipp.auth import service as auth_service
from kipp.config import get_settings
from kipp.db import Base, get_engine, get_session, get_session_factory, unit_of_work
from kipp.i18n import Msg
from kipp.innovations import storage
from kipp.models import (
    Attachment,
    Notification,
    Replication,
    Role,
    SustainabilityEvidence,
    SustainabilityReport,
    User,
)
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter
from tests.factories import PASSWORD, Factory, auth_headers

CALLERS = (
    "anon",
    "owner",
    "innB",
    "aaA",
    "aaB",
    "judge",
    "confl",
    "admin",
    "org",
    "orgX",
    "judgeX",
    "aaX",
)
# The columns of the original eight callers (EXPECTED's rows; OTHER_ORGS adds the rest).
BASE = 8
# The other organisation's people: whatever they are let through, they read nothing of the world.
OUTSIDERS = ("orgX", "judgeX", "aaX")

ADMIN_ONLY = ("401", "403", "403", "403", "403", "403", "403", "ok")
ANYONE = ("ok",) * 8
LOGGED_IN = ("401",) + ("ok",) * 7
NOTHING_YET = ("404",) * 8
# Only the admin may know it exists yet (an unpublished draft): 404 to everyone else.
ADMIN_SEES = ("404",) * 7 + ("ok",)  # nothing decided or announced yet: the same for everyone
# The innovation's owners: its team and their agency admin (404 for who may not read it).
OWNERS = ("401", "ok", "404", "ok", "404", "403", "403", "403")
# Who may edit it: the owners and the admin (judges are refused by role).
EDITORS = ("401", "ok", "404", "ok", "404", "403", "403", "ok")
# Who may read it: the editors and the judge it is assigned to (not the conflicted one).
READERS = ("401", "ok", "404", "ok", "404", "ok", "404", "ok")
# A winner's sustainability reports: its team, its agency admin and the organising team; to
# anyone else they do not exist (the world's innovation is no winner: filing is a 409, "ok").
REPORTERS = ("401", "ok", "404", "ok", "404", "404", "404", "ok")
# Only the organising team and judges take part in the judging.
SCORING = ("401", "403", "403", "403", "403", "ok", "403", "403")

EXPECTED: dict[str, tuple[str, ...]] = {
    #                                  anon   owner  innB   aaA    aaB    judge  confl  admin
    # --- auth
    "create_token": ANYONE,
    "refresh_token": ANYONE,
    "logout": ANYONE,
    "read_me": LOGGED_IN,
    "update_me": LOGGED_IN,
    # --- the inbox (the owner's notification: nobody else's)
    "list_my_notifications": LOGGED_IN,
    "mark_all_my_notifications_read": LOGGED_IN,
    "mark_my_notification_read": ("401", "ok", "404", "404", "404", "404", "404", "404"),
    "list_api_tokens": LOGGED_IN,
    "create_api_token": LOGGED_IN,
    "revoke_api_token": ("401", "ok", "404", "404", "404", "404", "404", "404"),
    # --- agencies and users
    "list_agencies": ANYONE,
    "create_agency": ADMIN_ONLY,
    "update_agency": ADMIN_ONLY,
    "delete_agency": ADMIN_ONLY,
    "list_users": ("401", "403", "403", "ok", "ok", "403", "403", "ok"),
    "create_user": ("401", "403", "403", "ok", "403", "403", "403", "ok"),
    "read_user": ("401", "403", "403", "ok", "404", "403", "403", "ok"),
    "update_user": ("401", "403", "403", "ok", "404", "403", "403", "ok"),
    "unlock_user": ADMIN_ONLY,
    "send_invitation": ("401", "403", "403", "ok", "404", "403", "403", "ok"),
    "request_password_reset": ANYONE,
    "confirm_password_reset": ANYONE,
    # --- competitions and the stage flow
    "list_competitions": ANYONE,
    "create_competition": ADMIN_ONLY,
    "read_competition": ANYONE,
    "update_competition": ADMIN_ONLY,
    "check_competition_advance": ADMIN_ONLY,
    "advance_competition": ADMIN_ONLY,
    # --- proposals and their evidence
    "list_competition_innovations": ANYONE,
    "read_public_innovation_summary": ANYONE,  # eligible, presentation stage: on the list
    "create_competition_innovation": ("401", "ok", "ok", "ok", "ok", "403", "403", "ok"),
    "read_innovation": READERS,
    "update_innovation": EDITORS,
    "read_innovation_readiness": EDITORS,
    "submit_innovation": OWNERS,
    "withdraw_innovation": OWNERS,
    "review_innovation_administratively": ADMIN_ONLY,
    "upload_innovation_attachment": OWNERS,
    "list_innovation_attachments": READERS,
    "download_innovation_attachment": READERS,
    "delete_innovation_attachment": OWNERS,
    # --- life after the award (a report and its evidence exist; aaB recorded a replication)
    "list_sustainability_reports": REPORTERS,
    "file_sustainability_report": REPORTERS,
    "read_sustainability_report": REPORTERS,
    "amend_sustainability_report": REPORTERS,
    "upload_sustainability_evidence": REPORTERS,
    "download_sustainability_evidence": REPORTERS,
    "delete_sustainability_evidence": REPORTERS,
    "read_competition_sustainability": ADMIN_ONLY,
    "list_innovation_replications": ANYONE,  # eligible, presentation stage: public
    "record_innovation_replication": ("401", "403", "403", "ok", "ok", "403", "403", "ok"),
    "delete_innovation_replication": ("401", "403", "403", "403", "ok", "403", "403", "ok"),
    # --- ranking, decision and results (nothing decided yet in the presentation stage)
    "get_competition_ranking": ("401", "403", "403", "403", "403", "403", "403", "ok"),
    "preview_competition_nomination": ADMIN_ONLY,
    # Promotion: the organising team of the competition below (409 here: not announced).
    "list_competition_promotions": ADMIN_ONLY,
    "promote_competition_top": ADMIN_ONLY,
    "list_my_promoted_proposals": ("401", "403", "403", "403", "403", "ok", "ok", "403"),
    "save_competition_nomination": ADMIN_ONLY,
    "get_competition_nomination": ("401", "403", "403", "403", "403", "404", "404", "404"),
    "get_competition_results_manifest": NOTHING_YET,
    "get_competition_results": NOTHING_YET,
    "file_competition_objection": NOTHING_YET,
    "list_competition_objections": ADMIN_ONLY,
    # no objection filed yet: the admin is told it does not exist
    "answer_competition_objection": ("401", "403", "403", "403", "403", "403", "403", "404"),
    "finalise_competition_results": ADMIN_ONLY,
    # --- rubric, panel, conflicts, scoring
    "read_competition_criteria": ("401", "403", "403", "403", "403", "ok", "ok", "ok"),
    "replace_competition_criteria": ADMIN_ONLY,
    "read_competition_panel": ADMIN_ONLY,
    "replace_competition_panel": ADMIN_ONLY,
    "read_competition_judging_progress": ADMIN_ONLY,
    "list_competition_conflicts": ADMIN_ONLY,
    "record_competition_conflict": ADMIN_ONLY,
    "declare_innovation_conflict": ("401", "403", "403", "403", "403", "ok", "ok", "403"),
    "list_my_assignments": ("401", "403", "403", "403", "403", "ok", "ok", "403"),
    "save_my_scoresheet": SCORING,
    "submit_my_scoresheet": SCORING,
    "list_innovation_scoresheets": ("401", "403", "403", "403", "403", "ok", "404", "ok"),
    "reopen_scoresheet": ADMIN_ONLY,
    # --- the presentation schedule (a draft: only the admin sees its slots; the others are
    # told "not published yet", an empty schedule; no slot exists)
    "read_competition_schedule": ANYONE,
    "replace_competition_schedule": ADMIN_ONLY,
    "propose_competition_schedule": ADMIN_ONLY,
    "download_competition_schedule_calendar": ADMIN_SEES,
    "download_schedule_slot_calendar": NOTHING_YET,
    # --- imports, exports, audit
    "import_agencies": ADMIN_ONLY,
    "import_users": ADMIN_ONLY,
    "import_competition_innovations": ADMIN_ONLY,
    "export_competition_table": ADMIN_ONLY,
    "list_audit_events": ADMIN_ONLY,
    "export_audit_events": ADMIN_ONLY,
    "verify_audit_chain": ADMIN_ONLY,
    "list_outbox_messages": ADMIN_ONLY,
    "retry_outbox_message": ADMIN_ONLY,
    # --- the public catalogue (the eligible innovation is in it: presentation stage)
    "search_catalogue": ANYONE,
    "read_catalogue_innovation": ANYONE,
    # --- demo data and health
    "list_demo_logins": NOTHING_YET,
    "healthz": ANYONE,
    "readyz": ANYONE,
    # --- organisations (the world's is the default one: everyone above belongs to it)
    "list_public_organisations": ANYONE,
    "list_organisations": LOGGED_IN,
    "create_organisation": ADMIN_ONLY,
    "read_organisation": LOGGED_IN,
    "update_organisation": ADMIN_ONLY,
}

# The organiser of the world's organisation does all the platform admin does there; the three
# callers of the other organisation are refused everything of the world. Their "ok" cells are
# public answers, their own things (tokens, notifications, their organisation's lists, a new
# agency or competition in their organisation), or a 4xx about the body (an agency of another
# organisation does not exist for them): ``test_role_matrix`` checks that none of those answers
# names anyone of the world.
#                                   org   orgX  judgeX aaX
# The organiser of the world's organisation does all the platform admin does there (but make
# or change organisations); the three callers of the other organisation are refused everything
# of the world. Their "ok" cells are public answers, their own things (tokens, notifications,
# their organisation's lists, a new agency or competition in their organisation), or a 4xx
# about the body (an agency of another organisation does not exist for them):
# ``test_role_matrix`` checks that none of those answers names anyone of the world.
OTHER_ORGS: dict[str, tuple[str, str, str, str]] = {
    #                                   org   orgX   judgeX aaX
    "create_token": ("ok", "ok", "ok", "ok"),
    "refresh_token": ("ok", "ok", "ok", "ok"),
    "logout": ("ok", "ok", "ok", "ok"),
    "read_me": ("ok", "ok", "ok", "ok"),
    "update_me": ("ok", "ok", "ok", "ok"),
    "list_my_notifications": ("ok", "ok", "ok", "ok"),
    "mark_all_my_notifications_read": ("ok", "ok", "ok", "ok"),
    "mark_my_notification_read": ("404", "404", "404", "404"),
    "list_api_tokens": ("ok", "ok", "ok", "ok"),
    "create_api_token": ("ok", "ok", "ok", "ok"),
    "revoke_api_token": ("404", "404", "404", "404"),
    "list_agencies": ("ok", "ok", "ok", "ok"),
    "create_agency": ("ok", "ok", "403", "403"),
    "update_agency": ("ok", "404", "403", "403"),
    "delete_agency": ("ok", "404", "403", "403"),
    "list_users": ("ok", "ok", "403", "ok"),
    "create_user": ("ok", "ok", "403", "403"),
    "read_user": ("ok", "404", "403", "404"),
    "update_user": ("ok", "404", "403", "404"),
    "unlock_user": ("ok", "404", "403", "403"),
    "send_invitation": ("ok", "404", "403", "404"),
    "request_password_reset": ("ok", "ok", "ok", "ok"),
    "confirm_password_reset": ("ok", "ok", "ok", "ok"),
    "list_competitions": ("ok", "ok", "ok", "ok"),
    "create_competition": ("ok", "ok", "403", "403"),
    "read_competition": ("ok", "ok", "ok", "ok"),
    "update_competition": ("ok", "404", "403", "403"),
    "check_competition_advance": ("ok", "404", "403", "403"),
    "advance_competition": ("ok", "404", "403", "403"),
    "list_competition_innovations": ("ok", "ok", "ok", "ok"),
    "read_public_innovation_summary": ("ok", "ok", "ok", "ok"),
    "create_competition_innovation": ("ok", "403", "403", "403"),
    "read_innovation": ("ok", "404", "404", "404"),
    "update_innovation": ("ok", "404", "403", "404"),
    "read_innovation_readiness": ("ok", "404", "403", "404"),
    "submit_innovation": ("403", "403", "403", "404"),
    "withdraw_innovation": ("403", "403", "403", "404"),
    "review_innovation_administratively": ("ok", "404", "403", "403"),
    "upload_innovation_attachment": ("403", "403", "403", "404"),
    "list_innovation_attachments": ("ok", "404", "404", "404"),
    "download_innovation_attachment": ("ok", "404", "404", "404"),
    "delete_innovation_attachment": ("403", "403", "403", "404"),
    "get_competition_ranking": ("ok", "403", "404", "403"),
    "preview_competition_nomination": ("ok", "404", "403", "403"),
    "save_competition_nomination": ("ok", "404", "403", "403"),
    "get_competition_nomination": ("404", "403", "404", "403"),
    "get_competition_results_manifest": ("404", "404", "404", "404"),
    "get_competition_results": ("404", "404", "404", "404"),
    "file_competition_objection": ("404", "404", "404", "404"),
    "list_competition_objections": ("ok", "404", "403", "403"),
    "answer_competition_objection": ("404", "404", "403", "403"),
    "finalise_competition_results": ("ok", "404", "403", "403"),
    "read_competition_criteria": ("ok", "403", "404", "403"),
    "replace_competition_criteria": ("ok", "404", "403", "403"),
    "read_competition_panel": ("ok", "404", "403", "403"),
    "replace_competition_panel": ("ok", "404", "403", "403"),
    "read_competition_judging_progress": ("ok", "404", "403", "403"),
    "list_competition_conflicts": ("ok", "404", "403", "403"),
    "record_competition_conflict": ("ok", "404", "403", "403"),
    "declare_innovation_conflict": ("403", "403", "404", "403"),
    "list_my_assignments": ("403", "403", "ok", "403"),
    "save_my_scoresheet": ("403", "403", "404", "403"),
    "submit_my_scoresheet": ("403", "403", "404", "403"),
    "list_innovation_scoresheets": ("ok", "404", "404", "403"),
    "reopen_scoresheet": ("ok", "404", "403", "403"),
    "read_competition_schedule": ("ok", "ok", "ok", "ok"),
    "replace_competition_schedule": ("ok", "404", "403", "403"),
    "propose_competition_schedule": ("ok", "404", "403", "403"),
    "download_competition_schedule_calendar": ("ok", "404", "404", "404"),
    "download_schedule_slot_calendar": ("404", "404", "404", "404"),
    "import_agencies": ("ok", "ok", "403", "403"),
    "import_users": ("ok", "ok", "403", "403"),
    "import_competition_innovations": ("ok", "404", "403", "403"),
    "export_competition_table": ("ok", "404", "403", "403"),
    "list_audit_events": ("ok", "ok", "403", "403"),
    "export_audit_events": ("ok", "ok", "403", "403"),
    "verify_audit_chain": ("ok", "ok", "403", "403"),
    "list_outbox_messages": ("ok", "ok", "403", "403"),
    "retry_outbox_message": ("ok", "404", "403", "403"),
    "list_demo_logins": ("404", "404", "404", "404"),
    "healthz": ("ok", "ok", "ok", "ok"),
    "readyz": ("ok", "ok", "ok", "ok"),
    "list_public_organisations": ("ok", "ok", "ok", "ok"),
    "list_organisations": ("ok", "ok", "ok", "ok"),
    "create_organisation": ("403", "403", "403", "403"),
    "read_organisation": ("ok", "404", "404", "404"),
    "update_organisation": ("403", "403", "403", "403"),
    # Life after the award, promotion and the catalogue: another organisation's organiser or
    # agency admin may record a replication of a public innovation (they read nothing else).
    "search_catalogue": ("ok", "ok", "ok", "ok"),
    "read_catalogue_innovation": ("ok", "ok", "ok", "ok"),
    "list_competition_promotions": ("ok", "404", "403", "403"),
    "promote_competition_top": ("ok", "404", "403", "403"),
    "list_my_promoted_proposals": ("403", "403", "ok", "403"),
    "list_sustainability_reports": ("ok", "404", "404", "404"),
    "file_sustainability_report": ("ok", "404", "404", "404"),
    "read_sustainability_report": ("ok", "404", "404", "404"),
    "amend_sustainability_report": ("ok", "404", "404", "404"),
    "upload_sustainability_evidence": ("ok", "404", "404", "404"),
    "download_sustainability_evidence": ("ok", "404", "404", "404"),
    "delete_sustainability_evidence": ("ok", "404", "404", "404"),
    "read_competition_sustainability": ("ok", "403", "403", "403"),
    "list_innovation_replications": ("ok", "ok", "ok", "ok"),
    "record_innovation_replication": ("ok", "ok", "403", "ok"),
    "delete_innovation_replication": ("ok", "403", "403", "403"),
}

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    has_body: bool


def _operations() -> list[Operation]:
    spec = create_app(get_settings()).openapi()
    return [
        Operation(op["operationId"], method.upper(), path, "requestBody" in op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]


OPERATIONS = _operations()


@dataclass
class World:
    client: TestClient
    connection: Connection
    params: dict[str, str]
    headers: dict[str, dict[str, str]]
    bodies: dict[str, dict[str, Any]]
    secrets: list[str]  # what only the world's own people may read: their e-mail addresses


@pytest.fixture(scope="module")
def world(migrated: str) -> Iterator[World]:
    settings = get_settings()
    with get_engine().connect() as connection:
        outer = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        factory = Factory(session)
        agency_a, agency_b, agency_c = factory.agency(), factory.agency(), factory.agency()
        owner = factory.user(Role.INNOVATOR, agency=agency_a)
        callers: dict[str, User] = {
            "owner": owner,
            "innB": factory.user(Role.INNOVATOR, agency=agency_b),
            "aaA": factory.user(Role.AGENCY_ADMIN, agency=agency_a),
            "aaB": factory.user(Role.AGENCY_ADMIN, agency=agency_b),
            "judge": factory.user(Role.JUDGE, agency=agency_c),
            "confl": factory.user(Role.JUDGE, agency=agency_a),
            "admin": factory.admin(),
            "org": factory.organiser(),
        }
        other = factory.organisation(slug="matrix-other", level="provinsi")
        agency_x = factory.agency(organisation_id=other.id)
        callers["orgX"] = factory.organiser(organisation_id=other.id)
        callers["judgeX"] = factory.user(Role.JUDGE, agency=agency_x)
        callers["aaX"] = factory.user(Role.AGENCY_ADMIN, agency=agency_x)
        competition = factory.competition(current_stage="presentation")
        factory.add_default_criteria(competition)
        factory.add_panel(competition, [callers["judge"], callers["confl"]])
        innovation = factory.innovation(
            competition, agency=agency_a, team=[owner], status="eligible"
        )
        factory.add_scoresheet(innovation, callers["judge"], 7, status="final")
        directory = storage.directory(settings)
        directory.mkdir(parents=True, exist_ok=True)
        stored = f"role-matrix-{innovation.id}.pdf"
        (directory / stored).write_bytes(PDF)
        attachment = Attachment(
            innovation_id=innovation.id,
            filename="evidence.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            storage_name=stored,
            uploaded_by_id=owner.id,
        )
        session.add(attachment)
        report = SustainabilityReport(innovation_id=innovation.id, year=2025, status="running")
        session.add(report)
        session.flush()
        report_file = f"role-matrix-report-{report.id}.pdf"
        (directory / report_file).write_bytes(PDF)
        report_evidence = SustainabilityEvidence(
            report_id=report.id,
            filename="perbup.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            storage_name=report_file,
            uploaded_by_id=owner.id,
        )
        replication = Replication(
            innovation_id=innovation.id,
            organisation_id=callers["aaB"].organisation_id,
            adopter="Agency B",
            name="Replika",
            recorded_by_id=callers["aaB"].id,
        )
        session.add_all([report_evidence, replication])
        api_token, _ = auth_service.create_api_token(
            session=session, settings=settings, user=owner, name="matrix", expires_at=None
        )
        pair = auth_service.login(
            session=session,
            settings=settings,
            email=owner.email,
            password=PASSWORD,
            client_address="192.0.2.1",
        )
        [outbox_message] = notify_service.send(
            session,
            letter=Letter(
                kind="matrix", subject=Msg(id="Uji", en="Test"), body=Msg(id="-", en="-")
            ),
            recipients=[notify_service.recipient_of(owner)],
        )
        notification = session.scalars(select(Notification)).one()
        session.commit()

        params = {
            "competition_id": str(competition.id),
            "innovation_id": str(innovation.id),
            "agency_id": str(agency_a.id),
            "user_id": str(owner.id),
            "token_id": str(api_token.id),
            "attachment_id": str(attachment.id),
            "judge_id": str(callers["judge"].id),
            "objection_id": "1",
            "slot_id": "1",
            "name": "innovations",
            "fmt": "csv",
            "notification_id": str(notification.id),
            "message_id": str(outbox_message.id),
            "year": "2025",
            "evidence_id": str(report_evidence.id),
            "replication_id": str(replication.id),
            "organisation_id": str(competition.organisation_id),
        }
        reason = {"reason": "role matrix"}
        bodies: dict[str, dict[str, Any]] = {
            "create_token": {"data": {"username": owner.email, "password": PASSWORD}},
            "refresh_token": {"json": {"refresh_token": pair.refresh_token}},
            "logout": {"json": {"refresh_token": pair.refresh_token}},
            "create_api_token": {"json": {"name": "another"}},
            "update_me": {"json": {"locale": "en"}},
            "create_agency": {"json": {"code": "MTX", "name": "Matrix"}},
            "update_agency": {"json": {"name": "Renamed"}},
            "create_organisation": {
                "json": {"slug": "matrix-new", "name": "Matrix", "level": "kota"}
            },
            "update_organisation": {"json": {"region": "Renamed"}},
            "create_user": {
                "json": {
                    "email": "new-innovator@example.com",
                    "full_name": "New Innovator",
                    "role": "innovator",
                    "agency_id": agency_a.id,
                    "password": "a-long-enough-password",
                }
            },
            "update_user": {"json": {"full_name": "Renamed Owner"}},
            "request_password_reset": {"json": {"email": owner.email}},
            "confirm_password_reset": {
                "json": {"token": "not-a-link-token", "password": "a-long-enough-password"}
            },
            "answer_competition_objection": {"json": {"answer": "Sudah ditinjau."}},
            "create_competition_innovation": {"json": {"title": "Inovasi Baru"}},
            "file_sustainability_report": {"json": {"year": 2026, "status": "running"}},
            "amend_sustainability_report": {"json": {"status": "stopped"}},
            "upload_sustainability_evidence": {
                "files": {"file": ("more.pdf", PDF, "application/pdf")}
            },
            "record_innovation_replication": {"json": {"name": "Replika lain"}},
            "update_innovation": {"json": {"version": innovation.version, "title": "Diubah"}},
            "review_innovation_administratively": {"json": {"passed": True}},
            "upload_innovation_attachment": {
                "files": {"file": ("more.pdf", PDF, "application/pdf")}
            },
            "file_competition_objection": {
                "json": {
                    "innovation_id": innovation.id,
                    "name": "Warga",
                    "email": "warga@example.com",
                    "text": "Keberatan atas hasil ini, mohon ditinjau kembali.",
                }
            },
            "replace_competition_panel": {
                "json": {"user_ids": [callers["judge"].id, callers["confl"].id]}
            },
            "record_competition_conflict": {
                "json": {"innovation_id": innovation.id, "judge_id": callers["judge"].id, **reason}
            },
            "declare_innovation_conflict": {"json": reason},
            "save_my_scoresheet": {"json": {"scores": {"kebaruan": 5}}},
            "reopen_scoresheet": {"json": reason},
            "replace_competition_schedule": {"json": {"version": 0, "slots": []}},
            "propose_competition_schedule": {
                "json": {
                    "days": ["2021-11-15"],
                    "day_start": "08:00",
                    "day_end": "16:00",
                    "duration_minutes": 30,
                }
            },
            "import_agencies": {
                "content": b"[]",
                "headers": {"Content-Type": "application/json"},
            },
            "import_users": {"content": b"[]", "headers": {"Content-Type": "application/json"}},
            "import_competition_innovations": {
                "content": b"[]",
                "headers": {"Content-Type": "application/json"},
            },
        }
        headers = {"anon": {}, **{name: auth_headers(user) for name, user in callers.items()}}
        secrets = [user.email for name, user in callers.items() if name not in OUTSIDERS]
        session.close()

        app = create_app(settings)

        def _test_session() -> Iterator[Session]:
            yield from unit_of_work(
                Session(
                    bind=connection,
                    join_transaction_mode="create_savepoint",
                    expire_on_commit=False,
                )
            )

        app.dependency_overrides[get_session] = _test_session
        app.dependency_overrides[get_session_factory] = lambda: (
            lambda: Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
        )
        with TestClient(app) as client:
            yield World(client, connection, params, headers, bodies, secrets)
        (directory / stored).unlink(missing_ok=True)
        (directory / report_file).unlink(missing_ok=True)
        outer.rollback()


def _database(connection: Connection) -> list[list[tuple[Any, ...]]]:
    """Every row of every table: what a refused request must leave as it was."""
    return [
        [tuple(row) for row in connection.execute(select(table))]
        for table in Base.metadata.sorted_tables
    ]


def _outcome(status: int) -> str:
    if 200 <= status < 300:
        return "ok"
    if status in (401, 403, 404):
        return str(status)
    if 400 <= status < 500:
        return "ok"  # about the request, not the caller
    return str(status)  # a server error never matches a cell


def test_every_operation_has_a_row_and_every_row_an_operation() -> None:
    ids = [op.operation_id for op in OPERATIONS]
    assert sorted(set(ids) - set(EXPECTED)) == [], "operations without a row in EXPECTED"
    assert sorted(set(EXPECTED) - set(ids)) == [], "rows for operations that no longer exist"
    assert sorted(set(OTHER_ORGS) ^ set(EXPECTED)) == [], "OTHER_ORGS and EXPECTED differ"
    assert all(len(cells) == BASE for cells in EXPECTED.values())
    assert all(len(cells) == len(CALLERS) - BASE for cells in OTHER_ORGS.values())
    cells = [*EXPECTED.values(), *OTHER_ORGS.values()]
    assert {c for row in cells for c in row} <= {"ok", "401", "403", "404"}


def _send(world: World, op: Operation, caller: str) -> Any:
    path = op.path
    for name, value in world.params.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"no value for a path parameter of {op.path}"
    body = dict(world.bodies.get(op.operation_id, {"json": {}} if op.has_body else {}))
    headers = {**body.pop("headers", {}), **world.headers[caller]}
    return world.client.request(op.method, path, headers=headers, **body)


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if op.operation_id in EXPECTED], ids=lambda op: op.operation_id
)
def test_role_matrix(world: World, op: Operation) -> None:
    got: list[str] = []
    bad: list[str] = []
    row = EXPECTED[op.operation_id] + OTHER_ORGS.get(
        op.operation_id, ("?",) * (len(CALLERS) - BASE)
    )
    for caller, expected in zip(CALLERS, row, strict=True):
        savepoint = world.connection.begin_nested()
        try:
            before = _database(world.connection) if expected != "ok" else None
            response = _send(world, op, caller)
            outcome = _outcome(response.status_code)
            got.append(outcome)
            if outcome != expected:
                bad.append(f"{caller}: expected {expected}, got {response.status_code}")
            elif caller in OUTSIDERS:
                leaked = [secret for secret in world.secrets if secret in response.text]
                if leaked:
                    bad.append(f"{caller}: the answer names {leaked}")
            elif before is not None:
                if _database(world.connection) != before:
                    bad.append(f"{caller}: refused with {outcome} but changed the database")
                if response.headers.get("content-type", "").split(";")[0] != (
                    "application/problem+json"
                ):
                    bad.append(f"{caller}: refused without a problem+json body")
        finally:
            savepoint.rollback()
    if os.environ.get("KIPP_PRINT_ROLE_MATRIX"):
        print(json.dumps({op.operation_id: got}))
    assert not bad, f"{op.method} {op.path}: " + "; ".join(bad)
