"""The judge's reading room on a phone: from the assignment list to the whole proposal, its PDF
evidence opened in a new tab, then the score — and the draft survives the switch. The public
competition page, before any announcement, logs no console error for the absent results.

The scene is test_judge's (a competition in its open presentation window); its proposals were
imported as submitted, so the evidence a team would have uploaded during the (closed) submission
window is placed the way an upload leaves it: the file in storage, its row in the database.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from kipp.models import Attachment
from tests.e2e.conftest import Server, login
from tests.e2e.test_judge import SAVED, TITLES, Scene, arrange_presentation, my_scoresheet, tap

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-reading")
PDF = b"""%PDF-1.1
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 44>>stream
BT /F1 24 Tf 20 60 Td (Bukti dukung) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""


def place_evidence(server: Server, innovation_id: int, filename: str) -> None:
    storage_name = f"{uuid.uuid4().hex}.pdf"
    directory = server.var_dir / "storage" / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / storage_name).write_bytes(PDF)
    engine = create_engine(f"sqlite:///{server.var_dir / 'kipp.sqlite3'}")
    with Session(engine) as session, session.begin():
        session.add(
            Attachment(
                innovation_id=innovation_id,
                filename=filename,
                content_type="application/pdf",
                size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(),
                storage_name=storage_name,
            )
        )
    engine.dispose()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def scene(server: Server) -> Scene:
    scene = arrange_presentation(server)
    place_evidence(server, scene.innovation_ids[TITLES[0]], "SK Bupati.pdf")
    return scene


@pytest.mark.parametrize("width", [360, 1366])
def test_a_judge_reads_the_proposal_opens_its_pdf_and_scores(
    browser: Browser, server: Server, scene: Scene, width: int
) -> None:
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": width, "height": 740 if width == 360 else 800},
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, scene.judge_email, scene.judge_password)
    page.get_by_role("link", name=re.compile(TITLES[0])).click()
    expect(page.get_by_role("heading", level=1, name=TITLES[0])).to_be_visible()
    expect(page.get_by_text("kelompok Umum")).to_be_visible()  # the label, not "umum"

    # Score one criterion first: the draft must survive the switch to the proposal and back.
    name = str(scene.criteria[0]["name"])
    tap(page, name, 8)
    page.get_by_label(re.compile("^Catatan untuk inovasi ini")).fill("Draf sebelum membaca")
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    first = page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}"))
    expect(first).to_contain_text("Meniru praktik yang sudah umum")  # what 1 means
    expect(page.get_by_text(re.compile("Cara menghitung total"))).to_be_visible()
    shot(page, "score")

    page.get_by_role("tab", name="Proposal").click()
    reader = page.get_by_role("tabpanel", name="Proposal")
    expect(reader.get_by_role("heading", name="Ringkasan")).to_be_visible()
    expect(reader.get_by_role("heading", name="Kolaborasi Pemangku Kepentingan")).to_be_visible()
    expect(reader.get_by_role("heading", name="Inspirasi")).to_have_count(0)  # replikasi only
    expect(reader.get_by_role("heading", name="Tim inovasi")).to_be_visible()
    expect(reader).to_contain_text("SK Bupati.pdf")
    shot(page, "proposal")

    with (
        page.expect_response(re.compile(r"/attachments/\d+$")) as answer,
        context.expect_page() as opened,
    ):
        reader.get_by_role("button", name="Buka SK Bupati.pdf").click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["x-content-type-options"] == "nosniff"
    tab = opened.value
    tab.wait_for_url(re.compile(r"^blob:"))
    tab.wait_for_load_state()  # the viewer has the document
    shot(tab, "pdf-tab")
    tab.close()

    page.get_by_role("tab", name="Nilai").click()
    expect(first.get_by_role("radio", name="8")).to_be_checked()
    expect(page.get_by_label(re.compile("^Catatan untuk inovasi ini"))).to_have_value(
        "Draf sebelum membaca"
    )
    tap(page, str(scene.criteria[1]["name"]), 7)
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    sheet = my_scoresheet(server, scene, scene.innovation_ids[TITLES[0]])
    keys = [str(c["key"]) for c in scene.criteria]
    assert sheet["scores"] == {keys[0]: 8, keys[1]: 7}
    assert sheet["comment"] == "Draf sebelum membaca"
    context.close()
    assert not errors, errors


def test_the_public_page_before_the_announcement_logs_no_console_error(
    browser: Browser, server: Server, scene: Scene
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1366, "height": 800})
    page = context.new_page()
    console: list[ConsoleMessage] = []
    page.on("console", lambda message: console.append(message))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    answers: list[Response] = []
    page.on("response", lambda response: answers.append(response))
    page.goto(f"/competitions/{scene.competition_id}")
    item = page.get_by_role("listitem").filter(has_text=TITLES[0])
    item.get_by_role("button", name="Baca ringkasan publik").click()
    expect(item).to_contain_text("Ringkasan")
    page.wait_for_load_state("networkidle")
    shot(page, "public-summary")
    errors = [m.text for m in console if m.type == "error"]
    refused = [f"{r.status} {r.url}" for r in answers if r.status >= 400]
    context.close()
    assert errors == [], errors
    assert refused == [], refused
    # The schedule is asked for; not published yet, it is an empty answer, not a 404.
    assert [url for url in asked if url.endswith("/schedule")]
    # Nothing is announced in the presentation stage: the page does not ask (no expected 404).
    assert not [url for url in asked if url.endswith("/results")]
