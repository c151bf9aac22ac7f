"""Promotion to the next level in the browser: the organising team announces Luwu Utara 2021
(set up through the API), promotes its TOP 7 from the announcement page to a provincial
competition, and a judge of the province reads a promoted proposal with its provenance and
opens its evidence — at 360 px and 1366 px.

The module starts its own server: it announces the demo's 2021 competition, which the other
tests rely on standing in the nomination stage. The demo's own provincial competition already
received the computed TOP 7 (the seed does that), so the browser promotes to a second provincial
competition made here, which Luwu Utara 2021 is set to feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, login, running_server

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-promotion")
ADMIN = "admin@demo.kipp.id"
PROVINCIAL_JUDGE = "juri.sulsel1@demo.kipp.id"
LUWU_UTARA = "KIPP Kabupaten Luwu Utara 2021"
PARENT = "KIPP Provinsi Sulawesi Selatan 2022"


@dataclass(frozen=True)
class Scene:
    server: Server
    child_id: int
    parent_id: int
    top: list[dict[str, Any]]


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@pytest.fixture(scope="module")
def scene() -> Iterator[Scene]:
    with running_server("promotion") as server:
        token = server.token(ADMIN)
        competitions = server.api("/api/v1/competitions?limit=100", token=token)["items"]
        child = next(c for c in competitions if c["name"] == LUWU_UTARA)
        now = datetime.now(UTC)
        organisations = server.api("/api/v1/organisations?limit=100", token=token)["items"]
        province = next(o["id"] for o in organisations if o["slug"] == "sulsel")
        day = timedelta(days=1)
        edges = [now + n * day for n in (-7, 21, 35, 49, 56, 70)]
        keys = ["submission", "administrative", "presentation", "nomination", "announcement"]
        parent = server.api(
            "/api/v1/competitions",
            method="POST",
            token=token,
            body={
                "name": PARENT,
                "organisation_id": province,  # the platform admin names the organisation
                "year": 2022,
                "level": "provinsi",
                "region": "Provinsi Sulawesi Selatan",
                "published": True,
                "stages": [
                    {
                        "key": key,
                        "starts_at": _iso(edges[i]),
                        "ends_at": _iso(edges[i + 1]),
                    }
                    for i, key in enumerate(keys)
                ],
            },
        )
        users = server.api("/api/v1/users?limit=100", token=token)["items"]
        judge_id = next(u["id"] for u in users if u["email"] == PROVINCIAL_JUDGE)
        server.api(
            f"/api/v1/competitions/{parent['id']}/judges",
            method="PUT",
            token=token,
            body={"user_ids": [judge_id]},
        )
        server.api(
            f"/api/v1/competitions/{child['id']}",
            method="PATCH",
            token=token,
            body={"parent_competition_id": parent["id"]},
        )
        ranking = server.api(f"/api/v1/competitions/{child['id']}/ranking", token=token)
        top = ranking["entries"][:7]
        server.api(
            f"/api/v1/competitions/{child['id']}/nomination",
            method="POST",
            token=token,
            body={
                "innovation_ids": [e["innovation_id"] for e in top],
                "method": ranking["method"],
                "justification": "Sesuai peringkat hitungan (uji E2E).",
            },
        )
        server.api(
            f"/api/v1/competitions/{child['id']}/advance",
            method="POST",
            token=token,
            body={"ends_at": _iso(now + 14 * day)},
        )
        yield Scene(server, child["id"], parent["id"], top)


def _page(browser: Browser, server: Server, width: int) -> Page:
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": width, "height": 740 if width == 360 else 800},
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.mark.parametrize("width", [1366, 360])
def test_the_top_7_is_promoted_and_a_provincial_judge_reads_one(
    browser: Browser, scene: Scene, width: int
) -> None:
    admin = _page(browser, scene.server, width)
    errors: list[str] = []
    admin.on("pageerror", lambda error: errors.append(str(error)))
    login(admin, ADMIN)
    admin.goto(f"/admin/competitions/{scene.child_id}/announcement")
    panel = admin.get_by_role("region", name="Teruskan ke tingkat berikutnya")
    expect(panel).to_contain_text(PARENT)
    boxes = panel.get_by_role("checkbox")
    expect(boxes).to_have_count(7)
    if width == 1366:  # the first run promotes; the second finds everything promoted
        expect(panel.get_by_role("button", name="Teruskan (7)")).to_be_enabled()
        shot(admin, "admin-before")
        panel.get_by_role("button", name="Teruskan (7)").click()
        dialog = admin.get_by_role("dialog")
        expect(dialog).to_contain_text(PARENT)
        dialog.get_by_role("button", name="Teruskan (7)").click()
        expect(panel.get_by_role("status")).to_contain_text("7 inovasi diteruskan")
    expect(panel.get_by_text("Sudah diteruskan", exact=True)).to_have_count(7)
    expect(panel.get_by_role("button", name="Teruskan (0)")).to_be_disabled()
    shot(admin, "admin-promoted")
    admin.context.close()

    judge = _page(browser, scene.server, width)
    judge.on("pageerror", lambda error: errors.append(str(error)))
    login(judge, PROVINCIAL_JUDGE)
    promoted = judge.get_by_role("region", name="Diteruskan dari tingkat sebelumnya")
    first = str(scene.top[0]["title"])
    link = promoted.get_by_role("link").filter(has_text=PARENT).filter(has_text=first)
    expect(link).to_have_count(1)
    shot(judge, "judge-home")
    link.click()
    expect(judge.get_by_role("heading", level=1, name=first)).to_be_visible()
    tab = judge.get_by_role("tab", name="Proposal")
    if tab.count():
        tab.click()
    provenance = judge.get_by_role("complementary", name="Asal usulan")
    expect(provenance).to_contain_text(
        re.compile(
            rf"Diteruskan dari {LUWU_UTARA} — peringkat 1, skor \d+,\d, manifest sha256 [0-9a-f]{{64}}"
        )
    )
    evidence = judge.get_by_role("button", name=re.compile(r"^Buka bukti-dukung-LU2021-\d+\.pdf$"))
    expect(evidence).to_have_count(1)
    shot(judge, "judge-reader")
    with (
        judge.expect_response(re.compile(r"/attachments/\d+$")) as answer,
        judge.context.expect_page() as opened,
    ):
        evidence.click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    pdf = opened.value
    pdf.wait_for_url(re.compile(r"^blob:"))
    pdf.close()
    judge.context.close()
    assert not errors, errors
