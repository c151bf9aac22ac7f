"""The admin's outbox: listing by status without bodies, retrying a dead e-mail (audited, then
delivered through a real SMTP server with its Message-ID), refusals, and the metrics gauge."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from kipp.config import get_settings
from kipp.i18n import Msg
from kipp.models import AuditEvent, OutboxMessage, OutboxStatus, Role
from kipp.notify import delivery
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter, Recipient
from tests.factories import Factory, auth_headers
from tests.mail import mail_server

SECRET_LINK = "/set-password?token=very-secret-single-use"
RESET = Letter(
    kind="password_reset",
    subject=Msg(id="Atur ulang kata sandi", en="Reset your password"),
    body=Msg(id="Buka tautan ini.", en="Open this link."),
    link=SECRET_LINK,
    to_inbox=False,
)


def _queue(session: Session, address: str = "warga@example.org") -> OutboxMessage:
    [message] = notify_service.send(
        session, letter=RESET, recipients=[Recipient(email=address, name="Warga")]
    )
    session.commit()
    return message


def _factory(connection: Connection) -> Callable[[], Session]:
    return lambda: Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def test_the_admin_sees_the_outbox_without_bodies(
    client: TestClient, session: Session, factory: Factory
) -> None:
    admin = factory.admin()
    waiting = _queue(session)
    dead = _queue(session, "gone@example.org")
    dead.status, dead.attempts, dead.last_error = OutboxStatus.DEAD, 8, "550 No such user"
    session.commit()

    everything = client.get("/api/v1/outbox", headers=auth_headers(admin))
    assert everything.status_code == 200
    page = everything.json()
    assert [item["id"] for item in page["items"]] == [dead.id, waiting.id]
    assert page["total"] == 2
    assert page["counts"] == {"pending": 1, "sending": 0, "sent": 0, "dead": 1}
    assert SECRET_LINK not in everything.text and "body" not in page["items"][0]
    item = page["items"][0]
    assert (item["to_address"], item["status"], item["attempts"], item["last_error"]) == (
        "gone@example.org",
        "dead",
        8,
        "550 No such user",
    )
    assert item["kind"] == "password_reset" and item["message_id"] == dead.message_id

    only_dead = client.get("/api/v1/outbox?status=dead", headers=auth_headers(admin)).json()
    assert [i["id"] for i in only_dead["items"]] == [dead.id] and only_dead["total"] == 1
    bad = client.get("/api/v1/outbox?status=lost", headers=auth_headers(admin))
    assert bad.status_code == 422


def test_retrying_a_dead_email_sends_it_again_with_its_message_id(
    client: TestClient, session: Session, factory: Factory, connection: Connection
) -> None:
    admin = factory.admin()
    message = _queue(session)
    message.status, message.attempts = OutboxStatus.DEAD, 8
    session.commit()

    response = client.post(f"/api/v1/outbox/{message.id}/retry", headers=auth_headers(admin))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).one()
    assert (event.entity_id, event.actor_id) == (message.id, admin.id)
    assert event.before == {"status": "dead", "attempts": 8}
    with mail_server() as server:
        settings = get_settings().model_copy(update={"smtp_url": server.url})
        report = delivery.deliver_due(session_factory=_factory(connection), settings=settings)
        assert report.sent == 1
        [received] = server.wait_for(1)
    assert received["Message-ID"] == message.message_id
    # Sent: not retryable any more.
    again = client.post(
        f"/api/v1/outbox/{message.id}/retry",
        headers={**auth_headers(admin), "Accept-Language": "en"},
    )
    assert again.status_code == 409
    assert (
        again.json()["detail"]
        == "An e-mail that is sent cannot be retried; only pending or dead ones can."
    )


def test_retry_refusals_change_nothing(
    client: TestClient, session: Session, factory: Factory
) -> None:
    admin = factory.admin()
    message = _queue(session)
    message.status = OutboxStatus.SENDING
    session.commit()
    busy = client.post(f"/api/v1/outbox/{message.id}/retry", headers=auth_headers(admin))
    assert busy.status_code == 409
    missing = client.post("/api/v1/outbox/999999/retry", headers=auth_headers(admin))
    assert missing.status_code == 404
    innovator = factory.user(role=Role.INNOVATOR)
    session.commit()
    refused = client.post(f"/api/v1/outbox/{message.id}/retry", headers=auth_headers(innovator))
    assert refused.status_code == 403
    assert client.get("/api/v1/outbox", headers=auth_headers(innovator)).status_code == 403
    assert client.get("/api/v1/outbox").status_code == 401
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status == OutboxStatus.SENDING  # type: ignore[union-attr]
    assert (
        session.scalars(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).all() == []
    )


def test_metrics_count_the_outbox_by_status(client: TestClient) -> None:
    text = client.get("/metrics").text
    for status in ("pending", "sending", "sent", "dead"):
        assert f'kipp_outbox_messages{{status="{status}"}}' in text
