"""Addressing letters: the inbox notification and the outbox e-mail, in the caller's
transaction, so the event and what it tells people are kept or lost together."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from kipp.clock import now as clock_now
from kipp.config import get_settings
from kipp.i18n import LANGUAGES, Lang
from kipp.models import Notification, OutboxMessage, OutboxStatus, User
from kipp.notify.letters import Letter, Recipient, unique

FOOTER = {
    "id": "Pesan ini dikirim otomatis oleh KIPP; balasan ke alamat ini tidak dibaca.",
    "en": "This message was sent automatically by KIPP; replies to this address are not read.",
}


def recipient_of(user: User) -> Recipient:
    """A user as a recipient: inbox and e-mail, in the user's language."""
    lang: Lang = "en" if user.locale == "en" else "id"
    return Recipient(email=user.email, name=user.full_name, lang=lang, user_id=user.id)


def absolute_link(path: str) -> str:
    """A path of the web app as the URL people open from an e-mail (``KIPP_PUBLIC_URL``)."""
    return get_settings().public_url.rstrip("/") + path


def new_message_id() -> str:
    """A Message-ID fixed when the e-mail is written; every retry of it carries the same."""
    domain = get_settings().mail_from.rpartition("@")[2].strip("> ") or "kipp.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def email_body(letter: Letter, lang: Lang) -> str:
    parts = [letter.body.in_(lang)]
    if letter.link:
        parts.append(absolute_link(letter.link))
    parts.append("-- \n" + FOOTER[lang])
    return "\n\n".join(parts)


def send(
    session: Session,
    *,
    letter: Letter,
    recipients: Iterable[Recipient],
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Write the letter to each recipient's inbox (users) and outbox (everyone with an
    address), in their language. Only flushes: the caller's unit of work commits it together
    with the event; nothing is sent until the delivery worker picks it up."""
    at = now or clock_now()
    queued: list[OutboxMessage] = []
    for recipient in unique(list(recipients)):
        lang = recipient.lang if recipient.lang in LANGUAGES else "id"
        if letter.to_inbox and recipient.user_id is not None:
            session.add(
                Notification(
                    user_id=recipient.user_id,
                    kind=letter.kind,
                    title=letter.subject.in_(lang),
                    body=letter.body.in_(lang),
                    link=letter.link,
                    created_at=at,
                )
            )
        if recipient.email:
            message = OutboxMessage(
                kind=letter.kind,
                user_id=recipient.user_id,
                to_address=recipient.email,
                to_name=recipient.name,
                subject=letter.subject.in_(lang),
                body=email_body(letter, lang),
                attachments=[
                    {
                        "filename": a.filename,
                        "content_type": a.content_type,
                        "content": a.content,
                    }
                    for a in letter.attachments
                ],
                message_id=new_message_id(),
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=at,
                created_at=at,
            )
            session.add(message)
            queued.append(message)
    session.flush()
    return queued
