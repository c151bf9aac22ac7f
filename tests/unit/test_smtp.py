"""KIPP_SMTP_URL, the e-mail of an outbox row and what counts as a permanent refusal."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

import pytest

from kipp.notify import smtp


def test_starttls_with_credentials() -> None:
    config = smtp.parse_smtp_url("smtp://kipp%40luwu:p%3Ass@mail.example:587?starttls=true")
    assert (config.host, config.port, config.starttls, config.implicit_tls) == (
        "mail.example",
        587,
        True,
        False,
    )
    assert (config.username, config.password) == ("kipp@luwu", "p:ss")
    assert "p:ss" not in config.describe()


def test_default_ports_and_implicit_tls() -> None:
    assert smtp.parse_smtp_url("smtp://localhost").port == 25
    secure = smtp.parse_smtp_url("smtps://u:p@mail.example", timeout=5)
    assert (secure.port, secure.implicit_tls, secure.timeout) == (465, True, 5)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example", "smtp://"),
        ("smtp://", "no host"),
        ("smtp://mail.example:99999", "valid URL"),
        ("smtp://mail.example?tls=1", "unknown options"),
        ("smtps://mail.example?starttls=true", "TLS already"),
    ],
)
def test_bad_urls_are_explained(url: str, says: str) -> None:
    with pytest.raises(smtp.SmtpUrlError, match=says):
        smtp.parse_smtp_url(url)


def test_the_email_of_an_outbox_row() -> None:
    outgoing = smtp.Outgoing(
        message_id="<abc@luwuutarakab.go.id>",
        to_address="andi@example.org",
        to_name="Andi Ruslan",
        subject="Keputusan administrasi",
        body="Lolos.",
        attachments=[{"filename": "a.json", "content_type": "application/json", "content": "{}"}],
    )
    message = smtp.build_email(
        outgoing, mail_from="KIPP <kipp@example.org>", date=datetime(2026, 12, 6, tzinfo=UTC)
    )
    assert message["Message-ID"] == "<abc@luwuutarakab.go.id>"
    assert message["To"] == "Andi Ruslan <andi@example.org>"
    assert message["Date"] == "Sun, 06 Dec 2026 00:00:00 +0000"
    [attachment] = message.iter_attachments()
    assert attachment.get_content_type() == "application/json"
    assert smtp.envelope_sender("KIPP <kipp@example.org>") == "kipp@example.org"


def test_only_a_5xx_for_the_recipient_is_permanent() -> None:
    refused = smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")})
    assert "550 No such user" in (smtp.permanent_refusal(refused) or "")
    busy = smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Mailbox busy")})
    assert smtp.permanent_refusal(busy) is None
    assert smtp.permanent_refusal(smtplib.SMTPDataError(554, b"Rejected")) is None
    assert smtp.permanent_refusal(ConnectionRefusedError()) is None


@pytest.mark.parametrize(
    ("address", "valid"),
    [("a@example.org", True), ("not an address", False), ("a@b@c", False), ("@x", False)],
)
def test_valid_address(address: str, valid: bool) -> None:
    assert smtp.valid_address(address) is valid
