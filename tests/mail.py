"""A real SMTP server on loopback for tests (aiosmtpd): start it, read what it received,
make it answer a temporary or permanent refusal, or slow it down.

    with mail_server() as server:            # or the ``mail_server`` fixture (conftest)
        settings = settings.model_copy(update={"smtp_url": server.url})
        ...
        server.wait_for(1)
        [email] = server.messages            # email.message.EmailMessage, parsed
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class MailServer:
    """What the server received, and how it answers next."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    # Replies to use instead of accepting, one per message, first in first out
    # ("451 4.3.0 Try again later", "550 5.1.1 No such user"); RCPT refusals likewise.
    data_replies: list[str] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    # Seconds to wait after the message arrived before answering (a crash lands in between):
    # the message is recorded as received before the wait.
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def wait_for(self, count: int, *, timeout: float = 30) -> list[EmailMessage]:
        """Wait until ``count`` messages arrived; the messages."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} of {count} e-mails arrived")
            time.sleep(0.02)
        return list(self.messages)

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]

    # aiosmtpd handler hooks ------------------------------------------------------------
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self.lock:
            refusal = self.rcpt_replies.pop(0) if self.rcpt_replies else None
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            refusal = self.data_replies.pop(0) if self.data_replies else None
        if refusal is not None:
            return refusal
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
            self.recipients.append(list(envelope.rcpt_tos))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def mail_server(*, delay: float = 0.0) -> Iterator[MailServer]:
    """A started SMTP server on loopback, stopped on the way out."""
    handler = MailServer(port=_free_port(), delay=delay)
    controller = Controller(handler, hostname=HOST, port=handler.port)
    controller.start()  # type: ignore[no-untyped-call]
    try:
        yield handler
    finally:
        controller.stop()  # type: ignore[no-untyped-call]
