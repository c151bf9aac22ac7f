"""The public innovation catalogue in Chromium: search as you type, filter, open a page; at a
phone's width and on a desktop (screenshots at 360 px, 1280 px and 1366 px)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_accessible, screenshot, size_of

pytestmark = pytest.mark.e2e


def test_search_the_catalogue_and_read_an_innovation(page: Page, server: Server) -> None:
    assert server.api("/api/v1/public/catalogue")["total"] > 0  # the demo's 2021 round

    page.goto("/")
    page.get_by_role("link", name="Katalog inovasi").first.click()
    expect(page).to_have_url(re.compile(r"/katalog$"))
    expect(page.get_by_role("heading", name="Katalog inovasi", level=1)).to_be_visible()
    expect(page.locator("li.result").first).to_be_visible()
    screenshot(page, "catalogue")
    assert_accessible(page)

    # Typing searches after a pause; the last word is a prefix while it is typed.
    page.get_by_label("Cari inovasi").press_sequentially("kejar ba", delay=30)
    expect(page).to_have_url(re.compile(r"/katalog\?q=kejar(\+|%20)ba$"))
    results = page.locator("li.result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Kejar Bayi Ta")
    expect(page.get_by_text("1 inovasi")).to_be_visible()

    page.get_by_label("Cari inovasi").fill("tidakadainovasiini")
    expect(page.get_by_text("Tidak ada inovasi yang cocok")).to_be_visible()

    # Filters live in the address too: a year with no round finds nothing, 2021 finds it.
    page.goto("/katalog?q=kejar&year=2021")
    expect(page.locator("li.result")).to_have_count(1)
    page.get_by_role("link", name="Kejar Bayi Ta").click()
    expect(page).to_have_url(re.compile(r"/katalog/\d+$"))
    expect(page.get_by_role("heading", name="Kejar Bayi Ta", level=1)).to_be_visible()
    expect(page.get_by_text("Dinas Kesehatan", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Isi proposal yang dipublikasikan")).to_be_visible()
    expect(page.get_by_text("Belum ada laporan keberlanjutan.")).to_be_visible()
    screenshot(page, "catalogue-innovation")
    assert_accessible(page)
    if size_of(page) == "desktop":
        page.set_viewport_size({"width": 1366, "height": 800})
        screenshot(page, "catalogue-innovation-1366")
        page.goto("/katalog?status=unreported")
        expect(page.locator("li.result").first).to_be_visible()
        screenshot(page, "catalogue-1366")

    # The province's round received Luwu Utara's TOP 7: the filter finds them, each says where.
    page.goto("/katalog")
    page.locator("summary", has_text="Saring").click()
    page.get_by_label("Penghargaan").select_option("promoted")
    expect(page).to_have_url(re.compile(r"/katalog\?award=promoted$"))
    promoted = page.locator("li.result")
    expect(promoted).to_have_count(7)
    expect(promoted.first).to_contain_text("Diteruskan ke KIPP Provinsi Sulawesi Selatan 2021")
    screenshot(page, "catalogue-promoted")

    # Anything outside the catalogue is the server's 404, said in the page.
    page.goto("/katalog/999999")
    expect(page.get_by_role("alert")).to_contain_text("tidak ada dalam katalog")
