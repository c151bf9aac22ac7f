"""The organising team's screens: agencies and users; each competition's dashboard, settings,
administrative review, ranking, nomination and announcement; imports, exports and the audit log."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    Server,
    assert_accessible,
    browser_page,
    login,
    running_server,
    screenshot,
)

pytestmark = pytest.mark.e2e


def test_agencies_add_edit_delete_and_the_in_use_refusal(page: Page) -> None:
    code = f"E2E{uuid.uuid4().hex[:5].upper()}"
    login(page, "admin@demo.kipp.id")
    page.get_by_role("navigation", name="Menu Tim Pelaksana").get_by_role(
        "link", name="Perangkat daerah"
    ).click()
    expect(page.get_by_role("heading", name="Perangkat daerah", level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name=re.compile(r"^DLH( |$)"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-agencies")

    page.get_by_label("Kode").fill(code)
    page.get_by_label("Nama", exact=True).fill("Badan Uji Ujung ke Ujung")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Perangkat daerah {code} ditambahkan.")
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(rf"^{code}( |$)"))
    )
    expect(row).to_contain_text("Badan Uji Ujung ke Ujung")

    row.get_by_role("button", name=f"Ubah {code}").click()
    expect(page.get_by_label("Kode")).to_be_focused()
    page.get_by_label("Nama", exact=True).fill("Badan Uji Diubah")
    page.get_by_role("button", name="Simpan").click()
    expect(row).to_contain_text("Badan Uji Diubah")

    # DLH has users and innovations: the server refuses with 409 and says why, in Indonesian.
    dlh = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^DLH( |$)"))
    )
    dlh.get_by_role("button", name="Hapus DLH").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Perangkat daerah DLH masih memiliki pengguna atau inovasi; tidak dapat dihapus."
    )
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
    # The platform admin sees every organisation's judges: Luwu Utara's six, the province's three.
    expect(table.locator("tbody tr")).to_have_count(9)
    desktop.get_by_label("Saring menurut peran", exact=True).select_option("")
    desktop.get_by_label("Saring menurut perangkat daerah").select_option(label="DINKES")
    # Wait for the filtered answer (the unfiltered rows are on screen until it comes).
    agencies = table.locator("tbody tr td:nth-child(3)")
    expect(agencies.filter(has_not_text="DINKES")).to_have_count(0)
    expect(agencies).not_to_have_count(0)
    assert_accessible(desktop)
    screenshot(desktop, "admin-users")

    desktop.get_by_label("E-mail", exact=True).fill(email)
    desktop.get_by_label("Nama lengkap").fill("Inovator Uji")
    desktop.get_by_label("Peran", exact=True).select_option("innovator")
    # An invitation is the default (no password field); this test sets the password itself.
    invite = desktop.get_by_role("checkbox", name=re.compile("^Kirim undangan lewat e-mail"))
    expect(invite).to_be_checked()
    expect(desktop.get_by_label("Kata sandi", exact=True)).to_have_count(0)
    invite.uncheck()
    desktop.get_by_label("Kata sandi", exact=True).fill("rahasia-e2e-123")
    desktop.get_by_role("button", name="Tambah pengguna").click()
    # The agency is required for an innovator: said in the alert and beside the field.
    expect(desktop.get_by_role("alert")).to_contain_text("Peran ini terikat pada perangkat daerah.")
    agency = desktop.get_by_label(re.compile("^Perangkat daerah"))
    expect(agency).to_have_attribute("aria-invalid", "true")
    expect(agency).to_have_accessible_description(re.compile("Wajib diisi untuk peran innovator"))
    agency.select_option(label="DINKES — Dinas Kesehatan")
    desktop.get_by_role("button", name="Tambah pengguna").click()
    expect(desktop.get_by_role("status")).to_contain_text("Pengguna Inovator Uji ditambahkan.")

    row = table.get_by_role("row").filter(has_text=email)
    expect(row.get_by_text("Aktif", exact=True).filter(visible=True)).to_be_visible()
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
    expect(
        row.get_by_text("Nonaktif", exact=True).filter(visible=True)
    ).to_be_visible()  # the badge, not the button
    expect(row.get_by_role("button", name="Aktifkan Inovator Uji Dua")).to_be_visible()
    refused = desktop.request.post(
        f"{server.url}/api/v1/auth/token", form={"username": email, "password": "rahasia-e2e-123"}
    )
    assert refused.status in (401, 403)


def test_a_judge_cannot_open_the_admin_screens(phone: Page) -> None:
    login(phone, "juri2@demo.kipp.id")
    phone.goto("/admin/users")
    expect(phone).to_have_url(re.compile(r"/judge$"))


# ---- The competition screens: dashboard, settings, review, ranking, nomination, imports, audit

DEMO_2021 = "KIPP Kabupaten Luwu Utara 2021"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _competition_id(server: Server, name: str) -> int:
    competitions = server.api("/api/v1/competitions")["items"]
    return int(next(c["id"] for c in competitions if c["name"] == name))


def test_the_dashboard_shows_statuses_judge_progress_and_what_blocks(
    page: Page, server: Server
) -> None:
    login(page, "admin@demo.kipp.id")
    expect(page.get_by_role("heading", name="Dasbor Tim Pelaksana", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Kompetisi", level=2)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-home")

    page.get_by_role("link", name=DEMO_2021).click()
    expect(page.get_by_role("heading", name="Ringkasan kompetisi", level=1)).to_be_visible()
    counts = page.locator("dl.counts")
    expect(
        counts.locator(".count").filter(has_text="Lolos administrasi").locator("dd")
    ).to_have_text("19")
    judging = page.get_by_role("region", name="Kemajuan penilaian per juri")
    judges = judging.locator("ul.judges > li")
    expect(judges).to_have_count(6)
    expect(judges.first).to_contain_text(re.compile(r"\d+ dari \d+ final"))
    # The server counts final and draft scoresheets per judge (conflicts of interest left out).
    expect(judging).to_contain_text(
        re.compile(r"Seluruh Tim Penilai: \d+ dari \d+ lembar nilai final")
    )
    expect(judges.first.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"^Kemajuan .+: \d+ final, \d+ draf, \d+ belum dinilai$")
    )
    # The nomination stage is left only once a TOP N decision exists (GET …/advance says so).
    expect(page.get_by_text("Keputusan TOP N belum disimpan.")).to_be_visible()
    expect(page.get_by_role("button", name="Lanjut ke Pengumuman")).to_be_disabled()
    assert_accessible(page)
    screenshot(page, "admin-dashboard")


def test_settings_show_windows_in_wita_and_a_live_weight_total(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}/settings")
    expect(page.get_by_role("heading", name="Pengaturan kompetisi", level=1)).to_be_visible()
    # 11 Oct 2021 00:00 WITA, whatever the browser's own zone.
    expect(page.locator("#s-submission-start")).to_have_value("2021-10-11T00:00")
    expect(page.get_by_label("Zona waktu")).to_have_value("Asia/Makassar")

    rubric = page.get_by_role("region", name="Rubrik penilaian")
    expect(rubric).to_contain_text("Total bobot: 100%")
    # Scoring has started: the rubric is frozen and says why.
    expect(rubric).to_contain_text("Rubrik dikunci")
    panel = page.get_by_role("region", name="Tim Penilai")
    expect(panel.get_by_role("checkbox")).to_have_count(6)
    assert_accessible(page)
    screenshot(page, "admin-settings")

    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(
        page.get_by_role("status").filter(has_text="Pengaturan kompetisi disimpan.")
    ).to_be_visible()


def test_a_new_competition_gets_a_rubric_whose_total_must_reach_100(desktop: Page) -> None:
    login(desktop, "admin@demo.kipp.id")
    desktop.goto("/admin/competitions/new")
    desktop.get_by_label("Nama kompetisi").fill("KIPP Uji Ujung ke Ujung")
    desktop.get_by_label("Wilayah").fill("Kabupaten Uji")
    windows = [
        "2030-01-01T00:00",
        "2030-01-10T00:00",
        "2030-01-20T00:00",
        "2030-02-01T00:00",
        "2030-02-10T00:00",
        "2030-02-20T00:00",
    ]
    for i, key in enumerate(
        ["submission", "administrative", "presentation", "nomination", "announcement"]
    ):
        desktop.locator(f"#s-{key}-start").fill(windows[i])
        desktop.locator(f"#s-{key}-end").fill(windows[i + 1])
    desktop.get_by_role("button", name="Buat kompetisi").click()
    expect(desktop.get_by_role("status").filter(has_text="Kompetisi dibuat.")).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"/admin/competitions/\d+/settings"))
    expect(desktop.locator("#s-announcement-end")).to_have_value("2030-02-20T00:00")

    rubric = desktop.get_by_role("region", name="Rubrik penilaian")
    expect(rubric).to_contain_text("Total bobot: 100%")
    desktop.get_by_label("Bobot (%)").first.fill("30")
    expect(rubric).to_contain_text("Total bobot: 105%")
    expect(rubric).to_contain_text("selisih -5%")
    expect(rubric.get_by_role("button", name="Simpan rubrik")).to_be_disabled()
    desktop.get_by_label("Bobot (%)").first.fill("25")
    rubric.get_by_role("button", name="Simpan rubrik").click()
    expect(rubric.get_by_role("status")).to_contain_text("Rubrik disimpan.")

    panel = desktop.get_by_role("region", name="Tim Penilai")
    panel.get_by_role("checkbox").first.check()
    panel.get_by_role("button", name="Simpan Tim Penilai").click()
    expect(panel.get_by_role("status")).to_contain_text("Tim Penilai disimpan (1 juri).")


def test_the_review_queue_shows_a_proposal_with_its_checklist(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}/review")
    expect(page.get_by_role("heading", name="Seleksi administrasi", level=1)).to_be_visible()
    # Nothing waits in the 2021 competition, so the decided ones are shown.
    expect(page.get_by_role("button", name="Sudah diputuskan (19)")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("link", name=re.compile("^Sim B")).click()
    detail = page.locator("article")
    expect(detail.get_by_role("heading", name="Sim B", level=2)).to_be_focused()
    expect(
        detail.get_by_role("group", name="Daftar periksa").get_by_role("checkbox")
    ).to_have_count(5)
    # Not the administrative stage: the decision is shown, not editable.
    expect(detail.get_by_role("button", name="Tidak lolos")).to_be_disabled()
    assert_accessible(page)
    screenshot(page, "admin-review")


def test_the_ranking_switches_method_and_charts(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}/ranking")
    # Judge effects is the default method now (the demo competition's saved method).
    table = page.get_by_role("table", name="Peringkat menurut Efek juri (terkalibrasi)")
    expect(table.locator("tbody tr.top")).to_have_count(7)
    expect(table.locator("tr.cutoff-row")).to_have_text("Batas TOP 7")
    expect(page.get_by_text(re.compile(r"W = 0,\d\d"))).to_be_visible()

    page.get_by_label("Skor-z (terkalibrasi)").check()
    expect(page).to_have_url(re.compile(r"method=zscore"))
    zscore = page.get_by_role("table", name="Peringkat menurut Skor-z (terkalibrasi)")
    expect(zscore).to_be_visible()
    ranking = server.api(
        f"/api/v1/competitions/{cid}/ranking?method=zscore",
        token=server.token("admin@demo.kipp.id"),
    )
    first = zscore.locator("tbody tr").first
    expect(first).to_contain_text(ranking["entries"][0]["title"])

    # Both charts draw (chart.js arrives as its own chunk) and say what they show.
    for name in ("Sebaran nilai juri per inovasi", "Kecenderungan juri terhadap panel"):
        canvas = page.get_by_role("img", name=name)
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.width > 0 && c.height > 0")
    viewport = page.viewport_size or {"width": 0}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
    screenshot(page, "admin-ranking")


def _id_count(number: int) -> str:
    """A count as Indonesian writes it (1.000)."""
    return f"{number:,}".replace(",", ".")


@contextmanager
def _ranking_page(browser: Browser, server: Server, width: int, size: str) -> Iterator[Page]:
    """A page `width` px wide (360: the phone; 1366: the common office laptop)."""
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": width, "height": 800},
        locale="id-ID",
        timezone_id="Asia/Makassar",
        device_scale_factor=1,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.kipp_size = size  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"Uncaught errors in the page: {errors}"


@pytest.mark.parametrize(("width", "size"), [(360, "phone"), (1366, "1366")])
def test_the_ranking_explains_itself_in_both_languages(
    browser: Browser, server: Server, width: int, size: str
) -> None:
    """The panel reads the ranking without a manual: the method in a paragraph, scores named
    for what they are, p(TOP N) in words, agreement in words, each judge's centre and spread,
    and which judges' calibration moved an innovation near the cut-off."""
    cid = _competition_id(server, DEMO_2021)
    ranking = server.api(
        f"/api/v1/competitions/{cid}/ranking", token=server.token("admin@demo.kipp.id")
    )
    assert ranking["method"] == "judge_effects"
    moved = next(e for e in ranking["entries"] if e["calibration_moves"])
    strict = min(ranking["judges"], key=lambda j: j["centre"])  # the demo's strict judge
    assert strict["centre"] <= -3
    draws = ranking["uncertainty"]["draws"]

    with _ranking_page(browser, server, width, size) as page:
        login(page, "admin@demo.kipp.id")
        page.goto(f"/admin/competitions/{cid}/ranking")
        explanation = page.get_by_role("region", name="Cara peringkat ini dihitung")
        expect(explanation.locator("p")).to_have_text(ranking["explanation"])

        table = page.get_by_role("table", name="Peringkat menurut Efek juri (terkalibrasi)")
        headers = table.locator("thead th")
        expect(headers).to_have_text(
            [
                "Peringkat",
                "Inovasi",
                "Skor (efek juri)",
                "Peluang TOP 7",
                "Rata-rata mentah",
                "Juri",
            ]
        )
        # Near the cut-off, the row's details are open: p(TOP N) in words and the moves.
        detail = table.locator(f"#ranking-detail-{moved['innovation_id']}")
        k = round(moved["p_top"] * draws)
        expect(detail).to_contain_text(
            f"Dalam {_id_count(k)} dari {_id_count(draws)} undian ulang skor panel, "
            "inovasi ini masuk TOP 7."
        )
        expect(detail).to_contain_text(
            re.compile(rf"[+−]\d+,\d poin dari {re.escape(strict['full_name'])} \(ketat\)")
        )
        # Any row's details open on demand.
        first = ranking["entries"][0]
        toggle = table.get_by_role("button", name=f"Rincian {first['title']}")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(table.locator(f"#ranking-detail-{first['innovation_id']}")).to_contain_text(
            f"dari {_id_count(draws)} undian ulang"
        )
        expect(page.get_by_text(re.compile(r"α Krippendorff = 0,\d\d"))).to_be_visible()
        expect(page.get_by_text(re.compile(r"Kendall W = 0,\d\d atas \d+ inovasi"))).to_be_visible()
        judges = page.get_by_role("region", name="Statistik juri").get_by_role("table")
        expect(judges.locator("thead th").nth(1)).to_have_text("Pusat")
        expect(judges.locator("thead th").nth(2)).to_have_text("Rentang")
        expect(
            judges.get_by_role("row", name=re.compile(re.escape(strict["full_name"])))
        ).to_contain_text("ketat")
        assert_accessible(page)
        screenshot(page, "admin-ranking-explained-id")

        # English: the paragraph comes from the server in English (Accept-Language follows).
        page.get_by_role("group", name="Bahasa").get_by_role("button", name="EN English").click()
        explanation = page.get_by_role("region", name="How this ranking is made")
        expect(explanation.locator("p")).to_contain_text("1,000")
        expect(explanation.locator("p")).not_to_have_text(ranking["explanation"])
        table = page.get_by_role("table", name="Ranking by Judge effects (calibrated)")
        expect(table.locator("thead th")).to_have_text(
            ["Rank", "Innovation", "Score (judge effects)", "Chance of TOP 7", "Raw mean", "Judges"]
        )
        expect(table.locator(f"#ranking-detail-{moved['innovation_id']}")).to_contain_text(
            f"In {k:,} of {draws:,} re-draws of the panel’s scores it was in the TOP 7."
        )
        expect(page.get_by_text(re.compile(r"Krippendorff’s alpha = 0\.\d\d"))).to_be_visible()
        screenshot(page, "admin-ranking-explained-en")

        # Under the plain mean the score is the raw mean: no column repeats it, and the
        # calibrated one is named for what it is.
        page.get_by_label("Mean", exact=True).check()
        table = page.get_by_role("table", name="Ranking by Mean")
        expect(table.locator("thead th")).to_have_text(
            [
                "Rank",
                "Innovation",
                "Score (mean)",
                "Chance of TOP 7",
                "Calibrated (judge effects)",
                "Judges",
            ]
        )
        screenshot(page, "admin-ranking-mean-en")


def test_the_nomination_preview_shows_the_difference(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}/nomination")
    top = page.get_by_role("region", name=re.compile(r"^TOP 7"))
    expect(top.locator("li")).to_have_count(7)
    page.get_by_role("button", name="Pratinjau perbedaan").click()
    expect(page.get_by_text("Keputusan ini sama dengan peringkat hitungan.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-nomination")


@pytest.fixture(scope="module")
def deciding() -> Iterator[Server]:
    """A server of its own: saving the decision and announcing change the demo competition."""
    with running_server("admin-nomination-server") as started:
        yield started


def test_the_admin_nominates_with_a_justification_and_announces(
    browser: Browser, deciding: Server
) -> None:
    cid = _competition_id(deciding, DEMO_2021)
    with browser_page(browser, deciding, "desktop") as page:
        login(page, "admin@demo.kipp.id")
        page.goto(f"/admin/competitions/{cid}/nomination")
        top = page.get_by_role("region", name=re.compile(r"^TOP 7"))
        expect(top.locator("li")).to_have_count(7)
        seventh = top.locator("li").nth(6).locator("strong").inner_text()
        top.get_by_role("button", name=f"Hapus {seventh}").click()
        pool = page.get_by_role("region", name="Inovasi lainnya")
        eighth = pool.locator("li").nth(1).locator("strong").inner_text()  # the computed 8th
        pool.get_by_role("button", name=f"Ke TOP N {eighth}").click()
        top.get_by_role("button", name=f"Naikkan {eighth}").click()

        page.get_by_role("button", name="Pratinjau perbedaan").click()
        expect(page.get_by_text("Keputusan ini berbeda dari peringkat hitungan.")).to_be_visible()
        preview = page.get_by_role("table", name="Perbedaan dengan peringkat hitungan")
        expect(preview.get_by_role("row").filter(has_text=eighth)).to_contain_text("masuk")
        expect(page.get_by_text(seventh).last).to_be_visible()  # listed as dropped

        page.get_by_role("button", name="Simpan keputusan").click()
        expect(page.get_by_text("Tuliskan alasan keputusan.")).to_be_visible()
        page.get_by_label(re.compile("^Alasan keputusan")).fill(
            "Tim Penilai menilai keberlanjutan inovasi ini lebih kuat dalam sidang pleno."
        )
        page.get_by_role("button", name="Simpan keputusan").click()
        expect(page.get_by_role("status")).to_contain_text("Keputusan TOP N disimpan.")
        saved = page.get_by_role("region", name="Keputusan tersimpan")
        expect(saved).to_contain_text("Berbeda dari peringkat")
        expect(saved.locator(".hash code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        expect(saved).to_contain_text("Terverifikasi")
        assert_accessible(page)
        screenshot(page, "admin-nomination-saved")

        # The demo's 2021 announcement window is long past; announcing moves into it, so the
        # organising team first gives it a new end (a window never opens already closed).
        deciding.api(
            f"/api/v1/competitions/{cid}",
            method="PATCH",
            body={
                "stages": [
                    {
                        "key": "announcement",
                        "ends_at": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
                    }
                ]
            },
            token=deciding.token("admin@demo.kipp.id"),
        )
        page.get_by_role("navigation", name="Menu kompetisi").get_by_role(
            "link", name="Pengumuman"
        ).click()
        page.get_by_role("button", name="Umumkan").click()
        page.get_by_role("dialog").get_by_role("button", name="Umumkan").click()
        expect(page.get_by_role("status").filter(has_text="Hasil diumumkan.")).to_be_visible()
        results = page.get_by_role("region", name="Hasil yang diumumkan")
        expect(results.locator("ol.top > li")).to_have_count(7)
        expect(results.locator("ol.top > li").nth(5)).to_contain_text(eighth)
        # The objection period has just begun: finalising is refused, and the page says why.
        results.get_by_role("button", name="Tetapkan hasil final").click()
        page.get_by_role("dialog").get_by_role("button", name="Tetapkan hasil final").click()
        expect(results.get_by_role("alert")).to_be_visible()
        assert_accessible(page)
        screenshot(page, "admin-announcement")


def test_an_import_dry_run_previews_before_anything_is_written(page: Page) -> None:
    login(page, "admin@demo.kipp.id")
    page.get_by_role("navigation", name="Menu Tim Pelaksana").get_by_role(
        "link", name="Impor & ekspor"
    ).click()
    expect(page.get_by_role("heading", name="Impor dan ekspor", level=1)).to_be_visible()
    page.get_by_label("Jenis data").select_option("agencies")
    page.get_by_label("Berkas CSV atau JSON").set_input_files(str(EXAMPLES / "agencies.csv"))
    # Importing is possible only after a clean dry run.
    expect(page.get_by_role("button", name="Impor", exact=True)).to_be_disabled()
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.get_by_role("heading", name="Hasil uji coba: agencies.csv")).to_be_visible()
    counts = page.locator("dl.counts")
    expect(counts.locator(".count").filter(has_text="Tetap").locator("dd")).to_have_text("10")
    expect(page.get_by_role("button", name="Impor", exact=True)).to_be_enabled()
    assert_accessible(page)
    screenshot(page, "admin-imports")

    # A broken file: every refused row is listed with its column, and nothing can be imported.
    page.get_by_label("Berkas CSV atau JSON").set_input_files(
        files=[
            {
                "name": "rusak.csv",
                "mimeType": "text/csv",
                "buffer": b"code,name\nDLH,\n,Tanpa Kode\n",
            }
        ]
    )
    page.get_by_role("button", name="Periksa (uji coba)").click()
    errors = page.get_by_role("table", name="Kesalahan per baris")
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("1")
    expect(page.get_by_role("button", name="Impor", exact=True)).to_be_disabled()
    screenshot(page, "admin-imports-errors")


def test_an_import_refused_on_commit_shows_its_counts_and_rows(page: Page, server: Server) -> None:
    """The file was clean at the dry run, but its agency is gone when it is imported: the server
    refuses it (422) and still counts the valid rows; the page shows both."""
    admin = server.token("admin@demo.kipp.id")
    code = f"E2E{uuid.uuid4().hex[:5].upper()}"
    agency = server.api(
        "/api/v1/agencies",
        method="POST",
        body={"code": code, "name": "Badan Sementara"},
        token=admin,
    )
    email = f"e2e-import-{uuid.uuid4().hex[:8]}@demo.kipp.id"
    csv = (
        "email,full_name,role,agency_code,password\n"
        f"{email},Inovator Impor,innovator,{code},rahasia-e2e-123\n"
        "juri1@demo.kipp.id,Kepala Diskominfo SP,judge,DISKOMINFOSP,\n"
    ).encode()

    login(page, "admin@demo.kipp.id")
    page.goto("/admin/imports")
    page.get_by_label("Jenis data").select_option("users")
    page.get_by_label("Berkas CSV atau JSON").set_input_files(
        files=[{"name": "pengguna.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.get_by_text("Tidak ada kesalahan. Tekan Impor untuk menyimpan.")).to_be_visible()

    server.api(f"/api/v1/agencies/{agency['id']}", method="DELETE", token=admin)
    page.get_by_role("button", name="Impor", exact=True).click()
    expect(page.get_by_role("heading", name="Hasil impor")).to_be_visible()
    done = page.locator(".outcome").last
    expect(done.locator(".alert-error")).to_have_text(
        "1 kesalahan: tidak ada data yang ditulis. Perbaiki berkas lalu periksa lagi."
    )
    expect(
        done.get_by_text("Angka di bawah ini berlaku setelah semua kesalahan diperbaiki.")
    ).to_be_visible()
    counts = done.locator("dl.counts")
    expect(counts.locator(".count").filter(has_text="Tetap").locator("dd")).to_have_text("1")
    expect(counts.locator(".count").filter(has_text="Kesalahan").locator("dd")).to_have_text("1")
    errors = done.get_by_role("table", name="Kesalahan per baris")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first).to_contain_text("agency_code")
    assert_accessible(page)
    screenshot(page, "admin-imports-refused")
    emails = [u["email"] for u in server.api("/api/v1/users?limit=500", token=admin)["items"]]
    assert email not in emails  # nothing written


def test_the_audit_log_filters_and_verifies(page: Page, server: Server) -> None:
    login(page, "admin@demo.kipp.id")
    page.goto("/admin/audit")
    expect(page.get_by_role("heading", name="Log audit", level=1)).to_be_visible()
    page.get_by_role("button", name="Verifikasi rantai").click()
    expect(page.get_by_text(re.compile(r"Rantai utuh: \d+ catatan diperiksa\."))).to_be_visible()

    events = page.locator("ol.events > li")
    # Each event one compact row: a sentence with names, never a whole record as JSON.
    expect(events.first.locator(".sentence")).not_to_contain_text("{")
    page.get_by_label("Tindakan").select_option("demo.simulate_judging")
    page.get_by_role("button", name="Terapkan saringan").click()
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text(f"mensimulasikan penilaian demo di {DEMO_2021}")
    page.get_by_label("Tindakan").select_option("innovation.administrative_review")
    page.get_by_role("button", name="Terapkan saringan").click()
    expect(events.first).to_contain_text("seleksi administrasi")
    changes = events.first.locator("details")
    changes.locator("summary").click()
    expect(changes).to_contain_text("Status ")
    expect(changes).to_contain_text("terkirim")
    expect(changes).not_to_contain_text("statuses")
    page.get_by_role("button", name="Hapus saringan").click()
    expect(page.get_by_text(re.compile(r"^1–25 dari \d+ catatan$"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-audit")
    if page.viewport_size and page.viewport_size["width"] > 1000:
        page.set_viewport_size({"width": 1366, "height": 800})
        screenshot(page, "admin-audit-1366")


# ---- Conflicts of interest, scoresheets per innovation, the tabs on a phone


def _submitted_proposal(server: Server, title: str) -> tuple[int, int]:
    """A proposal submitted to the open (current-year) competition: (competition id, innovation id)."""
    token = server.token("inovator.dlh@demo.kipp.id")
    competitions = server.api("/api/v1/competitions")["items"]
    competition = next(c for c in competitions if c["current_stage"] == "submission")
    sections = {
        s["key"]: "Isi bagian untuk uji ujung ke ujung."
        for s in competition["proposal_template"]["sections"]
        if "umum" in s["groups"]
    }
    created = server.api(
        f"/api/v1/competitions/{competition['id']}/innovations",
        method="POST",
        body={"title": title, "group": "umum", "started_on": "2019-01-01", "sections": sections},
        token=token,
    )
    server.api(f"/api/v1/innovations/{created['id']}/submit", method="POST", token=token)
    return int(competition["id"]), int(created["id"])


def test_conflicts_are_listed_filtered_and_recorded(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    title = f"Posyandu Digital {uuid.uuid4().hex[:6]}"
    open_cid, _ = _submitted_proposal(server, title)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}")
    page.get_by_role("navigation", name="Menu kompetisi").get_by_role(
        "link", name="Konflik kepentingan"
    ).click()
    expect(page.get_by_role("heading", name="Konflik kepentingan", level=1)).to_be_visible()
    listing = page.get_by_role("region", name="Daftar konflik")
    # The demo panel: heads of agencies that also submit, so automatic conflicts.
    expect(listing.locator("li.conflict").first).to_contain_text("Otomatis: OPD sendiri")
    listing.get_by_label("Juri", exact=True).select_option(label="Kepala Dinas Lingkungan Hidup")
    items = listing.locator("li.conflict")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Gersipah")).to_contain_text(
        "Inovasi dari perangkat daerah juri sendiri (DLH)."
    )
    assert_accessible(page)
    screenshot(page, "admin-conflicts")

    # Every assignment of 2021 is scored final: the server refuses, and says why.
    form = page.get_by_role("region", name="Catat konflik kepentingan")
    form.get_by_label("Inovasi").select_option(label="Go Pasar Indah (DP2KUKM)")
    form.get_by_label("Juri", exact=True).select_option(
        label="Kepala Bappelitbangda (BAPPELITBANGDA)"
    )
    form.get_by_role("button", name="Catat konflik").click()
    expect(form.get_by_text("Tuliskan alasannya.")).to_be_visible()
    form.get_by_label("Alasan").fill("Juri pernah menjadi pembina tim inovasi ini.")
    form.get_by_role("button", name="Catat konflik").click()
    expect(form.get_by_role("alert")).to_contain_text(
        "Lembar nilai inovasi ini sudah final; minta tim penyelenggara membukanya kembali"
    )

    # In the open competition a newly submitted proposal takes one.
    page.goto(f"/admin/competitions/{open_cid}/conflicts")
    form.get_by_label("Inovasi").select_option(label=f"{title} (DLH)")
    form.get_by_label("Juri", exact=True).select_option(
        label="Kepala Bappelitbangda (BAPPELITBANGDA)"
    )
    form.get_by_label("Alasan").fill("Juri pernah menjadi pembina tim inovasi ini.")
    form.get_by_role("button", name="Catat konflik").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Konflik kepentingan Kepala Bappelitbangda pada “{title}” dicatat."
    )
    recorded = (
        listing.locator("li.conflict")
        .filter(has_text=title)
        .filter(has_text="Kepala Bappelitbangda")
    )
    expect(recorded).to_contain_text("Dicatat Tim Pelaksana")
    expect(recorded).to_contain_text("Juri pernah menjadi pembina tim inovasi ini.")
    expect(recorded).to_contain_text("WITA")
    assert_accessible(page)
    screenshot(page, "admin-conflicts-recorded")


def test_scoresheets_of_an_innovation_and_the_reopen_refusal(page: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(page, "admin@demo.kipp.id")
    page.goto(f"/admin/competitions/{cid}/ranking")
    table = page.get_by_role("table", name="Peringkat menurut Efek juri (terkalibrasi)")
    first = table.locator("tbody tr").first.get_by_role("link")
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(rf"/admin/competitions/{cid}/scores\?i=\d+$"))
    sheets = page.get_by_role("region", name=re.compile(f"^{re.escape(title)}"))
    expect(sheets).to_contain_text(re.compile(r"\d+ dari \d+ juri sudah final"))
    cards = sheets.locator("li.sheet.final")
    expect(cards.first.get_by_role("table")).to_contain_text("Kebaruan (25%)")
    expect(cards.first).to_contain_text("Nilai total")
    expect(sheets).to_contain_text("sekarang tahap Penetapan nominasi")
    assert_accessible(page)
    screenshot(page, "admin-scoresheets")

    # Reopening needs the presentation stage: the server's 409 is shown in the form.
    cards.first.get_by_role("button", name="Buka kembali").click()
    reason = cards.first.get_by_label("Alasan membuka kembali")
    expect(reason).to_be_focused()
    reason.fill("Juri salah memasukkan nilai kebaruan.")
    cards.first.get_by_role("button", name="Buka kembali lembar nilai").click()
    expect(cards.first.get_by_role("alert")).to_contain_text("Langkah ini tidak diizinkan sekarang")
    expect(cards.first.get_by_role("alert")).to_contain_text(
        "hanya dapat dibuka kembali pada tahapan Presentasi dan penilaian"
    )
    expect(cards.first.locator(".badge")).to_have_text("Final")
    assert_accessible(page)
    screenshot(page, "admin-scoresheets-409")

    # Another innovation from the picker: a judge of its own agency is listed as a conflict.
    page.get_by_label("Inovasi", exact=True).select_option(label="Sim B (DLH)")
    other = page.get_by_role("region", name=re.compile("^Sim B"))
    expect(other.get_by_role("heading", name=re.compile("^Sim B"), level=2)).to_be_focused()
    expect(other.locator("li.sheet.conflict")).to_contain_text("Kepala Dinas Lingkungan Hidup")


def test_the_competition_tabs_show_there_are_more_on_a_phone(phone: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(phone, "admin@demo.kipp.id")
    phone.goto(f"/admin/competitions/{cid}")
    tabs = phone.get_by_role("navigation", name="Menu kompetisi")
    last = tabs.get_by_role("link", name="Pengumuman")
    expect(tabs.get_by_role("link", name="Ringkasan")).to_be_in_viewport()
    expect(last).not_to_be_in_viewport()
    more = phone.locator(".tabs-arrow.after")
    expect(more).to_be_visible()
    expect(phone.locator(".tabs-arrow.before")).to_have_count(0)
    screenshot(phone, "admin-tabs")

    more.click()
    expect(phone.locator(".tabs-arrow.before")).to_be_visible()
    # A tab further on, opened from the list: it is scrolled into view on its own screen.
    phone.goto(f"/admin/competitions/{cid}/announcement")
    current = tabs.locator("a.current")
    expect(current).to_have_text("Pengumuman")
    box = current.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    expect(phone.locator(".tabs-arrow.before")).to_be_visible()
    # Keyboard users get every tab by Tab, each scrolled into view when focused.
    tabs.get_by_role("link", name="Ringkasan").focus()
    expect(tabs.get_by_role("link", name="Ringkasan")).to_be_in_viewport()
    assert_accessible(phone)


def test_choosing_the_open_proposal_again_moves_focus_to_it(desktop: Page, server: Server) -> None:
    cid = _competition_id(server, DEMO_2021)
    login(desktop, "admin@demo.kipp.id")
    desktop.goto(f"/admin/competitions/{cid}/review")
    link = desktop.get_by_role("link", name=re.compile("^Sim B"))
    link.click()
    heading = desktop.locator("article").get_by_role("heading", name="Sim B", level=2)
    expect(heading).to_be_focused()
    link.focus()
    expect(heading).not_to_be_focused()
    link.click()
    expect(heading).to_be_focused()
    link.focus()
    desktop.keyboard.press("Enter")
    expect(heading).to_be_focused()
