"""Delivering the outbox through a real SMTP server (aiosmtpd on loopback): sent with the stored
Message-ID and attachments, retried with backoff after a 4xx, dead after the last attempt or a
permanent refusal, and nothing claimed while mail is not configured."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.config import Settings, get_settings
from kipp.db import get_engine
from kipp.i18n import Msg
from kipp.models import OutboxMessage, OutboxStatus, Role
from kipp.notify import delivery
from kipp.notify import service as notify_service
from kipp.notify.letters import Attachment, Letter, Recipient
from tests.factories import Factory
from tests.mail import MailServer, mail_server

ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Presentasi\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
LETTER = Letter(
    kind="slot_set",
    subject=Msg(id="Jadwal presentasi: Rabu — ruang Lagaligo", en="Presentation slot set"),
    body=Msg(id="Presentasi Anda dijadwalkan. Terima kasih 🙏", en="Your slot is set."),
    link="/proposals/3",
    attachments=(Attachment("presentasi.ics", "text/calendar; method=REQUEST", ICS),),
)


@pytest.fixture
def server() -> Iterator[MailServer]:
    with mail_server() as running:
        yield running


def _settings(server: MailServer | None, **changes: object) -> Settings:
    update: dict[str, object] = {"smtp_url": server.url if server else "", **changes}
    return get_settings().model_copy(update=update)


def _factory(connection: Connection) -> delivery.SessionFactory:
    def make() -> Session:
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    return make


def _queue(session: Session, factory: Factory, count: int = 1) -> list[OutboxMessage]:
    queued: list[OutboxMessage] = []
    for _ in range(count):
        user = factory.user(role=Role.INNOVATOR, full_name="Andi Sukmawati Ruslan")
        queued += notify_service.send(
            session, letter=LETTER, recipients=[notify_service.recipient_of(user)]
        )
    session.commit()
    return queued


def _row(session: Session, message: OutboxMessage) -> OutboxMessage:
    session.expire_all()
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.id == message.id))
    assert row is not None
    return row


def test_sent_with_its_message_id_utf8_subject_and_ics(
    session: Session, factory: Factory, connection: Connection, server: MailServer
) -> None:
    [message] = _queue(session, factory)

    report = delivery.deliver_due(session_factory=_factory(connection), settings=_settings(server))

    assert (report.sent, report.retried, report.dead) == (1, 0, 0)
    [received] = server.wait_for(1)
    assert received["Message-ID"] == message.message_id
    assert received["Subject"] == "Jadwal presentasi: Rabu — ruang Lagaligo"
    assert received["To"].addresses[0].display_name == "Andi Sukmawati Ruslan"
    assert received["To"].addresses[0].addr_spec == message.to_address
    assert received["From"] == get_settings().mail_from
    assert received["Date"] is not None
    body = received.get_body(preferencelist=("plain",))
    assert body is not None and "Terima kasih 🙏" in body.get_content()
    [ics] = list(received.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "presentasi.ics"
    assert "SUMMARY:Presentasi" in ics.get_content()
    assert server.recipients == [[message.to_address]]
    row = _row(session, message)
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None and row.claimed_until is None and row.attempts == 1


def test_a_temporary_refusal_is_retried_after_a_doubling_backoff(
    session: Session, factory: Factory, connection: Connection, server: MailServer
) -> None:
    [message] = _queue(session, factory)
    server.data_replies += ["451 4.3.0 Try again later", "421 4.7.0 Busy"]
    settings = _settings(server, mail_retry_seconds=60, mail_max_attempts=5)
    make = _factory(connection)
    start = clock.now()

    first = delivery.deliver_due(session_factory=make, settings=settings, now=start)
    row = _row(session, message)
    assert (first.retried, row.status, row.attempts) == (1, OutboxStatus.PENDING, 1)
    assert row.last_error is not None and "451" in row.last_error
    assert row.next_attempt_at == start + timedelta(seconds=60)
    # Not due yet: nothing is claimed.
    early = delivery.deliver_due(
        session_factory=make, settings=settings, now=start + timedelta(seconds=59)
    )
    assert early.attempted == 0

    second = delivery.deliver_due(
        session_factory=make, settings=settings, now=start + timedelta(seconds=60)
    )
    row = _row(session, message)
    assert (second.retried, row.attempts) == (1, 2)
    assert row.next_attempt_at == start + timedelta(seconds=60 + 120)

    third = delivery.deliver_due(
        session_factory=make, settings=settings, now=start + timedelta(seconds=180)
    )
    assert third.sent == 1
    [received] = server.wait_for(1)
    assert received["Message-ID"] == message.message_id
    row = _row(session, message)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, None)


def test_dead_after_the_last_attempt(
    session: Session, factory: Factory, connection: Connection, server: MailServer
) -> None:
    [message] = _queue(session, factory)
    server.data_replies += ["451 4.3.0 Try again later"] * 3
    settings = _settings(server, mail_retry_seconds=1, mail_max_attempts=3)
    at = clock.now()
    for _ in range(3):
        delivery.deliver_due(session_factory=_factory(connection), settings=settings, now=at)
        at += timedelta(hours=1)
    row = _row(session, message)
    assert (row.status, row.attempts) == (OutboxStatus.DEAD, 3)
    # Dead stays dead: no further attempt.
    later = delivery.deliver_due(session_factory=_factory(connection), settings=settings, now=at)
    assert later.attempted == 0 and server.messages == []


def test_a_permanent_refusal_of_the_recipient_is_dead_at_once(
    session: Session, factory: Factory, connection: Connection, server: MailServer
) -> None:
    gone, kept = _queue(session, factory, count=2)
    server.rcpt_replies.append("550 5.1.1 No such user")

    report = delivery.deliver_due(session_factory=_factory(connection), settings=_settings(server))

    assert (report.sent, report.dead) == (1, 1)
    row = _row(session, gone)
    assert row.status == OutboxStatus.DEAD and row.attempts == 1
    assert row.last_error is not None and "550" in row.last_error
    assert _row(session, kept).status == OutboxStatus.SENT
    assert server.message_ids() == [kept.message_id]


def test_an_unreachable_server_keeps_every_message_for_later(
    session: Session, factory: Factory, connection: Connection
) -> None:
    queued = _queue(session, factory, count=2)
    with mail_server() as stopped:
        url = stopped.url  # closed on the way out: nothing listens there any more
    settings = get_settings().model_copy(update={"smtp_url": url, "smtp_timeout_seconds": 2})

    report = delivery.deliver_due(session_factory=_factory(connection), settings=settings)

    assert report.retried == 2
    for message in queued:
        row = _row(session, message)
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
        assert row.last_error is not None and url.removeprefix("smtp://") in row.last_error


def test_without_smtp_nothing_is_claimed_and_nothing_lost(
    session: Session, factory: Factory, connection: Connection
) -> None:
    [message] = _queue(session, factory)

    report = delivery.deliver_due(session_factory=_factory(connection), settings=_settings(None))

    assert report.attempted == 0
    row = _row(session, message)
    assert (row.status, row.attempts, row.claimed_until) == (OutboxStatus.PENDING, 0, None)


def test_a_crashed_workers_claim_is_taken_again_after_its_lease(
    session: Session, factory: Factory, connection: Connection, server: MailServer
) -> None:
    [message] = _queue(session, factory)
    now = clock.now()
    claimed = delivery.claim(_factory(connection)(), now=now)  # ... and the worker dies
    assert [c.message_id for c in claimed] == [message.message_id]
    make = _factory(connection)

    during = delivery.deliver_due(session_factory=make, settings=_settings(server), now=now)
    assert during.attempted == 0  # still leased

    after = delivery.deliver_due(
        session_factory=make, settings=_settings(server), now=now + delivery.LEASE * 2
    )
    assert after.sent == 1
    assert server.message_ids() == [message.message_id]


def test_an_invalid_address_is_dead_without_trying(
    session: Session, connection: Connection, server: MailServer
) -> None:
    [message] = notify_service.send(
        session,
        letter=LETTER,
        recipients=[Recipient(email="not an address", name="X", lang="en")],
    )
    session.commit()

    report = delivery.deliver_due(session_factory=_factory(connection), settings=_settings(server))

    assert report.dead == 1 and server.messages == []
    assert _row(session, message).status == OutboxStatus.DEAD


def test_two_claimers_on_postgresql_get_disjoint_rows(migrated: str) -> None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; on SQLite a claim is one write transaction")
    with Session(engine) as session:
        queued = notify_service.send(
            session,
            letter=LETTER,
            recipients=[Recipient(email=f"juri{n}@example.org") for n in range(10)],
        )
        session.commit()
        ids = {message.message_id for message in queued}
    now = clock.now()
    try:
        with Session(engine) as first, Session(engine) as second:
            held = delivery.claim_rows(first, now=now, limit=4, lease=delivery.LEASE)
            # The first claimer has not committed: its rows are locked, the second skips them
            # instead of waiting or taking them too.
            taken = delivery.claim(second, now=now, limit=100, lease=delivery.LEASE)
            first.commit()
        mine = {c.message_id for c in held}
        theirs = {c.message_id for c in taken} & ids
        assert len(mine) == 4 and mine <= ids
        assert mine.isdisjoint(theirs)
        assert mine | theirs == ids
    finally:
        with Session(engine) as session:
            session.execute(delete(OutboxMessage).where(OutboxMessage.message_id.in_(ids)))
            session.commit()
