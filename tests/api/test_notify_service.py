"""notify.send: one inbox notification per user and one outbox e-mail per address, in each
recipient's language, written in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import Notification, OutboxMessage, OutboxStatus, Role
from kipp.notify import service as notify_service
from kipp.notify.letters import Attachment, Letter, Recipient
from tests.factories import Factory

LETTER = Letter(
    kind="proposal_submitted",
    subject=Msg(id="Proposal diterima", en="Proposal received"),
    body=Msg(id="Proposal Anda sudah kami terima.", en="We received your proposal."),
    link="/proposals/7",
    attachments=(Attachment("slot.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),),
)


def test_each_recipient_once_in_their_language(session: Session, factory: Factory) -> None:
    indonesian = factory.user(role=Role.INNOVATOR)
    english = factory.user(role=Role.AGENCY_ADMIN)
    english.locale = "en"
    session.flush()
    recipients = [
        notify_service.recipient_of(indonesian),
        notify_service.recipient_of(english),
        notify_service.recipient_of(indonesian),  # team member and agency admin: told once
        Recipient(email="objector@example.org", name="Warga", lang="en"),
    ]

    queued = notify_service.send(session, letter=LETTER, recipients=recipients)

    inbox = session.scalars(select(Notification).order_by(Notification.user_id)).all()
    assert [(n.user_id, n.title) for n in inbox] == [
        (indonesian.id, "Proposal diterima"),
        (english.id, "Proposal received"),
    ]
    assert all(n.read_at is None and n.link == "/proposals/7" for n in inbox)
    mails = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert mails == queued
    assert [m.to_address for m in mails] == [
        indonesian.email,
        english.email,
        "objector@example.org",
    ]
    assert {m.status for m in mails} == {OutboxStatus.PENDING}
    assert mails[0].subject == "Proposal diterima"
    assert "Proposal Anda sudah kami terima." in mails[0].body
    assert notify_service.absolute_link("/proposals/7") in mails[0].body
    assert "We received your proposal." in mails[2].body
    assert mails[2].user_id is None
    assert mails[0].attachments[0]["filename"] == "slot.ics"
    assert len({m.message_id for m in mails}) == 3
    assert all(m.message_id.startswith("<") and m.message_id.endswith(">") for m in mails)


def test_an_email_only_letter_skips_the_inbox(session: Session, factory: Factory) -> None:
    user = factory.user(role=Role.JUDGE)
    letter = Letter(
        kind="password_reset",
        subject=Msg(id="Atur ulang kata sandi", en="Reset your password"),
        body=Msg(id="Buka tautan ini.", en="Open this link."),
        to_inbox=False,
    )
    notify_service.send(session, letter=letter, recipients=[notify_service.recipient_of(user)])
    assert session.scalars(select(Notification)).all() == []
    assert [m.to_address for m in session.scalars(select(OutboxMessage))] == [user.email]
