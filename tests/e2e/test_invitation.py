"""Issue 9 end to end: an innovator is invited by e-mail, sets a password from the link, submits a
proposal and reads the administrative decision in the bell and the inbox; and the password reset
(forgot-password → e-mail → set-password → the new password works, the old one does not).

The server of this module delivers its e-mail to an aiosmtpd server on loopback through the
delivery worker running in the server process, so the links are taken from real messages.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    assert_accessible,
    browser_page,
    login,
    running_server,
    screenshot,
)
from tests.e2e.test_innovator import UMUM_SECTIONS, open_competition
from tests.mail import MailServer, mail_server

pytestmark = pytest.mark.e2e

ADMIN = "admin@demo.kipp.id"
AGENCY_ADMIN = "admin.dlh@demo.kipp.id"
SHOTS = Path("/tmp/shots-invite")
MAIL_TIMEOUT_S = 90.0  # the worker polls every half second, but the machine is shared
REASON = "Surat persetujuan kepala dinas belum dilampirkan."
LINK = re.compile(r"(http://127\.0\.0\.1:\d+)(/set-password#token=[A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def mail() -> Iterator[MailServer]:
    with mail_server() as started:
        yield started


@pytest.fixture(scope="module")
def server(mail: MailServer) -> Iterator[Server]:
    """A server of its own: it delivers e-mail, and the story moves a competition on."""
    settings = {
        "KIPP_SMTP_URL": mail.url,
        "KIPP_RUN_WORKER": "true",
        "KIPP_WORKER_POLL_SECONDS": "0.5",
    }
    with running_server("invitation-server", settings=settings) as started:
        yield started


def shot(page: Page, name: str) -> None:
    """A screenshot (with its layout check) kept in tests/e2e/artifacts and /tmp/shots-invite."""
    path = screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, SHOTS / path.name)


def wait_for_mail(mail: MailServer, to: str, subject: str) -> EmailMessage:
    """The first message to ``to`` whose subject starts with ``subject`` (waits for it)."""
    deadline = time.monotonic() + MAIL_TIMEOUT_S
    while True:
        for message in list(mail.messages):
            if to in str(message["To"]) and str(message["Subject"]).startswith(subject):
                return message
        if time.monotonic() > deadline:
            seen = [(str(m["To"]), str(m["Subject"])) for m in mail.messages]
            raise AssertionError(f"No e-mail to {to} about {subject!r}; received: {seen}")
        time.sleep(0.1)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, message
    return str(body.get_content())


def link_in(message: EmailMessage, server: Server) -> str:
    """The set-password path of the message's link (which points at this server)."""
    found = LINK.search(text_of(message))
    assert found, text_of(message)
    assert found.group(1) == server.url
    return found.group(2)


def set_password(page: Page, path: str, password: str, *, shots: bool) -> None:
    """Open the e-mail's link, choose ``password`` and land on the login page."""
    page.goto(path)
    expect(page.get_by_role("heading", name="Atur kata sandi", level=1)).to_be_visible()
    page.get_by_label("Kata sandi baru", exact=True).fill(password)
    page.get_by_label("Ulangi kata sandi", exact=True).fill(password + "x")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("alert")).to_have_text("Kedua kata sandi tidak sama.")
    page.get_by_label("Ulangi kata sandi", exact=True).fill(password)
    if shots:
        assert_accessible(page)
        shot(page, "invite-set-password")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page).to_have_url(re.compile(r"/login\?password=set$"), timeout=20_000)
    expect(
        page.get_by_role("status").filter(has_text="Kata sandi Anda sudah diatur.")
    ).to_be_visible()


def draft_and_submit(page: Page, server: Server, title: str) -> int:
    """From "my proposals": a new proposal of the group Umum, filled until ready, submitted."""
    competition = open_competition(server)
    page.get_by_role("region", name=str(competition["name"])).get_by_role(
        "link", name="Proposal baru"
    ).click()
    page.get_by_label("Judul inovasi").fill(title)
    page.get_by_label(re.compile("^Umum")).check()
    page.get_by_label(re.compile("^Kategori tematik")).fill("Lingkungan hidup")
    page.get_by_role("button", name="Buat draf").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    page.get_by_label("Ringkasan", exact=True).fill("Warga menabung sampah terpilah.")
    for label, text in UMUM_SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Mulai diterapkan").fill("2019-02-01")
    expect(page.locator(".savebar").get_by_role("status")).to_have_text("Tersimpan", timeout=20_000)
    readiness = page.get_by_role("region", name="Kesiapan proposal")
    expect(readiness).to_contain_text("Siap diajukan", timeout=20_000)
    page.get_by_role("button", name="Ajukan proposal").click()
    page.get_by_role("dialog", name="Ajukan proposal ini?").get_by_role(
        "button", name="Ya, ajukan"
    ).click()
    expect(page.get_by_text("Proposal sudah diajukan.")).to_be_visible(timeout=20_000)
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def decide_ineligible(server: Server, innovation_id: int) -> None:
    """The organising team opens the administrative stage and fails the proposal, with reasons
    (through the API: the review screen has its own tests)."""
    token = server.token(ADMIN)
    competition = open_competition(server)
    server.api(f"/api/v1/competitions/{competition['id']}/advance", method="POST", token=token)
    checklist = server.api(f"/api/v1/competitions/{competition['id']}", token=token)[
        "admin_checklist"
    ]
    # Everything holds but the agency head's endorsement, which the reason is about.
    checks = {str(item["key"]): "kepala" not in str(item["label"]).lower() for item in checklist}
    assert not all(checks.values()), checklist
    server.api(
        f"/api/v1/innovations/{innovation_id}/administrative-review",
        method="POST",
        body={"passed": False, "checks": checks, "notes": REASON},
        token=token,
    )


def test_an_invited_innovator_submits_and_reads_the_decision(
    browser: Browser, server: Server, mail: MailServer
) -> None:
    email = f"e2e-undangan-{uuid.uuid4().hex[:8]}@demo.kipp.id"
    name = "Inovator Undangan DLH"
    password = "sandi-undangan-2021"
    title = f"Bank Sampah Undangan {uuid.uuid4().hex[:6]}"

    # The agency admin adds the innovator and lets KIPP send the invitation.
    with browser_page(browser, server, "desktop") as admin:
        login(admin, AGENCY_ADMIN)
        admin.goto("/innovator/users")
        expect(
            admin.get_by_role("heading", name="Inovator perangkat daerah", level=1)
        ).to_be_visible()
        admin.get_by_label("E-mail", exact=True).fill(email)
        admin.get_by_label("Nama lengkap").fill(name)
        expect(
            admin.get_by_role("checkbox", name=re.compile("^Kirim undangan lewat e-mail"))
        ).to_be_checked()
        expect(admin.get_by_label("Kata sandi", exact=True)).to_have_count(0)
        admin.get_by_role("button", name="Tambah inovator").click()
        expect(admin.get_by_role("status")).to_contain_text(f"Akun {name} ditambahkan.")

    invitation = wait_for_mail(mail, email, "Undangan ke KIPP")
    assert str(invitation["Subject"]) == "Undangan ke KIPP: atur kata sandi Anda"
    assert name in str(invitation["To"])
    body = text_of(invitation)
    assert body.startswith(f"Halo {name},")
    assert "Akun KIPP sudah dibuat untuk Anda." in body
    assert "hanya bisa dipakai sekali dan berlaku 7 hari" in body
    assert "Pesan ini dikirim otomatis oleh KIPP" in body
    path = link_in(invitation, server)

    # The innovator opens the link on their phone, in a browser that never signed in.
    with browser_page(browser, server, "phone") as phone:
        set_password(phone, path, password, shots=True)
        login(phone, email, password)
        expect(phone.get_by_role("heading", name="Proposal saya", level=1)).to_be_visible()
        iid = draft_and_submit(phone, server, title)

        receipt = wait_for_mail(mail, email, "Proposal diterima")
        assert str(receipt["Subject"]) == f"Proposal diterima: {title}"
        assert "sudah diajukan dan kami terima" in text_of(receipt)

        decide_ineligible(server, iid)
        decision = wait_for_mail(mail, email, "Tidak lolos seleksi administrasi")
        assert REASON in text_of(decision)

        # The bell counts the receipt and the decision (any route change asks the server).
        phone.get_by_role("link", name="Kembali ke daftar proposal").click()
        bell = phone.get_by_role("link", name=re.compile(r"^Notifikasi: \d+ belum dibaca$"))
        expect(bell).to_have_accessible_name("Notifikasi: 2 belum dibaca", timeout=20_000)
        expect(bell.locator(".count")).to_have_text("2")
        shot(phone, "invite-bell")
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.locator(".app-header").screenshot(path=str(SHOTS / "invite-bell-header-phone.png"))

        bell.click()
        expect(phone).to_have_url(re.compile(r"/inbox$"))
        expect(phone.get_by_role("heading", name="Notifikasi", level=1)).to_be_visible()
        item = phone.locator("li.card").filter(
            has=phone.get_by_role(
                "heading", name=f"Belum dibaca: Tidak lolos seleksi administrasi: {title}"
            )
        )
        expect(item).to_contain_text(REASON)
        expect(item).to_contain_text(
            "Butir yang tidak terpenuhi:\n- Disetujui kepala perangkat daerah"
        )
        expect(
            phone.get_by_role("heading", name=f"Belum dibaca: Proposal diterima: {title}")
        ).to_be_visible()
        assert_accessible(phone)
        shot(phone, "invite-inbox")

        # Opening the decision marks it read and leads to the proposal with the reason.
        item.get_by_role("link", name="Buka").click()
        expect(phone).to_have_url(re.compile(rf"/innovator/proposals/{iid}$"))
        expect(phone.locator(".alert").filter(has_text=REASON)).to_be_visible()
        expect(bell).to_have_accessible_name("Notifikasi: 1 belum dibaca", timeout=20_000)


def test_a_forgotten_password_is_reset_by_e_mail(
    browser: Browser, server: Server, mail: MailServer
) -> None:
    email = f"e2e-lupa-{uuid.uuid4().hex[:8]}@demo.kipp.id"
    old, new = "sandi-lama-2021", "sandi-baru-2022"
    agency_id = server.api("/api/v1/me", token=server.token(AGENCY_ADMIN))["agency_id"]
    server.api(
        "/api/v1/users",
        method="POST",
        body={
            "email": email,
            "full_name": "Inovator Lupa Sandi",
            "role": "innovator",
            "agency_id": agency_id,
            "password": old,
        },
        token=server.token(ADMIN),
    )

    with browser_page(browser, server, "phone") as phone:
        phone.goto("/login")
        phone.get_by_role("link", name="Lupa kata sandi?").click()
        expect(phone.get_by_role("heading", name="Lupa kata sandi", level=1)).to_be_visible()
        phone.get_by_label("E-mail").fill(email)
        phone.get_by_role("button", name="Kirim tautan").click()
        expect(phone.get_by_role("status")).to_contain_text("Jika e-mail itu terdaftar")
        assert_accessible(phone)
        shot(phone, "invite-forgot-sent")

    reset = wait_for_mail(mail, email, "Atur ulang kata sandi KIPP")
    body = text_of(reset)
    assert body.startswith("Halo Inovator Lupa Sandi,")
    assert "dalam 30 menit" in body and "abaikan pesan ini" in body
    path = link_in(reset, server)

    with browser_page(browser, server, "phone") as phone:
        set_password(phone, path, new, shots=False)
        # The old password no longer works; the new one does.
        phone.get_by_label("E-mail").fill(email)
        phone.get_by_label("Kata sandi", exact=True).fill(old)
        phone.get_by_role("button", name="Masuk", exact=True).click()
        expect(phone.get_by_role("alert")).to_be_visible()
        expect(phone).to_have_url(re.compile(r"/login"))
        login(phone, email, new)
        expect(phone.get_by_role("heading", name="Proposal saya", level=1)).to_be_visible()

    # The link was spent: opened again, it is refused with a way to ask for a new one.
    with browser_page(browser, server, "phone") as phone:
        phone.goto(path)
        phone.get_by_label("Kata sandi baru", exact=True).fill("sandi-ketiga-2023")
        phone.get_by_label("Ulangi kata sandi", exact=True).fill("sandi-ketiga-2023")
        phone.get_by_role("button", name="Simpan kata sandi").click()
        expect(phone.get_by_role("alert")).to_contain_text("Tautan ini tidak berlaku")
        expect(phone.get_by_role("link", name="Minta tautan baru")).to_be_visible()
