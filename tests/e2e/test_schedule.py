"""The presentation schedule in the browser: the admin builds and publishes it; the public reads
it on the competition page and downloads its .ics, which a calendar can read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    assert_accessible,
    assert_no_horizontal_overflow,
    login,
    running_server,
)

pytestmark = pytest.mark.e2e

DEMO_2021 = "KIPP Kabupaten Luwu Utara 2021"
SHOTS = Path("/tmp/shots-schedule")
WIDTHS = {"phone": 360, "desktop": 1366}


@pytest.fixture(scope="module")
def own_server() -> Iterator[Server]:
    """A server of its own: the test replaces the demo's published schedule."""
    with running_server("schedule-server") as server:
        yield server


def _competition_id(server: Server) -> int:
    items = server.api("/api/v1/competitions")["items"]
    return int(next(c["id"] for c in items if c["name"] == DEMO_2021))


def _page(browser: Browser, server: Server, size: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": WIDTHS[size], "height": 800},
        locale="id-ID",
        timezone_id="Asia/Makassar",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"Uncaught errors in the page: {errors}"


def shot(page: Page, name: str, size: str) -> None:
    assert_no_horizontal_overflow(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_admin_builds_the_schedule_and_the_public_downloads_its_ics(
    browser: Browser, own_server: Server, size: str
) -> None:
    cid = _competition_id(own_server)
    eligible = own_server.api(f"/api/v1/competitions/{cid}/innovations?public=true&limit=500")[
        "total"
    ]

    # --- the admin: an automatic fill over two days, one slot moved, saved and published
    for page in _page(browser, own_server, size):
        login(page, "admin@demo.kipp.id")
        page.goto(f"/admin/competitions/{cid}/schedule")
        expect(page.get_by_role("heading", name="Jadwal presentasi", level=1)).to_be_visible()
        page.get_by_label("Hari ke-1").fill("2021-11-22")
        page.get_by_role("button", name="Tambah hari").click()
        page.get_by_label("Hari ke-2").fill("2021-11-23")
        page.get_by_label("Jam mulai").fill("08:00")
        page.get_by_label("Jam selesai").fill("13:00")
        page.get_by_label("Durasi per presentasi (menit)").fill("25")
        page.get_by_label("Urutan").select_option("agency")
        page.get_by_label("Tempat (semua slot)").fill("Ruang Rapat Bappelitbangda")
        page.get_by_role("button", name="Buat usulan jadwal").click()
        expect(page.locator(".alert-success")).to_contain_text(
            f"Usulan berisi {eligible} presentasi"
        )
        slots = page.locator("li.slot")
        first_title = slots.nth(0).locator(".what").inner_text()
        second_title = slots.nth(1).locator(".what").inner_text()
        slots.nth(0).get_by_role("button", name="Turunkan: 1").click()
        expect(slots.nth(0).locator(".what")).to_have_text(second_title)
        expect(slots.nth(1).locator(".what")).to_have_text(first_title)
        shot(page, "admin-schedule-proposal", size)
        page.get_by_label("Terbitkan jadwal").check()
        page.get_by_role("button", name="Simpan jadwal").click()
        expect(page.locator(".alert-success")).to_contain_text("Jadwal disimpan dan diterbitkan.")
        expect(page.locator(".editor").get_by_text("Diterbitkan", exact=True)).to_be_visible()
        assert_accessible(page)
        shot(page, "admin-schedule-saved", size)

    # --- the public: the day's order on the competition page, and the calendar file
    for page in _page(browser, own_server, size):
        page.goto(f"/competitions/{cid}")
        section = page.get_by_role("region", name="Jadwal presentasi")
        expect(section).to_be_visible()
        expect(section.locator("li.slot:not(.pause)")).to_have_count(eligible)
        expect(section.locator("li.slot").first).to_contain_text(second_title)
        expect(section.locator("li.slot").first).to_contain_text("08.00–08.25")
        assert_accessible(page)
        shot(page, "public-schedule", size)
        with page.expect_download() as caught:
            section.get_by_role("link", name="Unduh kalender (.ics)").click()
        download = caught.value
        calendar = Calendar.from_ical(Path(download.path()).read_text(encoding="utf-8"))
        events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
        assert len(events) == eligible
        assert str(events[0]["SUMMARY"]).startswith(second_title)
        start = events[0].decoded("DTSTART")
        assert start.isoformat() == "2021-11-22T08:00:00+08:00"
        assert str(events[0]["LOCATION"]) == "Ruang Rapat Bappelitbangda"
        assert all("URL" not in e for e in events)
        assert len({str(e["UID"]) for e in events}) == eligible


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_team_sees_its_slot_and_the_judge_the_days_order(
    browser: Browser, own_server: Server, size: str
) -> None:
    cid = _competition_id(own_server)
    schedule = own_server.api(f"/api/v1/competitions/{cid}/schedule")
    mine = next(s for s in schedule["items"] if s["agency_code"] == "DINKES")

    for page in _page(browser, own_server, size):
        login(page, "inovator.dinkes@demo.kipp.id")
        page.goto(f"/innovator/proposals/{mine['innovation_id']}")
        card = page.get_by_role("region", name="Jadwal presentasi Anda")
        expect(card).to_be_visible()
        day = int(mine["starts_at"][8:10])
        expect(card).to_contain_text(f"{day} Nov 2021")
        expect(card).to_contain_text(mine["starts_at"][11:16].replace(":", "."))
        expect(card).to_contain_text("WITA")
        expect(card.get_by_role("link", name="Tambahkan ke kalender (.ics)")).to_have_attribute(
            "href", f"/api/v1/competitions/{cid}/schedule/slots/{mine['id']}.ics"
        )
        shot(page, "innovator-slot", size)

    for page in _page(browser, own_server, size):
        login(page, "juri1@demo.kipp.id")
        page.goto("/judge")
        items = page.locator("ul.items > li")
        expect(items.first.locator(".slot-time")).to_contain_text("Nov 2021")
        times = items.locator(".slot-time").all_inner_texts()
        assert len(times) >= 2
        shot(page, "judge-list", size)
