"""The first screens: login with the demo accounts, the admin's landing page, the public home."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

DEMO_COMPETITION = "KIPP Kabupaten Luwu Utara 2021"


def test_login_page_lists_the_demo_logins(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="Masuk", level=1)).to_be_visible()
    demo = page.get_by_role("region", name="Akun demo")
    expect(demo.get_by_role("heading", name="Juri")).to_be_visible()
    expect(demo).to_be_visible()
    expect(demo.get_by_text("admin@demo.kipp.id")).to_be_visible()
    expect(demo.get_by_text("juri1@demo.kipp.id")).to_be_visible()
    expect(demo.get_by_text("inovator.dlh@demo.kipp.id")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "login")


def test_a_demo_account_fills_the_form(phone: Page) -> None:
    phone.goto("/login")
    phone.get_by_role("button", name=re.compile("Tim Pelaksana")).first.click()
    expect(phone.get_by_label("E-mail")).to_have_value("admin@demo.kipp.id")
    expect(phone.get_by_label("Kata sandi", exact=True)).to_have_value("kipp-demo-2021")
    expect(phone.get_by_label("E-mail")).to_be_focused()


def test_wrong_password_shows_the_server_problem(desktop: Page) -> None:
    desktop.goto("/login")
    desktop.get_by_label("E-mail").fill("juri2@demo.kipp.id")
    desktop.get_by_label("Kata sandi", exact=True).fill("not-the-password")
    desktop.get_by_role("button", name="Masuk", exact=True).click()
    expect(desktop.get_by_role("alert")).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"/login"))
    assert_accessible(desktop)


def test_the_admin_lands_on_the_admin_home(page: Page) -> None:
    login(page, "admin@demo.kipp.id")
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor Tim Pelaksana")
    expect(
        page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Admin")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-home")


def test_signing_out_returns_to_the_login_page(desktop: Page) -> None:
    login(desktop, "juri1@demo.kipp.id")
    expect(desktop).to_have_url(re.compile(r"/judge$"))
    desktop.get_by_role("button", name="Keluar").click()
    expect(desktop).to_have_url(re.compile(r"/login"))
    desktop.goto("/judge")
    expect(desktop).to_have_url(re.compile(r"/login\?redirect=(%2F|/)judge$"))


def test_the_public_home_lists_the_published_competitions(page: Page, server: Server) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetisi yang dipublikasikan")
    published = server.api("/api/v1/competitions")["items"]  # type: ignore[index]
    cards = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2))
    expect(cards).to_have_count(len(published))
    card = cards.filter(has=page.get_by_role("heading", name=DEMO_COMPETITION))
    expect(card.get_by_text("Tahap saat ini")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home")


def test_the_language_switch_translates_the_page(phone: Page) -> None:
    phone.goto("/login")
    switch = phone.get_by_role("group", name="Bahasa")
    expect(switch.get_by_role("button", name="ID Bahasa Indonesia")).to_have_attribute(
        "aria-pressed", "true"
    )
    switch.get_by_role("button", name="EN English").click()
    expect(phone.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(
        phone.get_by_role("group", name="Language").get_by_role("button", name="EN English")
    ).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.reload()
    expect(phone.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
