"""The bell and the inbox in the browser: the unread count in the header, marking one and all
read; the admin's Outbox page; the language switch saved as the user's locale."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import User
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter
from tests.e2e.conftest import Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

EMAIL = "inovator.dlh@demo.kipp.id"


def _tell(server: Server, email: str, count: int, tag: str) -> None:
    """Write notifications straight into the server's database, as an event would."""
    engine = create_engine(f"sqlite:///{server.var_dir / 'kipp.sqlite3'}")
    try:
        with Session(engine) as session:
            user = session.scalars(select(User).where(User.email == email)).one()
            for n in range(count):
                notify_service.send(
                    session,
                    letter=Letter(
                        kind="administrative_decision",
                        subject=Msg(
                            id=f"Keputusan administrasi {tag} {n + 1}",
                            en=f"Decision {tag} {n + 1}",
                        ),
                        body=Msg(id="Proposal Anda lolos.", en="Your proposal passed."),
                        link="/innovator",
                    ),
                    recipients=[notify_service.recipient_of(user)],
                )
            session.commit()
    finally:
        engine.dispose()


def test_the_bell_counts_and_the_inbox_marks_read(phone: Page, server: Server) -> None:
    # Earlier tests on the shared server may have told this innovator things (a proposal
    # received, a decision): start from an inbox with nothing unread, and count only ours.
    server.api("/api/v1/me/notifications/read-all", method="POST", token=server.token(EMAIL))
    tag = uuid.uuid4().hex[:6]
    _tell(server, EMAIL, 2, tag)
    login(phone, EMAIL)
    bell = phone.get_by_role("link", name=re.compile(r"^Notifikasi: \d+ belum dibaca$"))
    expect(bell).to_have_accessible_name("Notifikasi: 2 belum dibaca")
    bell.click()
    expect(phone).to_have_url(re.compile(r"/inbox$"))
    expect(phone.get_by_role("heading", name="Notifikasi", level=1)).to_be_visible()
    expect(
        phone.get_by_role("heading", name=re.compile(f"Keputusan administrasi {tag}"))
    ).to_have_count(2)
    assert_accessible(phone)
    screenshot(phone, "inbox")

    ours = phone.get_by_role("listitem").filter(has_text=f"Keputusan administrasi {tag}")
    ours.first.get_by_role("button", name="Tandai sudah dibaca").click()
    expect(bell).to_have_accessible_name("Notifikasi: 1 belum dibaca")
    phone.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(bell).to_have_accessible_name("Notifikasi: 0 belum dibaca")
    expect(phone.get_by_role("button", name="Tandai sudah dibaca")).to_have_count(0)


def test_the_language_switch_is_saved_for_my_messages(page: Page, server: Server) -> None:
    # Whatever an earlier test left, this judge's saved language starts as Indonesian.
    token = server.token("juri2@demo.kipp.id")
    server.api("/api/v1/me", method="PATCH", body={"locale": "id"}, token=token)
    login(page, "juri2@demo.kipp.id")
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/me") and r.request.method == "PATCH"
    ) as saved:
        page.get_by_role("button", name=re.compile("^EN ")).click()
    assert saved.value.ok and saved.value.json()["locale"] == "en"
    # Leave the demo as it was: wait until the server has it (a closing page would drop it).
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/me") and r.request.method == "PATCH"
    ) as restored:
        page.get_by_role("button", name=re.compile("^ID ")).click()
    assert restored.value.ok and restored.value.json()["locale"] == "id"


def test_the_admin_sees_the_outbox(page: Page) -> None:
    login(page, "admin@demo.kipp.id")
    page.goto("/admin/outbox")
    expect(page.get_by_role("heading", name="Outbox e-mail", level=1)).to_be_visible()
    expect(page.get_by_label("Status")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-outbox")
