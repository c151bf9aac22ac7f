"""The judge on a phone: assignments, scoring with autosave, review and submit, a conflict of
interest, and the offline judge whose taps all reach the server once the network is back.

Each test arranges its own competition through the API (as the admin) with its own judge, so it
never changes what the other end-to-end tests see in the demo competitions: proposals imported
as submitted, the administrative stage passed, the panel set, the presentation stage current with
its window open.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

TITLES = ("Sistem Antrean Puskesmas Daring", "Bank Sampah Digital", "Sekolah Lapang Petani")
AGENCIES = ("DINKES", "DLH", "DISTAN")
SAVED = re.compile(r"^Tersimpan$")  # not "… belum tersimpan"


@dataclass(frozen=True)
class Scene:
    competition_id: int
    innovation_ids: dict[str, int]  # title -> id
    judge_email: str
    judge_password: str
    criteria: list[dict[str, object]]


def _token(client: httpx.Client, email: str, password: str) -> str:
    answer = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _ok(answer: httpx.Response) -> dict[str, object]:
    assert answer.is_success, (
        f"{answer.request.method} {answer.request.url}: {answer.status_code} {answer.text}"
    )
    return answer.json() if answer.content else {}


def arrange_presentation(server: Server) -> Scene:
    """A published competition in its open presentation window, three eligible innovations and a
    fresh judge (agency DPMD, so no automatic conflict) alone on its panel."""
    tag = uuid.uuid4().hex[:6]
    now = datetime.now(UTC).replace(microsecond=0)
    # The administrative window still open and the presentation's ahead: advancing opens the
    # presentation window at the move (a window whose end is past would need a new end).
    edges = [now - timedelta(days=30), now - timedelta(days=20), now + timedelta(hours=1)] + [
        now + timedelta(days=d) for d in (10, 15, 20)
    ]
    keys = ["submission", "administrative", "presentation", "nomination", "announcement"]
    stages = [
        {"key": key, "starts_at": start.isoformat(), "ends_at": end.isoformat()}
        for key, start, end in zip(keys, edges[:-1], edges[1:], strict=True)
    ]
    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.headers["Authorization"] = (
            f"Bearer {_token(client, 'admin@demo.kipp.id', DEMO_PASSWORD)}"
        )
        competition = _ok(
            client.post(
                "/api/v1/competitions",
                json={
                    "name": f"KIPP Uji Penilaian {tag}",
                    "year": now.year,
                    "region": "Kabupaten Luwu Utara",
                    "published": True,
                    "stages": stages,
                },
            )
        )
        cid = int(competition["id"])  # type: ignore[call-overload]
        rows = [
            {
                "external_ref": f"E2E-{tag}-{n}",
                "title": title,
                "agency_code": code,
                "status": "submitted",
                "summary": f"{title}: ringkasan uji ujung ke ujung.",
            }
            for n, (title, code) in enumerate(zip(TITLES, AGENCIES, strict=True), start=1)
        ]
        report = _ok(client.post(f"/api/v1/competitions/{cid}/imports/innovations", json=rows))
        assert report["created"] == len(rows), report
        _ok(
            client.post(
                f"/api/v1/competitions/{cid}/advance", json={"reason": "e2e: pengajuan ditutup"}
            )
        )
        listed = _ok(client.get(f"/api/v1/competitions/{cid}/innovations"))["items"]
        checklist = [item["key"] for item in competition["admin_checklist"]]  # type: ignore[union-attr, index]
        ids: dict[str, int] = {}
        for innovation in listed:  # type: ignore[union-attr]
            ids[innovation["title"]] = innovation["id"]
            _ok(
                client.post(
                    f"/api/v1/innovations/{innovation['id']}/administrative-review",
                    json={"passed": True, "checks": dict.fromkeys(checklist, True), "notes": ""},
                )
            )
        dpmd = next(a for a in _ok(client.get("/api/v1/agencies"))["items"] if a["code"] == "DPMD")  # type: ignore[union-attr]
        email, password = f"juri-{tag}@e2e.kipp.id", f"juri-{tag}-sandi"
        judge = _ok(
            client.post(
                "/api/v1/users",
                json={
                    "email": email,
                    "full_name": f"Juri Uji {tag}",
                    "role": "judge",
                    "agency_id": dpmd["id"],
                    "password": password,
                },
            )
        )
        _ok(client.put(f"/api/v1/competitions/{cid}/judges", json={"user_ids": [judge["id"]]}))
        _ok(client.post(f"/api/v1/competitions/{cid}/advance", json={"reason": "e2e: presentasi"}))
        criteria = _ok(client.get(f"/api/v1/competitions/{cid}/criteria"))["items"]
    return Scene(cid, ids, email, password, criteria)  # type: ignore[arg-type]


def my_scoresheet(server: Server, scene: Scene, innovation_id: int) -> dict[str, object]:
    """The judge's own scoresheet as the server has it."""
    with httpx.Client(base_url=server.url, timeout=20) as client:
        token = _token(client, scene.judge_email, scene.judge_password)
        sheets = _ok(
            client.get(
                f"/api/v1/innovations/{innovation_id}/scores",
                headers={"Authorization": f"Bearer {token}"},
            )
        )
    items = sheets["items"]
    assert isinstance(items, list) and len(items) == 1, sheets
    return items[0]  # type: ignore[no-any-return]


def tap(page: Page, criterion: str, score: int) -> None:
    """Tap one number on a criterion's scale (the label is the tap target; the same number may
    also appear under the scale, where the rubric says what its ends mean)."""
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(criterion)}"))
    group.locator("label", has_text=re.compile(rf"^{score}$")).click()


@pytest.fixture
def scene(server: Server) -> Scene:
    return arrange_presentation(server)


def test_a_judge_scores_on_a_phone_reviews_and_submits(
    phone: Page, server: Server, scene: Scene
) -> None:
    login(phone, scene.judge_email, scene.judge_password)
    expect(phone).to_have_url(re.compile(r"/judge$"))
    group = phone.get_by_role("region", name=re.compile("KIPP Uji Penilaian"))
    expect(group).to_contain_text("0 dari 3 final")
    expect(group).to_contain_text("Penilaian dibuka sampai")
    expect(group.get_by_role("link")).to_have_count(3)
    assert_accessible(phone)
    screenshot(phone, "judge-assignments")

    group.get_by_role("link", name=re.compile(TITLES[0])).click()
    expect(phone.get_by_role("heading", level=1, name=TITLES[0])).to_be_visible()
    expect(phone.get_by_text("ringkasan uji ujung ke ujung")).to_be_visible()
    names = [str(c["name"]) for c in scene.criteria]
    scores = [8, 7, 9, 6, 7, 8]
    for name, score in zip(names[:3], scores, strict=False):
        tap(phone, name, score)
    total = phone.get_by_test_id("running-total")
    expect(phone.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(phone.get_by_text("3 dari 6 kriteria dinilai")).to_be_visible()
    assert_accessible(phone)
    screenshot(phone, "judge-scoring")

    # The review refuses an incomplete sheet and leads back to what is missing.
    phone.get_by_role("button", name="Tinjau dan kirim").click()
    review = phone.get_by_role("region", name="Tinjau nilai sebelum dikirim")
    expect(review.get_by_role("alert")).to_contain_text("Masih ada 3 kriteria")
    expect(review.get_by_role("button", name="Kirim nilai final")).to_be_disabled()
    review.get_by_role("button", name=f"Nilai {names[3]}").click()
    for name, score in zip(names[3:], scores[3:], strict=True):
        tap(phone, name, score)
    phone.get_by_label(re.compile("^Catatan untuk inovasi ini")).fill(
        "Gagasan baru, data dampak kurang"
    )
    expect(total).to_have_text("73,33 / 100")
    expect(phone.get_by_role("status").filter(has_text=SAVED)).to_be_visible()

    phone.get_by_role("button", name="Tinjau dan kirim").click()
    expect(review.get_by_role("alert")).to_have_count(0)
    expect(review.get_by_role("table")).to_contain_text("73,33 / 100")
    assert_accessible(phone)
    screenshot(phone, "judge-review")
    review.get_by_role("button", name="Kirim nilai final").click()
    expect(phone.get_by_text("Nilai final terkirim")).to_be_visible()
    expect(phone.get_by_text(re.compile("Lembar nilai ini final"))).to_be_visible()
    expect(phone.get_by_role("radio").first).to_be_disabled()
    screenshot(phone, "judge-scoring-final")

    sheet = my_scoresheet(server, scene, scene.innovation_ids[TITLES[0]])
    assert sheet["status"] == "final"
    assert sheet["weighted_total"] == pytest.approx(73.33, abs=0.01)
    assert sheet["comment"] == "Gagasan baru, data dampak kurang"

    phone.get_by_role("link", name=re.compile("Kembali ke daftar")).click()
    expect(group).to_contain_text("1 dari 3 final")


def test_the_offline_judge_loses_nothing(phone: Page, server: Server, scene: Scene) -> None:
    login(phone, scene.judge_email, scene.judge_password)
    phone.goto(f"/judge/innovations/{scene.innovation_ids[TITLES[1]]}")
    names = [str(c["name"]) for c in scene.criteria]
    tap(phone, names[0], 9)
    expect(phone.get_by_role("status").filter(has_text=SAVED)).to_be_visible()

    phone.context.set_offline(True)
    for name, score in zip(names[1:], (4, 5, 6, 7, 8), strict=True):
        tap(phone, name, score)
    tap(phone, names[1], 3)  # a change of mind while offline
    expect(phone.get_by_role("status").filter(has_text="Luring")).to_be_visible()
    screenshot(phone, "judge-scoring-offline")
    assert my_scoresheet(server, scene, scene.innovation_ids[TITLES[1]])["scores"] == {
        scene.criteria[0]["key"]: 9
    }

    phone.context.set_offline(False)
    expect(phone.get_by_role("status").filter(has_text=SAVED)).to_be_visible(timeout=20_000)
    expected = dict(zip((str(c["key"]) for c in scene.criteria), (9, 3, 5, 6, 7, 8), strict=True))
    assert my_scoresheet(server, scene, scene.innovation_ids[TITLES[1]])["scores"] == expected


def test_a_reload_before_the_draft_reached_the_server_restores_and_sends_it(
    phone: Page, server: Server, scene: Scene
) -> None:
    innovation_id = scene.innovation_ids[TITLES[2]]
    login(phone, scene.judge_email, scene.judge_password)
    phone.goto(f"/judge/innovations/{innovation_id}")
    names = [str(c["name"]) for c in scene.criteria]
    # The scoring API is unreachable: taps stay on the device only.
    phone.route(
        "**/api/v1/innovations/*/scores/me", lambda route: route.abort("internetdisconnected")
    )
    tap(phone, names[0], 6)
    tap(phone, names[2], 10)
    expect(phone.get_by_role("status").filter(has_text=re.compile("Luring|Gagal"))).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("radio", name="10").nth(2)).to_be_checked()
    phone.unroute("**/api/v1/innovations/*/scores/me")
    phone.goto("/judge")
    expect(phone.get_by_text("Ada nilai di perangkat ini yang belum terkirim")).to_be_visible()
    phone.get_by_role("link", name=re.compile(TITLES[2])).click()
    expect(phone.get_by_text("dipulihkan dan sedang dikirim")).to_be_visible()
    expect(phone.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    keys = [str(c["key"]) for c in scene.criteria]
    assert my_scoresheet(server, scene, innovation_id)["scores"] == {keys[0]: 6, keys[2]: 10}


def test_declaring_a_conflict_of_interest_removes_the_assignment(
    desktop: Page, scene: Scene
) -> None:
    login(desktop, scene.judge_email, scene.judge_password)
    assert_accessible(desktop)
    screenshot(desktop, "judge-assignments")
    desktop.get_by_role("link", name=re.compile(TITLES[1])).click()
    tap(desktop, str(scene.criteria[0]["name"]), 5)
    # The scale is a native radio group: the keyboard moves the score, the focus ring shows.
    first = desktop.get_by_role("group", name=re.compile(rf"^{scene.criteria[0]['name']}"))
    expect(first.get_by_role("radio", name="5")).to_be_focused()
    desktop.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name="6")).to_be_checked()
    outline = first.locator("label", has_text=re.compile("^6$")).evaluate(
        "label => getComputedStyle(label).outlineStyle"
    )
    assert outline == "solid"
    assert_accessible(desktop)
    screenshot(desktop, "judge-scoring")

    desktop.get_by_role("button", name="Nyatakan konflik kepentingan").click()
    form = desktop.locator("form.conflict-form")
    form.get_by_role("button", name="Nyatakan konflik").click()
    expect(form.get_by_text("Tuliskan alasannya.")).to_be_visible()
    expect(desktop.get_by_label("Alasan")).to_be_focused()
    desktop.get_by_label("Alasan").fill("Adik saya anggota tim inovasi ini.")
    assert_accessible(desktop)
    form.get_by_role("button", name="Nyatakan konflik").click()

    expect(desktop).to_have_url(re.compile(r"/judge$"))
    expect(desktop.get_by_role("status").filter(has_text="Konflik kepentingan")).to_contain_text(
        TITLES[1]
    )
    expect(desktop.get_by_role("link", name=re.compile(TITLES[1]))).to_have_count(0)
    expect(desktop.get_by_text("0 dari 2 final")).to_be_visible()

    # English arrives on demand (the Indonesian texts ship with the judge screens).
    desktop.get_by_role("button", name=re.compile("^EN")).click()
    expect(desktop.get_by_role("heading", level=1, name="My scoring")).to_be_visible()
    expect(desktop.get_by_text("0 of 2 final")).to_be_visible()
