"""My account: the profile from /me and personal access tokens (create, copy, use, revoke)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_the_account_page_shows_the_profile(page: Page) -> None:
    login(page, "admin.dlh@demo.kipp.id")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Akun saya"
    ).click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", name="Akun saya", level=1)).to_be_visible()
    profile = page.locator("dl").first
    expect(profile).to_contain_text("admin.dlh@demo.kipp.id")
    expect(profile).to_contain_text("Admin OPD")
    expect(profile).to_contain_text("DLH — ")
    assert_accessible(page)
    screenshot(page, "account")


def test_a_token_is_shown_once_works_and_stops_working_when_revoked(
    phone: Page, server: Server
) -> None:
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    login(phone, "juri3@demo.kipp.id")
    phone.goto("/account")
    phone.get_by_label("Nama token").fill("e2e script")
    phone.get_by_role("button", name="Buat token").click()

    created = phone.get_by_role("region", name=re.compile('Token "e2e script" dibuat'))
    expect(created).to_be_visible()
    expect(created).to_contain_text("tidak akan ditampilkan lagi")
    token = phone.get_by_label("Token", exact=True).input_value()
    assert len(token) > 20
    created.get_by_role("button", name="Salin").click()
    expect(created.get_by_role("status")).to_have_text("Token disalin ke papan klip.")
    assert phone.evaluate("() => navigator.clipboard.readText()") == token
    assert_accessible(phone)
    screenshot(phone, "account-token-created")

    me = phone.request.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.ok and me.json()["email"] == "juri3@demo.kipp.id"

    created.get_by_role("button", name="Sudah saya simpan").click()
    expect(created).to_be_hidden()
    item = phone.get_by_role("listitem").filter(has=phone.get_by_role("heading", name="e2e script"))
    expect(item).to_be_visible()
    expect(item).not_to_contain_text(token)

    item.get_by_role("button", name=re.compile("^Cabut")).click()
    dialog = phone.get_by_role("dialog", name="Cabut token?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Batal")).to_be_focused()
    assert_accessible(phone)
    screenshot(phone, "account-revoke-dialog")
    phone.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(item).to_be_visible()

    item.get_by_role("button", name=re.compile("^Cabut")).click()
    dialog.get_by_role("button", name="Cabut").click()
    expect(dialog).to_be_hidden()
    expect(item).to_be_hidden()
    refused = phone.request.get(
        f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401


def test_the_token_form_is_reachable_by_keyboard(desktop: Page) -> None:
    login(desktop, "inovator.dinkes@demo.kipp.id")
    desktop.goto("/account")
    desktop.get_by_label("Nama token").focus()
    desktop.keyboard.type("keyboard only")
    desktop.keyboard.press("Tab")
    expect(desktop.get_by_label(re.compile("^Berlaku sampai"))).to_be_focused()
    desktop.keyboard.press("Enter")  # submits the form from the date field
    expect(desktop.get_by_role("heading", name='Token "keyboard only" dibuat')).to_be_focused()
