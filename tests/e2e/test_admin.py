"""The organising team's agency and user screens."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_agencies_add_edit_delete_and_the_in_use_refusal(page: Page) -> None:
    code = f"E2E{uuid.uuid4().hex[:5].upper()}"
    login(page, "admin@demo.kipp.id")
    page.get_by_role("navigation", name="Menu Tim Pelaksana").get_by_role("link", name="Perangkat daerah").click()
    expect(page.get_by_role("heading", name="Perangkat daerah", level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="DLH", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-agencies")

    page.get_by_label("Kode").fill(code)
    page.get_by_label("Nama", exact=True).fill("Badan Uji Ujung ke Ujung")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Perangkat daerah {code} ditambahkan.")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=code, exact=True))
    expect(row).to_contain_text("Badan Uji Ujung ke Ujung")

    row.get_by_role("button", name=f"Ubah {code}").click()
    expect(page.get_by_label("Kode")).to_be_focused()
    page.get_by_label("Nama", exact=True).fill("Badan Uji Diubah")
    page.get_by_role("button", name="Simpan").click()
    expect(row).to_contain_text("Badan Uji Diubah")

    # DLH has users and innovations: the server refuses with 409 and says why.
    dlh = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="DLH", exact=True))
    dlh.get_by_role("button", name="Hapus DLH").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be deleted")
    expect(dlh).to_be_visible()
    screenshot(page, "admin-agencies-409")

    row.get_by_role("button", name=f"Hapus {code}").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus").click()
    expect(page.get_by_role("status")).to_contain_text(f"Perangkat daerah {code} dihapus.")
    expect(row).to_have_count(0)


def test_users_filter_create_edit_and_deactivate(desktop: Page, server: Server) -> None:
    email = f"e2e-{uuid.uuid4().hex[:8]}@demo.kipp.id"
    login(desktop, "admin@demo.kipp.id")
    desktop.goto("/admin/users")
    expect(desktop.get_by_role("heading", name="Pengguna", level=1)).to_be_visible()
    table = desktop.get_by_role("table")

    desktop.get_by_label("Saring menurut peran", exact=True).select_option("judge")
    expect(table.locator("tbody tr")).to_have_count(6)
    desktop.get_by_label("Saring menurut peran", exact=True).select_option("")
    desktop.get_by_label("Saring menurut perangkat daerah").select_option(label="DINKES")
    expect(table.locator("tbody tr")).not_to_have_count(0)
    for agency in table.locator("tbody tr td:nth-child(3)").all_inner_texts():
        assert agency == "DINKES"
    assert_accessible(desktop)
    screenshot(desktop, "admin-users")

    desktop.get_by_label("E-mail").fill(email)
    desktop.get_by_label("Nama lengkap").fill("Inovator Uji")
    desktop.get_by_label("Peran", exact=True).select_option("innovator")
    desktop.get_by_label("Kata sandi").fill("rahasia-e2e-123")
    desktop.get_by_role("button", name="Tambah pengguna").click()
    expect(desktop.get_by_role("alert")).to_contain_text("agency_id")  # the agency is required
    desktop.get_by_label(re.compile("^Perangkat daerah")).select_option(label="DINKES — Dinas Kesehatan")
    desktop.get_by_role("button", name="Tambah pengguna").click()
    expect(desktop.get_by_role("status")).to_contain_text("Pengguna Inovator Uji ditambahkan.")

    row = table.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("Aktif")
    row.get_by_role("button", name="Ubah Inovator Uji").click()
    desktop.get_by_label("Nama lengkap").fill("Inovator Uji Dua")
    desktop.get_by_role("button", name="Simpan").click()
    expect(row).to_contain_text("Inovator Uji Dua")

    token = desktop.request.post(
        f"{server.url}/api/v1/auth/token", form={"username": email, "password": "rahasia-e2e-123"}
    )
    assert token.ok

    row.get_by_role("button", name="Nonaktifkan Inovator Uji Dua").click()
    dialog = desktop.get_by_role("dialog", name="Nonaktifkan pengguna?")
    expect(dialog).to_contain_text(email)
    assert_accessible(desktop)
    dialog.get_by_role("button", name="Nonaktifkan").click()
    expect(row).to_contain_text("Nonaktif")
    refused = desktop.request.post(
        f"{server.url}/api/v1/auth/token", form={"username": email, "password": "rahasia-e2e-123"}
    )
    assert refused.status in (401, 403)


def test_a_judge_cannot_open_the_admin_screens(phone: Page) -> None:
    login(phone, "juri2@demo.kipp.id")
    phone.goto("/admin/users")
    expect(phone).to_have_url(re.compile(r"/judge$"))
