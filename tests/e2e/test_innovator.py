"""The innovator's and agency admin's screens: my proposals, the editor with live word counts and
autosave, evidence uploads, the readiness panel, submit and withdraw, a stale-version conflict."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

INNOVATOR = "inovator.dlh@demo.kipp.id"
AGENCY_ADMIN = "admin.dlh@demo.kipp.id"
PDF = b"%PDF-1.4\n% SK Bupati tentang Bank Sampah Digital\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# The default template's sections for the group `umum`, with text well within each limit.
UMUM_SECTIONS = {
    "Ide Inovatif": "Timbangan digital dan aplikasi tabungan sampah di setiap kelurahan.",
    "Signifikansi": "Sampah yang dibuang ke TPA turun sepertiganya dalam dua tahun.",
    "Kontribusi terhadap TPB (SDGs)": "Mendukung TPB 11 dan TPB 12.",
    "Adaptabilitas": "Sudah ditiru dua kecamatan tetangga tanpa biaya besar.",
    "Keberlanjutan": "Diatur peraturan bupati dan dianggarkan setiap tahun.",
    "Kolaborasi Pemangku Kepentingan": "Bank daerah, koperasi dan karang taruna.",
}


def open_competition(server: Server) -> dict[str, object]:
    """The demo's current-year competition: its submission stage is current and open."""
    competitions = server.api("/api/v1/competitions")["items"]  # type: ignore[index]
    return next(c for c in competitions if c["current_stage"] == "submission")


def api_token(page: Page, server: Server, email: str) -> str:
    answer = page.request.post(
        f"{server.url}/api/v1/auth/token", form={"username": email, "password": DEMO_PASSWORD}
    )
    assert answer.ok, answer.text()
    return str(answer.json()["access_token"])


def create_draft(page: Page, server: Server, email: str, title: str) -> int:
    """A draft made through the API (for the tests that start in the editor)."""
    competition = open_competition(server)
    token = api_token(page, server, email)
    answer = page.request.post(
        f"{server.url}/api/v1/competitions/{competition['id']}/innovations",
        headers={"Authorization": f"Bearer {token}"},
        data={"title": title, "group": "umum", "sections": {"ringkasan": "Ringkasan awal."}},
    )
    assert answer.status == 201, answer.text()
    return int(answer.json()["id"])


def autosaved(page: Page) -> Locator:
    return page.locator(".savebar").get_by_role("status")


def start_proposal(page: Page, server: Server, title: str) -> None:
    """From "my proposals": start a new draft in the open competition and land in its editor."""
    competition = open_competition(server)
    section = page.get_by_role("region", name=str(competition["name"]))
    expect(section).to_contain_text("Batas pengajuan:")
    expect(section).to_contain_text("WITA")
    section.get_by_role("link", name="Proposal baru").click()
    expect(page.get_by_role("heading", name="Proposal baru", level=1)).to_be_visible()
    expect(page.get_by_label(re.compile("^Umum"))).to_be_checked()
    assert_accessible(page)
    screenshot(page, "innovator-new")
    page.get_by_label("Judul inovasi").fill(title)
    page.get_by_label(re.compile("^Umum")).check()
    page.get_by_label(re.compile("^Kategori tematik")).fill("Lingkungan hidup")
    page.get_by_role("button", name="Buat draf").click()
    expect(page).to_have_url(re.compile(r"/innovator/proposals/\d+$"))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_an_innovator_drafts_uploads_checks_and_submits(page: Page, server: Server) -> None:
    title = f"Bank Sampah Digital {uuid.uuid4().hex[:6]}"
    login(page, INNOVATOR)
    expect(page).to_have_url(re.compile(r"/innovator$"))
    expect(page.get_by_role("heading", name="Proposal saya", level=1)).to_be_visible()
    # The demo's earlier competition holds this agency's proposals that passed the check.
    expect(page.get_by_role("link", name="Gersipah")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "innovator-list")

    start_proposal(page, server, title)

    # Typing shows the live count against the section's limit, then autosaves.
    summary = page.get_by_label("Ringkasan", exact=True)
    summary.fill("Warga menabung sampah terpilah dan menerima saldo e-wallet setiap bulan.")
    expect(page.get_by_text("10 dari 200 kata")).to_be_visible()
    expect(autosaved(page)).to_have_text("Tersimpan", timeout=15_000)

    # A reload reads the text back from the server.
    page.reload()
    expect(page.get_by_label("Ringkasan", exact=True)).to_have_value(
        "Warga menabung sampah terpilah dan menerima saldo e-wallet setiap bulan."
    )

    # Evidence: a small PDF, with its upload progress, then in the list.
    page.get_by_label("Pilih berkas untuk diunggah").set_input_files(
        files=[{"name": "sk-bupati.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    attachments = page.get_by_role("region", name="Lampiran bukti")
    expect(attachments.get_by_text("sk-bupati.pdf", exact=True)).to_be_visible()
    expect(attachments.get_by_role("button", name="Unduh sk-bupati.pdf")).to_be_visible()

    # The readiness panel says what the administrative check would find.
    readiness = page.get_by_role("region", name="Kesiapan proposal")
    expect(readiness).to_contain_text("Perlu dilengkapi: 7")
    expect(readiness.get_by_role("listitem").filter(has_text="Ide Inovatif")).to_contain_text(
        "belum diisi"
    )
    expect(readiness).to_contain_text("kapan inovasi mulai diterapkan")
    assert_accessible(page)
    screenshot(page, "innovator-editor")
    readiness.get_by_role("link", name="Ide Inovatif").click()
    expect(page.get_by_label("Ide Inovatif", exact=True)).to_be_focused()
    readiness.scroll_into_view_if_needed()
    screenshot(page, "innovator-readiness")

    # Fill what is missing; the panel follows each save.
    for label, text in UMUM_SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Mulai diterapkan").fill("2019-02-01")
    expect(autosaved(page)).to_have_text("Tersimpan", timeout=15_000)
    expect(readiness).to_contain_text("Siap diajukan", timeout=15_000)
    assert_accessible(page)
    screenshot(page, "innovator-ready")

    page.get_by_role("button", name="Ajukan proposal").click()
    dialog = page.get_by_role("dialog", name="Ajukan proposal ini?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Batal")).to_be_focused()
    dialog.get_by_role("button", name="Ya, ajukan").click()
    expect(page.get_by_text("Proposal sudah diajukan.")).to_be_visible()
    expect(page.locator(".head").get_by_text("Diajukan", exact=True)).to_be_visible()
    # Submitted: read-only, the timeline waits for the administrative check.
    expect(page.get_by_label("Ringkasan", exact=True)).to_have_count(0)
    timeline = page.get_by_role("region", name="Perjalanan proposal")
    expect(timeline.locator("[aria-current=step]")).to_contain_text("Seleksi administrasi")
    assert_accessible(page)
    screenshot(page, "innovator-submitted")

    page.get_by_role("link", name="Kembali ke daftar proposal").click()
    row = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=title))
    expect(row).to_contain_text("Diajukan")


def test_limits_rejected_files_and_withdrawing_on_a_phone(phone: Page, server: Server) -> None:
    title = f"Sampah Jadi Berkah {uuid.uuid4().hex[:6]}"
    login(phone, INNOVATOR)
    start_proposal(phone, server, title)

    # Over the limit: the counter says so at once and the readiness check agrees after the save.
    tpb = phone.get_by_label("Kontribusi terhadap TPB (SDGs)", exact=True)
    tpb.fill(" ".join(["kata"] * 205))
    counter = phone.get_by_text("205 dari 200 kata — Melebihi batas 5 kata")
    expect(counter).to_be_visible()
    expect(tpb).to_have_attribute("aria-invalid", "true")
    expect(autosaved(phone)).to_have_text("Tersimpan", timeout=15_000)
    readiness = phone.get_by_role("region", name="Kesiapan proposal")
    expect(readiness).to_contain_text("205 kata, melebihi batas 200 kata")

    # Dates: the panel words the server's codes, with the dates in the UI language.
    started = phone.get_by_label("Mulai diterapkan")
    started.fill((date.today() + timedelta(days=30)).isoformat())
    expect(readiness).to_contain_text("masih di masa depan", timeout=15_000)
    started.fill((date.today() - timedelta(days=100)).isoformat())
    expect(readiness).to_contain_text(
        re.compile(
            r"inovasi kelompok Umum harus sudah berjalan minimal 2 tahun; dimulai \d+ \w+ \d{4}"
        ),
        timeout=15_000,
    )
    expect(readiness).to_contain_text("syarat terpenuhi pada")
    screenshot(phone, "innovator-readiness-dates")

    # Not a PDF, PNG or JPEG: the server refuses (415) and the page says what to upload instead.
    phone.get_by_label("Pilih berkas untuk diunggah").set_input_files(
        files=[
            {
                "name": "catatan.pdf",
                "mimeType": "application/pdf",
                "buffer": b"just text, not a PDF",
            }
        ]
    )
    failed = phone.get_by_role("alert").filter(has_text="Gagal mengunggah catatan.pdf")
    expect(failed).to_contain_text("Unggah PDF, PNG atau JPEG")
    assert_accessible(phone)
    screenshot(phone, "innovator-upload-refused")
    failed.get_by_role("button", name="Tutup pesan").click()
    expect(failed).to_have_count(0)

    phone.get_by_role("button", name="Tarik proposal").click()
    dialog = phone.get_by_role("dialog", name="Tarik proposal ini?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ya, tarik").click()
    expect(phone.get_by_text("Proposal sudah ditarik.")).to_be_visible()
    expect(phone.get_by_role("region", name="Perjalanan proposal")).to_contain_text(
        "Proposal ditarik"
    )
    expect(phone.get_by_role("button", name="Tarik proposal")).to_have_count(0)
    screenshot(phone, "innovator-withdrawn")

    # Every text of these screens is in English too.
    phone.get_by_role("button", name=re.compile("^EN")).click()
    expect(phone.get_by_role("region", name="Progress")).to_contain_text(
        "The proposal was withdrawn"
    )
    expect(phone.locator(".head .badge")).to_have_text("Withdrawn")
    expect(phone.get_by_role("heading", name="Evidence attachments")).to_be_visible()
    phone.get_by_role("link", name="Back to the proposals").click()
    expect(phone.get_by_role("heading", name="My proposals", level=1)).to_be_visible()
    expect(phone.get_by_text("Submission deadline:")).to_be_visible()
    assert_accessible(phone)
    screenshot(phone, "innovator-list-en")


def test_the_agency_admin_sees_the_agency_and_resolves_a_stale_version(
    desktop: Page, server: Server
) -> None:
    title = f"Taman Kota Pintar {uuid.uuid4().hex[:6]}"
    iid = create_draft(desktop, server, INNOVATOR, title)

    login(desktop, AGENCY_ADMIN)
    expect(desktop.get_by_role("heading", name="Proposal saya", level=1)).to_be_visible()
    expect(desktop.get_by_text("Semua proposal inovasi perangkat daerah Anda.")).to_be_visible()
    desktop.get_by_role("link", name=title).click()
    expect(desktop.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(desktop.get_by_label("Ringkasan", exact=True)).to_have_value("Ringkasan awal.")

    # The innovator saves a change first, from elsewhere.
    token = api_token(desktop, server, INNOVATOR)
    changed = desktop.request.patch(
        f"{server.url}/api/v1/innovations/{iid}",
        headers={"Authorization": f"Bearer {token}"},
        data={"version": 1, "sections": {"signifikansi": "Ditulis oleh inovator."}},
    )
    assert changed.ok, changed.text()

    desktop.get_by_label("Ringkasan", exact=True).fill("Ringkasan dari admin OPD.")
    conflict = desktop.get_by_role("alert").filter(has_text="Proposal ini diubah orang lain")
    expect(conflict).to_be_visible(timeout=15_000)
    assert_accessible(desktop)
    screenshot(desktop, "innovator-stale-version")
    conflict.get_by_role("button", name="Muat ulang dan terapkan perubahan saya").click()
    expect(conflict).to_have_count(0)
    expect(autosaved(desktop)).to_have_text("Tersimpan", timeout=15_000)
    # Both changes are kept: theirs in one section, mine in the other.
    expect(desktop.get_by_label("Signifikansi", exact=True)).to_have_value("Ditulis oleh inovator.")
    expect(desktop.get_by_label("Ringkasan", exact=True)).to_have_value("Ringkasan dari admin OPD.")
    saved = desktop.request.get(
        f"{server.url}/api/v1/innovations/{iid}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert saved["sections"]["ringkasan"] == "Ringkasan dari admin OPD."
    assert saved["sections"]["signifikansi"] == "Ditulis oleh inovator."


def test_the_agency_admin_manages_the_innovators_of_the_agency(page: Page, server: Server) -> None:
    email = f"e2e-opd-{uuid.uuid4().hex[:8]}@demo.kipp.id"
    login(page, AGENCY_ADMIN)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Inovator OPD"
    ).click()
    expect(page).to_have_url(re.compile(r"/innovator/users$"))
    expect(page.get_by_role("heading", name="Inovator perangkat daerah", level=1)).to_be_visible()
    expect(page.get_by_text("Akun inovator DLH — ")).to_be_visible()
    accounts = page.locator(".accounts tbody tr")
    expect(accounts.filter(has_text=INNOVATOR)).to_have_count(1)
    # Only the agency's innovators: no judges, no admins, no other agency.
    for text in accounts.all_inner_texts():
        assert "juri" not in text and "admin" not in text
    # No role or agency to pick: the server would refuse any other.
    expect(page.get_by_role("combobox")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "agency-users")

    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Nama lengkap").fill("Inovator Baru DLH")
    # An invitation is the default (no password field); this test sets the password itself.
    invite = page.get_by_role("checkbox", name=re.compile("^Kirim undangan lewat e-mail"))
    expect(invite).to_be_checked()
    expect(page.get_by_label("Kata sandi", exact=True)).to_have_count(0)
    invite.uncheck()
    page.get_by_label("Kata sandi", exact=True).fill("rahasia-e2e-123")
    page.get_by_role("button", name="Tambah inovator").click()
    expect(page.get_by_role("status")).to_contain_text("Akun Inovator Baru DLH ditambahkan.")
    row = accounts.filter(has_text=email)
    expect(row).to_contain_text("Aktif")

    row.get_by_role("button", name="Ubah Inovator Baru DLH").click()
    expect(page.get_by_label("E-mail", exact=True)).to_be_focused()
    page.get_by_label("Nama lengkap").fill("Inovator Baru DLH Dua")
    page.get_by_role("button", name="Simpan").click()
    expect(row).to_contain_text("Inovator Baru DLH Dua")
    signed_in = page.request.post(
        f"{server.url}/api/v1/auth/token",
        form={"username": email, "password": "rahasia-e2e-123"},
    )
    assert signed_in.ok

    row.get_by_role("button", name="Nonaktifkan Inovator Baru DLH Dua").click()
    dialog = page.get_by_role("dialog", name="Nonaktifkan akun inovator?")
    expect(dialog).to_contain_text(email)
    assert_accessible(page)
    dialog.get_by_role("button", name="Nonaktifkan").click()
    expect(row.get_by_text("Nonaktif", exact=True).filter(visible=True)).to_be_visible()
    refused = page.request.post(
        f"{server.url}/api/v1/auth/token",
        form={"username": email, "password": "rahasia-e2e-123"},
    )
    assert refused.status in (401, 403)
    screenshot(page, "agency-users-deactivated")


def test_an_innovator_has_no_users_screen(phone: Page) -> None:
    login(phone, INNOVATOR)
    expect(
        phone.get_by_role("navigation", name="Navigasi utama").get_by_role(
            "link", name="Inovator OPD"
        )
    ).to_have_count(0)
    phone.goto("/innovator/users")
    expect(phone).to_have_url(re.compile(r"/innovator$"))


def test_the_agency_admin_picks_the_team_and_adds_links(page: Page, server: Server) -> None:
    title = f"Lapor Sampah {uuid.uuid4().hex[:6]}"
    login(page, AGENCY_ADMIN)
    competition = open_competition(server)
    page.get_by_role("region", name=str(competition["name"])).get_by_role(
        "link", name="Proposal baru"
    ).click()
    # The team: the innovators of the agency admin's own agency (the server scopes the list).
    team = page.get_by_role("group", name=re.compile("^Tim inovator"))
    expect(team.get_by_role("checkbox").first).to_be_visible()
    member = str(team.locator("li label").first.evaluate("l => l.firstChild.textContent.trim()"))
    expect(team).to_contain_text(INNOVATOR)
    team.get_by_role("checkbox").first.check()
    assert_accessible(page)
    screenshot(page, "innovator-new-team")
    page.get_by_label("Judul inovasi").fill(title)
    page.get_by_role("button", name="Buat draf").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.locator(".head .meta")).to_contain_text(member)

    # Links: a malformed one is held back and explained; a good one autosaves.
    links = page.get_by_role("group", name=re.compile("^Tautan lain"))
    links.get_by_role("button", name="Tambah tautan").click()
    first = links.get_by_role("textbox", name="Tautan 1")
    expect(first).to_be_focused()
    first.fill("www.luwuutarakab.go.id/berita")
    expect(links.get_by_text("Tautan harus diawali http://")).to_be_visible()
    first.fill("https://luwuutarakab.go.id/berita/lapor-sampah")
    links.get_by_role("button", name="Tambah tautan").click()
    links.get_by_role("textbox", name="Tautan 2").fill("https://youtu.be/lapor-sampah")
    expect(links.get_by_text("Tautan harus diawali http://")).to_have_count(0)
    expect(autosaved(page)).to_have_text("Tersimpan", timeout=15_000)
    links.scroll_into_view_if_needed()
    assert_accessible(page)
    screenshot(page, "innovator-links")

    links.get_by_role("button", name="Hapus tautan 1").click()
    expect(links.get_by_role("textbox", name="Tautan 1")).to_have_value(
        "https://youtu.be/lapor-sampah"
    )
    iid = int(page.url.rstrip("/").split("/")[-1])
    token = api_token(page, server, AGENCY_ADMIN)
    deadline = time.monotonic() + 15
    while True:
        saved = page.request.get(
            f"{server.url}/api/v1/innovations/{iid}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        if saved["links"] == ["https://youtu.be/lapor-sampah"] or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert saved["links"] == ["https://youtu.be/lapor-sampah"], saved["links"]
    assert {m["full_name"] for m in saved["team"]} >= {member}

    # The team changes in the editor too: a new innovator of the agency joins, autosaved under
    # the proposal's version (the agency admin who started it is no innovator and leaves).
    newcomer = f"Inovator Tim {uuid.uuid4().hex[:6]}"
    created = page.request.post(
        f"{server.url}/api/v1/users",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "email": f"e2e-tim-{uuid.uuid4().hex[:8]}@demo.kipp.id",
            "full_name": newcomer,
            "role": "innovator",
            "agency_id": saved["agency_id"],
            "password": "rahasia-e2e-123",
        },
    )
    assert created.status == 201, created.text()
    page.reload()
    team = page.get_by_role("group", name=re.compile("^Tim inovator"))
    expect(team.get_by_role("checkbox", name=re.compile(f"^{re.escape(member)} "))).to_be_checked()
    expect(team).to_contain_text("bukan akun inovator aktif")
    version = saved["version"]
    team.get_by_role("checkbox", name=re.compile(f"^{re.escape(newcomer)} ")).check()
    expect(autosaved(page)).to_have_text("Tersimpan", timeout=15_000)
    expect(page.locator(".head .meta")).to_contain_text(newcomer)
    expect(team).not_to_contain_text("bukan akun inovator aktif")
    team.scroll_into_view_if_needed()
    assert_accessible(page)
    screenshot(page, "innovator-editor-team")
    saved = page.request.get(
        f"{server.url}/api/v1/innovations/{iid}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert {m["full_name"] for m in saved["team"]} == {member, newcomer}
    assert saved["version"] == version + 1
