"""The public competition page: stage timeline, eligible innovations, results and objections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    assert_accessible,
    browser_page,
    running_server,
    screenshot,
)

pytestmark = pytest.mark.e2e

DEMO_2021 = "KIPP Kabupaten Luwu Utara 2021"


def _competition_id(server: Server, name: str) -> int:
    items = server.api("/api/v1/competitions")["items"]
    return int(next(c["id"] for c in items if c["name"] == name))


def test_the_competition_page_shows_the_timeline_and_the_eligible_innovations(
    page: Page, server: Server
) -> None:
    cid = _competition_id(server, DEMO_2021)
    eligible = server.api(f"/api/v1/competitions/{cid}/innovations?public=true&limit=500")["total"]
    assert eligible > 0  # the demo competition is past the presentation stage

    page.goto("/")
    page.get_by_role("link", name=DEMO_2021).click()
    expect(page).to_have_url(re.compile(rf"/competitions/{cid}$"))
    expect(page.get_by_role("heading", name=DEMO_2021, level=1)).to_be_visible()

    stages = page.locator("ol.timeline > li")
    expect(stages).to_have_count(5)
    current = page.locator('ol.timeline > li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current.get_by_role("heading")).to_have_text("Penetapan nominasi")
    expect(current).to_contain_text("Berlangsung")
    expect(stages.first).to_contain_text("Selesai")
    expect(stages.first).to_contain_text("WITA")  # windows in the competition's time zone
    expect(stages.first).to_contain_text("11 Okt 2021")

    innovations = page.get_by_role("region", name="Inovasi yang lolos seleksi administrasi")
    expect(innovations.get_by_role("listitem")).to_have_count(eligible)
    expect(page.get_by_role("heading", name=re.compile("yang diumumkan"))).to_have_count(
        0
    )  # 404: not announced
    expect(page.get_by_role("heading", name="Ajukan sanggahan")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "competition")


def test_an_unknown_competition_says_so(phone: Page) -> None:
    phone.goto("/competitions/9999")
    expect(phone.get_by_role("heading", name="Kompetisi tidak tersedia", level=1)).to_be_visible()
    expect(phone.get_by_role("alert")).to_be_visible()


@pytest.fixture(scope="module")
def announced() -> Iterator[tuple[Server, int]]:
    """A server of its own whose demo competition the admin has moved to the announcement."""
    with running_server("announced-server") as server:
        cid = _competition_id(server, DEMO_2021)
        token = server.token("admin@demo.kipp.id")
        # The panel's decision: the computed TOP N, as the admin would record it.
        ranking = server.api(f"/api/v1/competitions/{cid}/ranking?method=mean", token=token)
        top = [entry["innovation_id"] for entry in ranking["entries"][: ranking["top_n"]]]
        server.api(
            f"/api/v1/competitions/{cid}/nomination",
            method="POST",
            body={
                "innovation_ids": top,
                "method": "mean",
                "justification": "Urutan sesuai peringkat (uji e2e).",
            },
            token=token,
        )
        server.api(
            f"/api/v1/competitions/{cid}/advance",
            method="POST",
            # The demo's 2021 announcement window is long past: the move needs its new end.
            body={
                "reason": "e2e",
                "ends_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            },
            token=token,
        )
        yield server, cid


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_announced_top_n_and_an_objection(
    browser: Browser, announced: tuple[Server, int], size: str
) -> None:
    server, cid = announced
    results = server.api(f"/api/v1/competitions/{cid}/results")
    with browser_page(browser, server, size) as page:
        page.goto(f"/competitions/{cid}")
        top = page.locator("ol.results > li")
        expect(top).to_have_count(len(results["top"]))
        expect(top.first).to_contain_text(results["top"][0]["title"])
        expect(
            page.locator('ol.timeline > li[aria-current="step"]').get_by_role("heading")
        ).to_have_text("Pengumuman")
        expect(page.get_by_text("Sementara, dalam masa sanggah")).to_be_visible()
        assert_accessible(page)
        screenshot(page, "competition-announced")

        target = results["top"][-1]
        form = page.get_by_role("region", name="Ajukan sanggahan")
        form.get_by_label("Inovasi yang disanggah").select_option(str(target["innovation_id"]))
        form.get_by_label("Nama Anda").fill("Warga Uji")
        form.get_by_label("E-mail Anda").fill(f"warga-{size}@example.id")
        form.get_by_label("Isi sanggahan").fill("Pendek")
        form.get_by_role("button", name="Kirim sanggahan").click()
        expect(form.get_by_role("alert")).to_be_visible()  # the server wants at least 20 characters
        form.get_by_label("Isi sanggahan").fill(
            "Inovasi ini sudah berjalan jauh sebelum tanggal mulai yang tertulis di proposal."
        )
        form.get_by_role("button", name="Kirim sanggahan").click()
        receipt = form.get_by_role("status")
        expect(receipt).to_contain_text("Sanggahan diterima")
        expect(receipt.get_by_role("heading")).to_be_focused()

    objections = server.api(
        f"/api/v1/competitions/{cid}/objections", token=server.token("admin@demo.kipp.id")
    )["items"]
    assert any(
        o["email"] == f"warga-{size}@example.id" and o["innovation_id"] == target["innovation_id"]
        for o in objections
    )
