"""What KIPP tells people: the in-app inbox, the e-mail outbox and single-use links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kipp.db import Base, JSONType, UTCDateTime
from kipp.models._common import utcnow


class Notification(Base):
    """One message in a user's in-app inbox, in the language the user had when it was sent."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # A path inside the web app (``/proposals/12``); e-mails carry it as a full URL.
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt (or for SMTP to be configured)
    SENDING = "sending"  # claimed by a worker until claimed_until; a crash leaves it to expire
    SENT = "sent"
    DEAD = "dead"  # gave up after the last retry; the admin can send it again


class OutboxMessage(Base):
    """An e-mail written in the same transaction as the event that caused it.

    ``message_id`` is fixed when the message is written, so a retry after a crash carries the
    same Message-ID and the recipient's mail system (and a person) can tell it is the same."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "content" (text)}]: small text parts such as an .ics.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ActionPurpose(StrEnum):
    INVITATION = "invitation"  # a new account sets its own password
    PASSWORD_RESET = "password_reset"


class ActionToken(Base):
    """A single-use link sent by e-mail, stored hashed (the link itself is never stored)."""

    __tablename__ = "action_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScoringReminder(Base):
    """A reminder sent to a judge before a scoring window closes: one per judge and window.

    The unique key is the guard: of two workers reminding at once, one insert fails and that
    worker sends nothing. Extending the window (a new ``window_ends_at``) earns a new one."""

    __tablename__ = "scoring_reminders"
    __table_args__ = (UniqueConstraint("competition_id", "judge_id", "window_ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
