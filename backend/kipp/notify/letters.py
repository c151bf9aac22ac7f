"""A letter: what one event tells people, in both languages, before it is addressed.

Pure: the events build letters (``kipp.notify.events``), ``kipp.notify.service.send`` addresses
them, one inbox notification and one outbox e-mail per recipient, each in that recipient's
language."""

from __future__ import annotations

from dataclasses import dataclass

from kipp.i18n import Lang, Msg


@dataclass(frozen=True, slots=True)
class Attachment:
    """A small text part of an e-mail, such as a presentation slot's .ics."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str  # stable machine name: "proposal_submitted", "slot_moved", …
    subject: Msg
    body: Msg  # plain text; paragraphs separated by blank lines
    link: str | None = None  # a path inside the web app, e.g. "/proposals/12"
    attachments: tuple[Attachment, ...] = ()
    # False for a message only an e-mail makes sense for (a password-reset link).
    to_inbox: bool = True


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to tell: a user (inbox and e-mail) or only an address (an objector)."""

    email: str | None
    name: str = ""
    lang: Lang = "id"
    user_id: int | None = None


def unique(recipients: list[Recipient]) -> list[Recipient]:
    """Each person once, however many roles they have in the event (team member and agency
    admin): by user id, else by address, in the order given."""
    seen: set[object] = set()
    out: list[Recipient] = []
    for recipient in recipients:
        key: object = (
            ("user", recipient.user_id)
            if recipient.user_id is not None
            else ("email", (recipient.email or "").lower())
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(recipient)
    return out
