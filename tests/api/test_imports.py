"""Imports of agencies, users and innovations: idempotent, all-or-nothing, every error named."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp.demo import data
from kipp.demo.seed import seed_demo
from kipp.models import (
    Agency,
    AuditEvent,
    Competition,
    Innovation,
    Role,
    User,
    innovation_team,
)
from kipp.security import verify_password
from tests.factories import PASSWORD, Factory, auth_headers

CSV = {"Content-Type": "text/csv"}
REFUSED_ROLES = (Role.INNOVATOR, Role.AGENCY_ADMIN, Role.JUDGE)


def _post(
    client: TestClient,
    path: str,
    body: str | bytes | list[Any] | dict[str, Any],
    headers: dict[str, str],
    *,
    dry_run: bool | None = None,
    content_type: str | None = None,
) -> httpx.Response:
    if isinstance(body, list | dict):
        content = json.dumps(body).encode()
        content_type = content_type or "application/json"
    else:
        content = body.encode() if isinstance(body, str) else body
        content_type = content_type or "text/csv"
    params = {} if dry_run is None else {"dry_run": str(dry_run).lower()}
    return client.post(
        f"/api/v1{path}",
        content=content,
        params=params,
        headers={**headers, "Content-Type": content_type},
    )


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        _count(session, m) for m in (Agency, User, Innovation, innovation_team, AuditEvent)
    )


def _report(response: httpx.Response) -> tuple[int, int, int]:
    body = response.json()
    return body["created"], body["updated"], body["unchanged"]


def _errors(response: httpx.Response) -> list[tuple[int, str]]:
    return [(e["row"], e["field"]) for e in response.json()["errors"]]


@pytest.fixture
def admin(factory: Factory) -> dict[str, str]:
    return auth_headers(factory.admin(email="tim@organisasi.go.id"))


# --------------------------------------------------------------------------- agencies


def test_agencies_csv_create_then_unchanged_then_update(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    body = "\ufeffcode,name\nDLH,Dinas Lingkungan Hidup\nDINKES,Dinas Kesehatan\n"
    first = _post(client, "/imports/agencies", body, admin)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "dry_run": False,
    }
    assert session.scalar(select(Agency.name).where(Agency.code == "DLH")) == (
        "Dinas Lingkungan Hidup"
    )
    again = _post(client, "/imports/agencies", body, admin)
    assert _report(again) == (0, 0, 2)
    changed = _post(client, "/imports/agencies", "code,name\ndlh,DLH Luwu Utara\n", admin)
    assert _report(changed) == (0, 1, 0)
    assert session.scalar(select(Agency.name).where(Agency.code == "DLH")) == "DLH Luwu Utara"
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import.agencies").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 3  # one per import, unchanged ones included
    assert events[0].after is not None and events[0].after["created_keys"] == ["DLH", "DINKES"]
    assert events[2].after == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "created_keys": [],
        "updated_keys": ["DLH"],
    }


def test_agencies_json(client: TestClient, admin: dict[str, str], session: Session) -> None:
    response = _post(client, "/imports/agencies", [{"code": "DPMD", "name": "Dinas PMD"}], admin)
    assert _report(response) == (1, 0, 0)
    assert session.scalar(select(Agency.name).where(Agency.code == "DPMD")) == "Dinas PMD"


def test_semicolon_separated_csv(client: TestClient, admin: dict[str, str]) -> None:
    response = _post(client, "/imports/agencies", "code;name\nDLH;Dinas, LH\n", admin)
    assert _report(response) == (1, 0, 0)


def test_dry_run_reports_and_writes_nothing(
    client: TestClient, admin: dict[str, str], factory: Factory, session: Session
) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    factory.agency(code="DLH", name="Dinas Lingkungan Hidup")
    before = _counts(session)
    body = "code,name\nDLH,Dinas Lingkungan Hidup\nDINKES,Dinas Kesehatan\nDPMD,Dinas PMD\n"
    response = _post(client, "/imports/agencies", body, admin, dry_run=True)
    assert response.status_code == 200
    assert response.json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "errors": [],
        "dry_run": True,
    }
    assert _counts(session) == before
    with_errors = _post(client, "/imports/agencies", "code,name\nDLH,\n", admin, dry_run=True)
    assert with_errors.status_code == 200  # a dry run reports errors; it does not refuse
    assert with_errors.json()["errors"] == [
        {"row": 1, "field": "name", "code": "missing", "message": "wajib diisi"}
    ]
    assert _counts(session) == before


MALFORMED: list[tuple[str, bytes | str | list[Any] | dict[str, Any], list[tuple[int, str]]]] = [
    (
        "missing and unknown columns",
        "kode,name,extra\nDLH,x,y\n",
        [(0, "code"), (0, "kode"), (0, "extra")],
    ),
    ("not UTF-8", b"code,name\nA,a\n" + b"B,caf\xe9\n", [(2, "body")]),
    ("empty body", b"", [(0, "body")]),
    ("header only", "code,name\n", [(0, "body")]),
    ("duplicate keys", "code,name\nDLH,a\nX,b\ndlh,c\n", [(1, "code"), (3, "code")]),
    ("ragged row", "code,name\nDLH,a,b\n", [(1, "row")]),
    ("bad code and blank name", "code,name\nhas space,x\nOK,\n", [(1, "code"), (2, "name")]),
    ("JSON object, not array", {"code": "DLH", "name": "x"}, [(0, "body")]),
    ("JSON array of non-objects", ["DLH", {"code": "A", "name": "a"}], [(1, "row")]),
    ("invalid JSON", b"[{", [(0, "body")]),
]


@pytest.mark.parametrize(("case", "body", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_agency_files_are_refused_and_change_nothing(
    client: TestClient,
    admin: dict[str, str],
    session: Session,
    case: str,
    body: Any,
    expected: list[tuple[int, str]],
) -> None:
    before = _counts(session)
    content_type = "application/json" if case.startswith(("JSON", "invalid JSON")) else None
    response = _post(client, "/imports/agencies", body, admin, content_type=content_type)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["dry_run"] is False
    assert {"created", "updated", "unchanged"} <= problem.keys()
    assert sorted(_errors(response)) == sorted(expected)
    assert _counts(session) == before


def test_error_messages_are_clear(client: TestClient, admin: dict[str, str]) -> None:
    english = {**admin, "Accept-Language": "en"}
    wrong = _post(client, "/imports/agencies", "kode,name\nA,a\n", english).json()["errors"]
    assert {
        "row": 0,
        "field": "code",
        "code": "column_missing",
        "message": "required column is missing",
    } in wrong
    assert any(
        e["field"] == "kode" and e["code"] == "column_unknown" and "unknown column" in e["message"]
        for e in wrong
    )
    encoding = _post(client, "/imports/agencies", b"code,name\nA,\xff\n", english).json()
    assert encoding["errors"][0]["code"] == "not_utf8"
    assert "not UTF-8" in encoding["errors"][0]["message"]
    assert "byte offset 12" in encoding["errors"][0]["message"]
    duplicate = _post(client, "/imports/agencies", "code,name\nDLH,a\nDLH,b\n", english).json()
    assert [(e["code"], e["message"]) for e in duplicate["errors"]] == [
        ("duplicate", "duplicate agency code DLH: also on row 2"),
        ("duplicate", "duplicate agency code DLH: also on row 1"),
    ]
    assert "row 1, code" in duplicate["detail"]
    assert (duplicate["created"], duplicate["unchanged"]) == (0, 0)  # neither row counts


def test_row_errors_are_indonesian_by_default(client: TestClient, admin: dict[str, str]) -> None:
    client.headers.pop("Accept-Language")  # no language named: Indonesian
    duplicate = _post(client, "/imports/agencies", "code,name\nDLH,a\nDLH,b\n", admin).json()
    assert duplicate["title"] == "Permintaan tidak valid"
    assert [(e["row"], e["field"], e["code"], e["message"]) for e in duplicate["errors"]] == [
        (1, "code", "duplicate", "kode perangkat daerah DLH ganda: juga ada di baris 2"),
        (2, "code", "duplicate", "kode perangkat daerah DLH ganda: juga ada di baris 1"),
    ]
    assert duplicate["detail"].startswith("Berkas perangkat daerah memuat 2 kesalahan")
    # A model's complaint (pydantic's) is translated on the row too.
    long_name = _post(client, "/imports/agencies", "code,name\nDLH," + "x" * 300 + "\n", admin)
    [error] = long_name.json()["errors"]
    assert (error["row"], error["field"], error["code"]) == (1, "name", "string_too_long")
    assert error["message"].startswith("Maksimal ")


def test_any_error_writes_nothing_and_lists_every_error(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    before = _counts(session)
    body = "code,name\nGOOD,Fine\nbad code,x\nALSO,Fine\n,missing code\n"
    response = _post(client, "/imports/agencies", body, admin)
    assert response.status_code == 422
    assert _errors(response) == [(2, "code"), (4, "code")]
    assert _report(response) == (2, 0, 0)  # what the valid rows would have done
    assert _counts(session) == before


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "text/csv; charset=latin-1"]
)
def test_other_content_types_are_415(
    client: TestClient, admin: dict[str, str], session: Session, content_type: str
) -> None:
    before = _counts(session)
    response = _post(
        client, "/imports/agencies", "code,name\nA,a\n", admin, content_type=content_type
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert _counts(session) == before


def test_csv_with_utf8_charset_is_fine(client: TestClient, admin: dict[str, str]) -> None:
    response = _post(
        client,
        "/imports/agencies",
        "code,name\nA,a\n",
        admin,
        content_type="text/csv; charset=UTF-8",
    )
    assert _report(response) == (1, 0, 0)


def test_ten_thousand_agencies_import_in_seconds(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    rows = "".join(f"A{n:05d},Agency number {n}\n" for n in range(10_000))
    started = time.perf_counter()
    response = _post(client, "/imports/agencies", "code,name\n" + rows, admin)
    elapsed = time.perf_counter() - started
    assert _report(response) == (10_000, 0, 0)
    assert _count(session, Agency) >= 10_000
    again = _post(client, "/imports/agencies", "code,name\n" + rows, admin)
    assert _report(again) == (0, 0, 10_000)
    assert elapsed < 15, elapsed  # a few seconds on a quiet machine


# --------------------------------------------------------------------------- users


def test_users_create_unchanged_update(
    client: TestClient, admin: dict[str, str], factory: Factory, session: Session
) -> None:
    factory.agency(code="DLH")
    body = (
        "email,full_name,role,agency_code,password\n"
        "Inovator.DLH@Example.com,Inovator DLH,innovator,DLH,rahasia-123\n"
        "juri@example.com,Juri Satu,judge,,rahasia-123\n"
    )
    first = _post(client, "/imports/users", body, admin)
    assert _report(first) == (2, 0, 0), first.text
    innovator = session.scalar(select(User).where(User.email == "inovator.dlh@example.com"))
    assert innovator is not None and innovator.role == "innovator"
    assert verify_password("rahasia-123", innovator.password_hash)
    juri = session.scalar(select(User).where(User.email == "juri@example.com"))
    assert juri is not None and juri.agency_id is None
    assert juri.password_hash == innovator.password_hash  # each distinct password hashed once
    assert _report(_post(client, "/imports/users", body, admin)) == (0, 0, 2)
    renamed = (
        "email,full_name,role,agency_code,password\n"
        "INOVATOR.dlh@example.com,Inovator Dinas LH,innovator,DLH,\n"
    )
    assert _report(_post(client, "/imports/users", renamed, admin)) == (0, 1, 0)
    session.refresh(innovator)
    assert innovator.full_name == "Inovator Dinas LH"
    assert verify_password("rahasia-123", innovator.password_hash)  # blank: unchanged
    new_password = "email,full_name,role\njuri@example.com,Juri Satu,judge\n"
    assert _report(_post(client, "/imports/users", new_password, admin)) == (0, 0, 1)
    changed = "email,full_name,role,password\njuri@example.com,Juri Satu,judge,baru-sekali-1\n"
    assert _report(_post(client, "/imports/users", changed, admin)) == (0, 1, 0)
    session.refresh(juri)
    assert verify_password("baru-sekali-1", juri.password_hash)
    action = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first()
    assert action == "import.users"


def _sign_in(client: TestClient, user: User) -> tuple[str, str]:
    """A refresh token and a personal access token of ``user``, as a script would hold them."""
    login = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    ).json()
    pat = client.post(
        "/api/v1/me/api-tokens",
        json={"name": "script"},
        headers={"Authorization": f"Bearer {login['access_token']}"},
    ).json()["token"]
    return login["refresh_token"], pat


def _tokens_work(client: TestClient, refresh_token: str, pat: str) -> tuple[bool, bool]:
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {pat}"})
    return refreshed.status_code == 200, me.status_code == 200


def test_an_imported_new_password_ends_sessions_and_tokens(
    client: TestClient, admin: dict[str, str], factory: Factory
) -> None:
    """As PATCH /users/{id} does: a new password revokes every refresh and personal token."""
    user = factory.user(Role.JUDGE, email="juri@example.com", agency_id=None)
    same = f"email,full_name,role,password\njuri@example.com,{user.full_name},judge,{PASSWORD}\n"
    renamed = "email,full_name,role\njuri@example.com,Juri Baru,judge\n"
    for unchanged_password, report in ((same, (0, 0, 1)), (renamed, (0, 1, 0))):
        refresh_token, pat = _sign_in(client, user)
        assert _report(_post(client, "/imports/users", unchanged_password, admin)) == report
        assert _tokens_work(client, refresh_token, pat) == (True, True)
    refresh_token, pat = _sign_in(client, user)
    changed = "email,full_name,role,password\njuri@example.com,Juri Baru,judge,baru-sekali-1\n"
    assert _report(_post(client, "/imports/users", changed, admin)) == (0, 1, 0)
    assert _tokens_work(client, refresh_token, pat) == (False, False)


def test_users_json(client: TestClient, admin: dict[str, str], session: Session) -> None:
    rows = [{"email": "a@example.com", "full_name": "A", "role": "admin", "password": "panjang-1"}]
    assert _report(_post(client, "/imports/users", rows, admin)) == (1, 0, 0)


def test_bad_user_rows_are_all_named_and_change_nothing(
    client: TestClient, admin: dict[str, str], factory: Factory, session: Session
) -> None:
    factory.agency(code="DLH")
    existing = factory.user(Role.JUDGE, email="ada@example.com")
    before = _counts(session)
    body = (
        "email,full_name,role,agency_code,password\n"
        "not-an-email,A,judge,,rahasia-123\n"  # 1 bad email
        "b@example.com,B,boss,,rahasia-123\n"  # 2 bad role
        "c@example.com,C,innovator,NOPE,rahasia-123\n"  # 3 unknown agency
        "d@example.com,D,innovator,,rahasia-123\n"  # 4 agency required
        "e@example.com,E,judge,,\n"  # 5 valid: no password means an invitation
        "f@example.com,F,judge,,short\n"  # 6 password too short
        "G@example.com,G,judge,,rahasia-123\n"  # 7 duplicate (any case)
        "g@example.com,G,judge,,rahasia-123\n"  # 8
        "ada@example.com,,judge,,\n"  # 9 full name required
        "tim@organisasi.go.id,Tim,judge,,\n"  # 10 own role
    )
    response = _post(client, "/imports/users", body, admin)
    assert response.status_code == 422
    assert _errors(response) == [
        (1, "email"),
        (2, "role"),
        (3, "agency_code"),
        (4, "agency_code"),
        (6, "password"),
        (7, "email"),
        (8, "email"),
        (9, "full_name"),
        (10, "role"),
    ]
    assert _counts(session) == before
    session.refresh(existing)
    assert existing.full_name != ""


# --------------------------------------------------------------------------- innovations

INNOVATION_HEADER = (
    "external_ref,title,agency_code,group,category,origin,started_on,summary,video_url,"
    "team_emails,status,section.ringkasan\n"
)


@pytest.fixture
def luwu(factory: Factory) -> dict[str, Any]:
    dlh = factory.agency(code="DLH", name="Dinas Lingkungan Hidup")
    dinkes = factory.agency(code="DINKES", name="Dinas Kesehatan")
    return {
        "competition": factory.competition(),
        "dlh": dlh,
        "dinkes": dinkes,
        "inovator_dlh": factory.user(Role.INNOVATOR, email="inovator.dlh@example.com", agency=dlh),
        "admin_dlh": factory.user(Role.AGENCY_ADMIN, email="admin.dlh@example.com", agency=dlh),
        "inovator_dinkes": factory.user(
            Role.INNOVATOR, email="inovator.dinkes@example.com", agency=dinkes
        ),
        "judge": factory.user(Role.JUDGE, email="juri@example.com", agency=dinkes),
    }


def _innovations_path(competition: Competition) -> str:
    return f"/competitions/{competition.id}/imports/innovations"


def _by_ref(session: Session, competition: Competition, ref: str) -> Innovation:
    innovation = session.scalar(
        select(Innovation).where(
            Innovation.competition_id == competition.id, Innovation.external_ref == ref
        )
    )
    assert innovation is not None
    session.refresh(innovation)
    return innovation


def _team(session: Session, innovation: Innovation) -> set[int]:
    return set(
        session.scalars(
            select(innovation_team.c.user_id).where(
                innovation_team.c.innovation_id == innovation.id
            )
        )
    )


def test_innovations_create_unchanged_update(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], session: Session
) -> None:
    competition = luwu["competition"]
    body = INNOVATION_HEADER + (
        "LU-01,Gersipah,DLH,umum,Lingkungan,latpim,2019-03-01,Sampah jadi berkah,"
        "https://youtu.be/x,inovator.dlh@example.com; admin.dlh@example.com,,Ringkas\n"
        "LU-02,Kelas Buby,dinkes,replikasi,,other,,,,INOVATOR.DINKES@example.com,submitted,\n"
    )
    path = _innovations_path(competition)
    first = _post(client, path, body, admin)
    assert _report(first) == (2, 0, 0), first.text
    gersipah = _by_ref(session, competition, "LU-01")
    assert (gersipah.title, gersipah.agency_id, gersipah.status) == (
        "Gersipah",
        luwu["dlh"].id,
        "draft",
    )
    assert gersipah.started_on == date(2019, 3, 1) and gersipah.origin == "latpim"
    assert (
        gersipah.sections == {"ringkasan": "Ringkas"} and gersipah.video_url == "https://youtu.be/x"
    )
    assert _team(session, gersipah) == {luwu["inovator_dlh"].id, luwu["admin_dlh"].id}
    buby = _by_ref(session, competition, "LU-02")
    assert buby.status == "submitted" and buby.submitted_at is not None
    assert buby.group == "replikasi" and buby.sections == {} and buby.video_url is None
    assert _report(_post(client, path, body, admin)) == (0, 0, 2)

    update = INNOVATION_HEADER + (
        "LU-01,Gersipah 2.0,DLH,umum,Lingkungan,latpim,2019-03-01,Sampah jadi berkah,"
        "https://youtu.be/x,inovator.dlh@example.com,submitted,Ringkas\n"
    )
    assert _report(_post(client, path, update, admin)) == (0, 1, 0)
    gersipah = _by_ref(session, competition, "LU-01")
    assert (gersipah.title, gersipah.status, gersipah.version) == ("Gersipah 2.0", "submitted", 2)
    assert _team(session, gersipah) == {luwu["inovator_dlh"].id}
    # A file with fewer columns leaves the other fields alone.
    only_title = "external_ref,title,agency_code\nLU-01,Gersipah 2.0,DLH\n"
    assert _report(_post(client, path, only_title, admin)) == (0, 0, 1)
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "import.innovations")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.competition_id == competition.id


def test_innovations_json_with_sections_object(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], session: Session
) -> None:
    competition = luwu["competition"]
    rows = [
        {
            "external_ref": "LU-03",
            "title": "Sim B",
            "agency_code": "DLH",
            "team_emails": ["inovator.dlh@example.com"],
            "sections": {"ringkasan": "Satu", "ide_inovatif": "Dua"},
        }
    ]
    response = _post(client, _innovations_path(competition), rows, admin)
    assert _report(response) == (1, 0, 0), response.text
    sim_b = _by_ref(session, competition, "LU-03")
    assert sim_b.sections == {"ringkasan": "Satu", "ide_inovatif": "Dua"}
    assert sim_b.group == "umum" and sim_b.origin == "other"
    assert _report(_post(client, _innovations_path(competition), rows, admin)) == (0, 0, 1)


def test_imports_ignore_the_submission_window(
    client: TestClient, admin: dict[str, str], factory: Factory, session: Session
) -> None:
    factory.agency(code="DLH")
    closed = factory.competition(current_stage="administrative", open_stage=False)
    body = "external_ref,title,agency_code,status\nLATE-1,Terlambat,DLH,submitted\n"
    assert _report(_post(client, _innovations_path(closed), body, admin)) == (1, 0, 0)


def test_bad_innovation_rows_are_all_named_and_change_nothing(
    client: TestClient,
    admin: dict[str, str],
    luwu: dict[str, Any],
    factory: Factory,
    session: Session,
) -> None:
    competition = luwu["competition"]
    factory.user(Role.INNOVATOR, email="pensiun@example.com", agency=luwu["dlh"], is_active=False)
    before = _counts(session)
    body = INNOVATION_HEADER + (
        "A,Judul,NOPE,,,,,,,,,\n"  # 1 unknown agency
        "B,Judul,DLH,besar,,,,,,,,\n"  # 2 bad group
        "C,Judul,DLH,,,,01/03/2019,,,,,\n"  # 3 bad date
        "D,Judul,DLH,,,,,,,nobody@example.com,,\n"  # 4 unknown team member
        "E,Judul,DLH,,,,,,,inovator.dinkes@example.com,,\n"  # 5 other agency
        "F,Judul,DLH,,,,,,,juri@example.com,,\n"  # 6 not an innovator
        "G,Judul,DLH,,,,,,,,eligible,\n"  # 7 status an import may not set
        "H,,DLH,,,,,,ftp://x,,,\n"  # 8 title required, 8 bad link
        "I,Judul,DLH,,,mars,2999-01-01,,,,,\n"  # 9 origin, future date
        "K,Judul,DLH,,,,,,,pensiun@example.com,,\n"  # 10 deactivated
        "J,Judul,DLH,,,,,,,,,\n"  # 11 duplicate
        "J,Judul,DLH,,,,,,,,,\n"  # 12 duplicate
    )
    response = _post(client, _innovations_path(competition), body, admin)
    assert response.status_code == 422, response.text
    assert _errors(response) == [
        (1, "agency_code"),
        (2, "group"),
        (3, "started_on"),
        (4, "team_emails"),
        (5, "team_emails"),
        (6, "team_emails"),
        (7, "status"),
        (8, "title"),
        (8, "video_url"),
        (9, "origin"),
        (9, "started_on"),
        (10, "team_emails"),
        (11, "external_ref"),
        (12, "external_ref"),
    ]
    assert _counts(session) == before


def test_innovation_rows_obey_the_apis_own_limits(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], session: Session
) -> None:
    """A row is checked by InnovationCreate, so what the API refuses a file cannot write."""
    before = _counts(session)
    long_ref = "R" * 101
    body = "external_ref,title,agency_code,summary,category,section.ringkasan\n" + (
        f"A,{'T' * 301},DLH,,,\n"  # 1 title too long
        f"B,Judul,DLH,{'s' * 20_001},,\n"  # 2 summary too long
        f"C,Judul,DLH,,{'c' * 201},\n"  # 3 category too long
        f"{long_ref},Judul,DLH,,,\n"  # 4 external_ref too long
        f"E,Judul,DLH,,,{'w ' * 10_001}\n"  # 5 section text too long
    )
    response = _post(client, _innovations_path(luwu["competition"]), body, admin)
    assert response.status_code == 422
    assert _errors(response) == [
        (1, "title"),
        (2, "summary"),
        (3, "category"),
        (4, "external_ref"),
        (5, "section.ringkasan"),
    ]
    assert _counts(session) == before


def test_imported_submissions_move_through_the_lifecycle(
    client: TestClient,
    admin: dict[str, str],
    luwu: dict[str, Any],
    factory: Factory,
    session: Session,
) -> None:
    competition = luwu["competition"]
    draft = factory.innovation(
        competition, agency=luwu["dlh"], title="Lama", external_ref="LU-01", status="draft"
    )
    body = "external_ref,title,agency_code,status\nLU-01,Lama,DLH,submitted\nLU-02,Baru,DLH,submitted\n"
    assert _report(_post(client, _innovations_path(competition), body, admin)) == (1, 1, 0)
    new = _by_ref(session, competition, "LU-02")
    assert (new.status, new.version) == ("submitted", 2)  # created a draft, then submitted
    old = _by_ref(session, competition, "LU-01")
    assert (old.status, old.version) == ("submitted", 2) and old.submitted_at is not None
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "innovation.submit")
    ).all()  # one event for the whole file
    assert event.competition_id == competition.id
    assert event.before == {"statuses": {str(draft.id): "draft", str(new.id): "draft"}}
    assert event.after == {"statuses": {str(draft.id): "submitted", str(new.id): "submitted"}}


def test_unknown_section_column_is_named(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], session: Session
) -> None:
    before = _counts(session)
    body = "external_ref,title,agency_code,section.rahasia\nA,Judul,DLH,x\n"
    response = _post(client, _innovations_path(luwu["competition"]), body, admin)
    assert response.status_code == 422
    assert _errors(response) == [(0, "section.rahasia")]
    assert _counts(session) == before


def test_decided_innovations_are_not_changed_but_match(
    client: TestClient,
    admin: dict[str, str],
    luwu: dict[str, Any],
    factory: Factory,
    session: Session,
) -> None:
    competition = luwu["competition"]
    factory.innovation(
        competition, agency=luwu["dlh"], title="Gersipah", external_ref="LU-01", status="eligible"
    )
    path = _innovations_path(competition)
    same = "external_ref,title,agency_code,status\nLU-01,Gersipah,DLH,submitted\n"
    assert _report(_post(client, path, same, admin)) == (0, 0, 1)
    before = _counts(session)
    changed = "external_ref,title,agency_code\nLU-01,Gersipah Baru,DLH\n"
    response = _post(client, path, changed, {**admin, "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "status_locked"
    assert "is eligible" in response.json()["errors"][0]["message"]
    back = "external_ref,title,agency_code,status\nLU-01,Gersipah,DLH,draft\n"
    assert _post(client, path, back, admin).status_code == 422
    assert _counts(session) == before


def test_submitted_innovation_cannot_go_back_to_draft(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], factory: Factory
) -> None:
    competition = luwu["competition"]
    factory.innovation(
        competition, agency=luwu["dlh"], title="X", external_ref="LU-09", status="submitted"
    )
    body = "external_ref,title,agency_code,status\nLU-09,X,DLH,draft\n"
    response = _post(
        client, _innovations_path(competition), body, {**admin, "Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert "cannot make it a draft again" in response.json()["errors"][0]["message"]


def test_unknown_competition_is_404(client: TestClient, admin: dict[str, str]) -> None:
    body = "external_ref,title,agency_code\nA,a,DLH\n"
    assert _post(client, "/competitions/999999/imports/innovations", body, admin).status_code == 404


def test_ten_thousand_innovations_import_in_seconds(
    client: TestClient, admin: dict[str, str], luwu: dict[str, Any], session: Session
) -> None:
    competition = luwu["competition"]
    rows = "".join(
        f"R{n:05d},Inovasi {n},{'DLH' if n % 2 else 'DINKES'},umum,Pelayanan,other,2019-01-01,"
        f"Ringkasan {n},,{'inovator.dlh@example.com' if n % 2 else ''},,Teks {n}\n"
        for n in range(10_000)
    )
    started = time.perf_counter()
    response = _post(client, _innovations_path(competition), INNOVATION_HEADER + rows, admin)
    elapsed = time.perf_counter() - started
    assert _report(response) == (10_000, 0, 0), response.text[:500]
    assert _count(session, innovation_team) >= 5_000
    started = time.perf_counter()
    again = _post(client, _innovations_path(competition), INNOVATION_HEADER + rows, admin)
    assert _report(again) == (0, 0, 10_000)
    assert elapsed < 20 and time.perf_counter() - started < 20  # a few seconds when quiet


# --------------------------------------------------------------------------- who may import


def test_only_admins_import(
    client: TestClient, factory: Factory, luwu: dict[str, Any], session: Session
) -> None:
    competition = luwu["competition"]
    paths_and_bodies = [
        ("/imports/agencies", "code,name\nNEW,New\n"),
        ("/imports/users", "email,full_name,role,password\nn@example.com,N,judge,rahasia-123\n"),
        (_innovations_path(competition), "external_ref,title,agency_code\nN,N,DLH\n"),
    ]
    users = {role: factory.user(role, agency=luwu["dlh"]) for role in REFUSED_ROLES}
    before = _counts(session)
    for path, body in paths_and_bodies:
        assert _post(client, path, body, {}).status_code == 401, path
        for role, user in users.items():
            response = _post(client, path, body, auth_headers(user))
            assert response.status_code == 403, (path, role)
    assert _counts(session) == before


# --------------------------------------------------------------------------- examples/

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_example_files_match_the_demo(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    seed_demo(session=session)
    session.flush()
    competition = session.scalar(
        select(Competition).where(Competition.name == data.COMPETITION_2021["name"])
    )
    assert competition is not None
    before = _counts(session)
    expected = {
        "agencies.csv": ("/imports/agencies", len(data.AGENCIES)),
        "users.csv": ("/imports/users", 7),
        "innovations.csv": (_innovations_path(competition), len(data.INNOVATIONS)),
        "innovations.json": (_innovations_path(competition), len(data.INNOVATIONS)),
    }
    for name, (path, rows) in expected.items():
        content_type = "application/json" if name.endswith(".json") else "text/csv"
        body = (EXAMPLES / name).read_bytes()
        response = _post(client, path, body, admin, dry_run=True, content_type=content_type)
        assert response.json() == {
            "created": 0,
            "updated": 0,
            "unchanged": rows,
            "errors": [],
            "dry_run": True,
        }, name
    assert _counts(session) == before


def test_started_on_is_in_the_future_by_the_competitions_local_date(
    client: TestClient, factory: Factory
) -> None:
    """20:00 UTC on 1 March is already 2 March in WITA: a start on 2 March is today, not
    tomorrow, as the readiness check (and the people of Luwu Utara) count it."""
    factory.agency(code="DLH")
    with time_machine.travel(datetime(2025, 3, 1, 20, 0, tzinfo=UTC), tick=False):
        competition = factory.competition()  # Asia/Makassar, UTC+8
        headers = auth_headers(factory.admin())
        body = "external_ref,title,agency_code,started_on\nT-1,Hari ini,DLH,2025-03-02\n"
        response = _post(client, _innovations_path(competition), body, headers, dry_run=True)
        assert response.json()["errors"] == [] and _report(response) == (1, 0, 0)
        body = "external_ref,title,agency_code,started_on\nT-1,Besok,DLH,2025-03-03\n"
        response = _post(client, _innovations_path(competition), body, headers, dry_run=True)
        assert _errors(response) == [(1, "started_on")]
