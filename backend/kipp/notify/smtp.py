"""SMTP without a database: reading ``KIPP_SMTP_URL``, writing an outbox row as an e-mail,
opening the connection, and telling a permanent refusal from a passing one."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class SmtpUrlError(ValueError):
    """KIPP_SMTP_URL cannot be read; the message says what is wrong (never the password)."""


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool  # smtps://: TLS from the first byte
    starttls: bool  # smtp://…?starttls=true: upgrade after EHLO
    username: str | None
    password: str | None
    timeout: float

    def describe(self) -> str:
        """Where mail goes, for a log line (no credentials)."""
        scheme = "smtps" if self.implicit_tls else "smtp"
        tls = " with STARTTLS" if self.starttls else ""
        return f"{scheme}://{self.host}:{self.port}{tls}"


def parse_smtp_url(url: str, *, timeout: float = 30) -> SmtpConfig:
    """``smtp://user:pass@host:587?starttls=true`` or ``smtps://user:pass@host:465``.

    The user and password may be percent-encoded (``%40`` for ``@``). Without a port:
    25 for smtp://, 465 for smtps://."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise SmtpUrlError(f"KIPP_SMTP_URL is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise SmtpUrlError("KIPP_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise SmtpUrlError("KIPP_SMTP_URL names no host")
    query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls"}
    if unknown:
        raise SmtpUrlError(f"KIPP_SMTP_URL has unknown options: {', '.join(sorted(unknown))}")
    starttls = query.get("starttls", "false").lower() in TRUE_WORDS
    if starttls and scheme == "smtps":
        raise SmtpUrlError("KIPP_SMTP_URL: smtps:// is TLS already; starttls is for smtp://")
    return SmtpConfig(
        host=parts.hostname,
        port=port or DEFAULT_PORTS[scheme],
        implicit_tls=scheme == "smtps",
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        timeout=timeout,
    )


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """An open, logged-in SMTP connection (the caller quits it)."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if config.implicit_tls:
        smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        smtp.ehlo()
        if config.starttls:
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.username:
            smtp.login(config.username, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What one outbox row says, as the e-mail needs it."""

    message_id: str
    to_address: str
    to_name: str
    subject: str
    body: str
    attachments: list[dict[str, Any]]


def envelope_sender(mail_from: str) -> str:
    """The bare address of ``KIPP_MAIL_FROM`` (``KIPP <kipp@example.org>`` → ``kipp@…``)."""
    return parseaddr(mail_from)[1] or mail_from


def build_email(outgoing: Outgoing, *, mail_from: str, date: datetime) -> EmailMessage:
    """The e-mail of one outbox row: its stored Message-ID (the same on every retry), the
    recipient as "name <address>", a UTF-8 text body and its attachments (an .ics keeps its
    ``method`` parameter, so calendars offer to add the event)."""
    message = EmailMessage()
    message["Message-ID"] = outgoing.message_id
    message["Date"] = format_datetime(date)
    message["From"] = mail_from
    local, _, domain = outgoing.to_address.rpartition("@")
    message["To"] = Address(display_name=outgoing.to_name, username=local, domain=domain)
    message["Subject"] = outgoing.subject
    message.set_content(outgoing.body, charset="utf-8")
    for attachment in outgoing.attachments:
        _attach(message, attachment)
    return message


def _attach(message: EmailMessage, attachment: dict[str, Any]) -> None:
    content_type, _, rest = str(attachment["content_type"]).partition(";")
    maintype, _, subtype = content_type.strip().lower().partition("/")
    params = {
        key.strip(): value.strip().strip('"')
        for key, _, value in (part.partition("=") for part in rest.split(";") if "=" in part)
    }
    content = str(attachment["content"])
    filename = str(attachment["filename"])
    if maintype == "text":
        message.add_attachment(
            content, subtype=subtype or "plain", filename=filename, params=params, charset="utf-8"
        )
    else:
        message.add_attachment(
            content.encode(),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=filename,
            params=params,
        )


def valid_address(address: str) -> bool:
    """One plain address (``local@domain``), as an SMTP envelope needs it."""
    pairs = getaddresses([address])
    return (
        len(pairs) == 1
        and pairs[0][1] == address.strip()
        and address.count("@") == 1
        and all(address.split("@"))
    )


def permanent_refusal(exc: BaseException) -> str | None:
    """Why retrying cannot help, or None: the server refused the recipient with a 5xx (the
    mailbox does not exist, the address is invalid). Every other failure — 4xx, a lost
    connection, a refused sender (a setting the operator can fix) — is tried again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return "recipient refused permanently: " + "; ".join(
                f"{code} {_text(reply)}" for code, reply in exc.recipients.values()
            )
    return None


def describe_error(exc: BaseException) -> str:
    """A failure as one line for ``last_error`` (no credentials: smtplib never echoes them)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "recipient refused: " + "; ".join(
            f"{code} {_text(reply)}" for code, reply in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"[:1000]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
