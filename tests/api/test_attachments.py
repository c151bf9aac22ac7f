"""Evidence files: recognised by content, size-limited, stored by generated name, tied to the
request's transaction, readable by the proposal's readers.

Every test runs twice: with the evidence in the local folder and in an S3 bucket (moto_server
on loopback)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp import storage as file_storage
from kipp.config import get_settings
from kipp.innovations import attachments, storage
from kipp.models import Attachment, AuditEvent, ConflictOfInterest, Role
from kipp.storage.s3 import S3Storage
from tests.api.test_innovations import World, make_world
from tests.factories import Factory, auth_headers
from tests.s3 import S3Server

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


class Evidence:
    """The stored evidence files, whichever backend holds them."""

    def __init__(self) -> None:
        settings = get_settings()
        self.kind = settings.storage_location.kind
        self.store = file_storage.for_settings(settings)
        self.directory = storage.directory(settings)

    def names(self) -> set[str]:
        """Every file's name, partial ones included (a pending multipart upload on S3)."""
        if isinstance(self.store, S3Storage):
            pending = self.store.client.list_multipart_uploads(Bucket=self.store.bucket)
            return {k.removeprefix("attachments/") for k in self.store.keys("attachments/")} | {
                f"{u['Key']}.part" for u in pending.get("Uploads", [])
            }
        directory = self.directory
        return {p.name for p in directory.iterdir()} if directory.exists() else set()

    def read(self, name: str) -> bytes:
        blob = self.store.open(storage.key(name))
        try:
            return b"".join(blob.chunks)
        finally:
            blob.release()

    def exists(self, name: str) -> bool:
        return self.store.exists(storage.key(name))

    def delete(self, name: str) -> None:
        self.store.delete(storage.key(name))


@pytest.fixture(params=["file", "s3"], autouse=True)
def evidence(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Evidence:
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        monkeypatch.setattr(get_settings(), "storage_url", server.new_bucket(prefix="kipp"))
    return Evidence()


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 1000)
    yield 1000


def _rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Attachment)) or 0


def _upload(
    client: TestClient,
    world: World,
    who: str | None,
    content: bytes = PDF,
    filename: str = "bukti.pdf",
    content_type: str = "application/pdf",
    innovation_id: int | None = None,
) -> Any:
    return client.post(
        f"/api/v1/innovations/{innovation_id or world.draft.id}/attachments",
        files={"file": (filename, content, content_type)},
        headers=world.headers(who) if who else {},
    )


def test_upload_list_download(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence
) -> None:
    world = make_world(factory)
    before = evidence.names()
    response = _upload(client, world, "innovator", filename="Surat Keputusan.pdf")
    assert response.status_code == 201, response.text
    attachment = response.json()
    assert attachment["filename"] == "Surat Keputusan.pdf"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["uploaded_by_id"] == world.innovator.id
    [stored] = evidence.names() - before
    assert stored.endswith(".pdf") and "Surat" not in stored  # a generated name
    assert evidence.read(stored) == PDF
    row = session.get(Attachment, attachment["id"])
    assert row is not None and row.storage_name == stored

    listing = client.get(
        f"/api/v1/innovations/{world.draft.id}/attachments", headers=world.headers("admin")
    ).json()
    assert listing == {"items": [attachment], "total": 1}
    download = client.get(
        f"/api/v1/innovations/{world.draft.id}/attachments/{attachment['id']}",
        headers=world.headers("agency_admin"),
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    # A browser shows evidence itself (the judge reads it on the phone), never sniffing it.
    assert download.headers["content-disposition"].startswith("inline;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "script-src" not in download.headers["content-security-policy"]
    assert "default-src 'none'" in download.headers["content-security-policy"]
    assert "Surat%20Keputusan.pdf" in download.headers["content-disposition"] or (
        'filename="Surat Keputusan.pdf"' in download.headers["content-disposition"]
    )
    detail = client.get(
        f"/api/v1/innovations/{world.draft.id}", headers=world.headers("innovator")
    ).json()
    assert detail["attachments_count"] == 1
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment.create"))
    assert event.after is not None and event.after["sha256"] == attachment["sha256"]


@pytest.mark.parametrize(
    ("content", "claimed_name", "claimed_type", "stored_type"),
    [
        (PNG, "foto.jpg", "image/jpeg", "image/png"),
        (JPEG, "foto.pdf", "application/pdf", "image/jpeg"),
        (PDF, "proposal.exe", "application/octet-stream", "application/pdf"),
    ],
)
def test_the_content_decides_the_type_not_the_name(
    client: TestClient,
    factory: Factory,
    content: bytes,
    claimed_name: str,
    claimed_type: str,
    stored_type: str,
) -> None:
    world = make_world(factory)
    response = _upload(client, world, "innovator", content, claimed_name, claimed_type)
    assert response.status_code == 201
    assert response.json()["content_type"] == stored_type


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"",
        b"%PD",  # shorter than any signature
        b"GIF89a" + b"\x00" * 20,
        b"MZ\x90\x00 executable",
    ],
)
def test_other_content_is_415_and_leaves_nothing(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence, content: bytes
) -> None:
    world = make_world(factory)
    before = (evidence.names(), _rows(session))
    response = _upload(client, world, "innovator", content, "bukti.pdf", "application/pdf")
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert (evidence.names(), _rows(session)) == before


def test_too_large_is_413_while_streaming_and_leaves_nothing(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence, small_limit: int
) -> None:
    world = make_world(factory)
    before = (evidence.names(), _rows(session))
    exactly = _upload(client, world, "innovator", PDF + b"\x00" * (small_limit - len(PDF)))
    assert exactly.status_code == 201 and exactly.json()["size"] == small_limit
    after_one = (evidence.names(), _rows(session))
    # just over: the declared length passes the early check, the copy stops at the limit
    response = _upload(client, world, "innovator", PDF + b"\x00" * small_limit)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert (evidence.names(), _rows(session)) == after_one
    assert len(after_one[0] - before[0]) == 1 and not any(n.endswith(".part") for n in after_one[0])


def test_a_declared_length_far_over_the_limit_is_refused_before_reading(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence, small_limit: int
) -> None:
    world = make_world(factory)
    before = (evidence.names(), _rows(session))
    response = _upload(client, world, "innovator", PDF + b"\x00" * 200_000)
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["detail"]
    assert (evidence.names(), _rows(session)) == before


def test_a_request_failing_after_the_write_leaves_no_file(
    client: TestClient,
    factory: Factory,
    session: Session,
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = make_world(factory)
    before = (evidence.names(), _rows(session))

    def broken_audit(**_: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(attachments.audit_service, "record", broken_audit)
    assert _upload(client, world, "innovator").status_code == 500
    assert (evidence.names(), _rows(session)) == before


def test_missing_file_field_is_422(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    response = client.post(
        f"/api/v1/innovations/{world.draft.id}/attachments",
        files={"dokumen": ("a.pdf", PDF, "application/pdf")},
        headers=world.headers("innovator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert _rows(session) == 0


def test_delete_removes_the_row_and_then_the_file(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence
) -> None:
    world = make_world(factory)
    attachment = _upload(client, world, "innovator").json()
    row = session.get(Attachment, attachment["id"])
    assert row is not None
    stored = row.storage_name
    assert evidence.exists(stored)
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment['id']}"
    response = client.delete(url, headers=world.headers("agency_admin"))
    assert response.status_code == 204
    session.expire_all()
    assert session.get(Attachment, attachment["id"]) is None
    assert not evidence.exists(stored)
    assert client.get(url, headers=world.headers("innovator")).status_code == 404
    assert client.delete(url, headers=world.headers("innovator")).status_code == 404


def test_a_failed_delete_keeps_the_file(
    client: TestClient,
    factory: Factory,
    session: Session,
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = make_world(factory)
    attachment = _upload(client, world, "innovator").json()
    row = session.get(Attachment, attachment["id"])
    assert row is not None

    real_remove = storage.remove_when_committed

    def doom_then_fail(**kwargs: Any) -> None:
        real_remove(**kwargs)
        raise RuntimeError("the request fails after the file was marked for removal")

    monkeypatch.setattr(attachments.storage, "remove_when_committed", doom_then_fail)
    failed = client.delete(
        f"/api/v1/innovations/{world.draft.id}/attachments/{attachment['id']}",
        headers=world.headers("innovator"),
    )
    assert failed.status_code == 500
    assert evidence.exists(row.storage_name)
    session.expire_all()
    assert session.get(Attachment, attachment["id"]) is not None


def test_evidence_changes_only_on_a_draft_in_the_window(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence
) -> None:
    world = make_world(factory)
    attachment = _upload(client, world, "innovator").json()
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment['id']}"
    before = (evidence.names(), _rows(session))
    with time_machine.travel(world.competition.stages[0].ends_at, tick=False):
        late = _upload(client, world, "innovator")
        late_delete = client.delete(url, headers=world.headers("innovator"))
    assert late.status_code == 409 and "WITA" in late.json()["detail"]
    assert late_delete.status_code == 409
    world.draft.status = "submitted"
    session.flush()
    assert _upload(client, world, "innovator").status_code == 409
    assert client.delete(url, headers=world.headers("innovator")).status_code == 409
    assert (evidence.names(), _rows(session)) == before


def test_who_may_upload(client: TestClient, factory: Factory, session: Session) -> None:
    world = make_world(factory)
    assert _upload(client, world, None).status_code == 401
    for who in ("admin", "judge"):
        assert _upload(client, world, who).status_code == 403, who
    for who in ("colleague", "outsider", "other_agency_admin"):
        assert _upload(client, world, who).status_code == 404, who
    assert _rows(session) == 0
    for who in ("innovator", "agency_admin"):
        assert _upload(client, world, who).status_code == 201, who


def test_who_may_read_and_delete_evidence(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    listing = f"/api/v1/innovations/{world.draft.id}/attachments"
    download = f"{listing}/{attachment_id}"
    assert client.get(listing).status_code == 401
    assert client.get(download).status_code == 401
    assert client.delete(download).status_code == 401
    for who in ("innovator", "agency_admin", "admin"):
        assert client.get(listing, headers=world.headers(who)).status_code == 200, who
        assert client.get(download, headers=world.headers(who)).status_code == 200, who
    for who in ("colleague", "outsider", "other_agency_admin", "judge"):
        assert client.get(listing, headers=world.headers(who)).status_code == 404, who
        assert client.get(download, headers=world.headers(who)).status_code == 404, who
        if who != "judge":
            assert client.delete(download, headers=world.headers(who)).status_code == 404, who
    for who in ("admin", "judge"):
        assert client.delete(download, headers=world.headers(who)).status_code == 403, who


def test_an_assigned_judge_reads_the_evidence(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    world.draft.status = "eligible"
    session.flush()
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(url, headers=world.headers("judge"))
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    stranger = factory.user(Role.JUDGE, agency=world.other_agency)  # not on the panel
    assert client.get(url, headers=auth_headers(stranger)).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "media_type"),
    [(PNG, "foto.png", "image/png"), (JPEG, "foto.jpg", "image/jpeg")],
)
def test_images_are_served_inline_with_their_type(
    client: TestClient, factory: Factory, content: bytes, name: str, media_type: str
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator", content, name, media_type).json()["id"]
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(url, headers=world.headers("innovator"))
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_other_stored_types_stay_a_download(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    row = session.get(Attachment, attachment_id)
    assert row is not None
    row.content_type = "application/octet-stream"  # a type stored before the content check
    session.flush()
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(url, headers=world.headers("innovator"))
    assert response.headers["content-disposition"].startswith("attachment;")


def test_a_conflicted_judge_reads_no_evidence(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    world.draft.status = "eligible"
    session.add(
        ConflictOfInterest(
            competition_id=world.competition.id,
            innovation_id=world.draft.id,
            judge_id=world.judge.id,
            source="declared",
            reason="Saudara kandung di tim",
        )
    )
    session.flush()
    listing = f"/api/v1/innovations/{world.draft.id}/attachments"
    for url in (listing, f"{listing}/{attachment_id}", f"/api/v1/innovations/{world.draft.id}"):
        assert client.get(url, headers=world.headers("judge")).status_code == 404, url


def test_an_attachment_is_reached_only_through_its_own_innovation(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    other = factory.innovation(world.competition, agency=world.agency, team=[world.innovator])
    url = f"/api/v1/innovations/{other.id}/attachments/{attachment_id}"
    assert client.get(url, headers=world.headers("innovator")).status_code == 404
    assert client.delete(url, headers=world.headers("innovator")).status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [("bytes=0-7", PDF[:8]), ("bytes=9-", PDF[9:]), ("bytes=-6", PDF[-6:])],
)
def test_a_byte_range_is_206(
    client: TestClient, factory: Factory, header: str, expected: bytes
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(url, headers={**world.headers("innovator"), "Range": header})
    assert response.status_code == 206
    assert response.content == expected
    start = PDF.index(expected) if header != "bytes=-6" else len(PDF) - 6
    assert response.headers["content-range"] == (
        f"bytes {start}-{start + len(expected) - 1}/{len(PDF)}"
    )
    assert response.headers["content-length"] == str(len(expected))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_range_outside_the_file_is_416(client: TestClient, factory: Factory) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(
        url, headers={**world.headers("innovator"), "Range": f"bytes={len(PDF) + 10}-"}
    )
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(PDF)}"


def test_a_file_lost_by_the_storage_is_404(
    client: TestClient, factory: Factory, session: Session, evidence: Evidence
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    row = session.get(Attachment, attachment_id)
    assert row is not None
    evidence.delete(row.storage_name)
    url = f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}"
    response = client.get(url, headers=world.headers("innovator"))
    assert response.status_code == 404
    assert "missing from storage" in response.json()["detail"]


def test_an_unreachable_bucket_is_503_and_changes_nothing(
    client: TestClient,
    factory: Factory,
    session: Session,
    evidence: Evidence,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = make_world(factory)
    attachment_id = _upload(client, world, "innovator").json()["id"]
    monkeypatch.setattr(get_settings(), "storage_url", "s3://gone?endpoint=http://127.0.0.1:9")
    before = _rows(session)
    response = _upload(client, world, "innovator")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert "evidence storage cannot be reached" in response.json()["detail"]
    assert _rows(session) == before
    download = client.get(
        f"/api/v1/innovations/{world.draft.id}/attachments/{attachment_id}",
        headers=world.headers("innovator"),
    )
    assert download.status_code == 503
