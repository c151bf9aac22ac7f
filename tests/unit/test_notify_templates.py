"""The letters of each event: both languages, the right link, dates where the competition is."""

from __future__ import annotations

from datetime import UTC, datetime

from kipp.notify import templates

CLOSES = datetime(2026, 10, 31, 9, 0, tzinfo=UTC)  # 17.00 in Makassar (UTC+8)


def test_dates_are_written_in_the_competition_time_zone() -> None:
    when = templates.format_when(CLOSES, "Asia/Makassar")
    assert when.id == "31 Oktober 2026 17.00 WITA"
    assert when.en == "31 October 2026 17:00 WITA"
    assert templates.format_when(CLOSES, "Asia/Jakarta").id == "31 Oktober 2026 16.00 WIB"
    assert templates.format_when(CLOSES, "UTC").en == "31 October 2026 09:00 UTC"


def test_every_letter_has_both_languages_and_a_link() -> None:
    letters = [
        templates.proposal_submitted(
            innovation_id=4, title="Si Cantik", competition_name="KIPP 2026", agency_name="DLH"
        ),
        templates.administrative_decision(
            innovation_id=4, title="Si Cantik", competition_name="KIPP 2026", passed=True, notes=""
        ),
        templates.judge_added(competition_name="KIPP 2026"),
        templates.scoring_opened(
            competition_name="KIPP 2026", closes_at=CLOSES, timezone="Asia/Makassar"
        ),
        templates.scoring_reminder(
            competition_name="KIPP 2026", closes_at=CLOSES, timezone="Asia/Makassar", unfinished=2
        ),
        templates.top_announced(
            competition_id=1, competition_name="KIPP 2026", top_n=2, titles=["A", "B"]
        ),
        templates.objection_received(
            competition_id=1, competition_name="KIPP 2026", innovation_title="A", objector="Warga"
        ),
        templates.objection_answered(
            competition_id=1, competition_name="KIPP 2026", innovation_title="A", answer="Ok."
        ),
        templates.sustainability_report_due(
            innovation_id=4, title="Si Cantik", competition_name="KIPP 2024", year=2025
        ),
        templates.sustainability_report_filed(
            competition_id=1, title="Si Cantik", agency_name="DLH", year=2025, running=True
        ),
        templates.innovation_replicated(
            innovation_id=4, title="ANC Hipnoterapi", adopter="Puskesmas Bone", name="Hypnogreen"
        ),
        templates.invitation(full_name="Andi", link="/set-password#token=x", days=7),
        templates.password_reset(full_name="Andi", link="/set-password#token=x", minutes=30),
    ]
    assert len({letter.kind for letter in letters}) == len(letters)
    for letter in letters:
        assert letter.subject.id and letter.subject.en and letter.subject.id != letter.subject.en
        assert letter.body.id != letter.body.en
        assert letter.link and letter.link.startswith("/")
        assert "{" not in letter.body.id + letter.body.en + letter.subject.id + letter.subject.en
    assert [letter.to_inbox for letter in letters[-2:]] == [False, False]


def test_a_failed_decision_lists_its_reasons_and_the_failed_items() -> None:
    letter = templates.administrative_decision(
        innovation_id=4,
        title="Si {Lambat}",  # braces in a title are text, never placeholders
        competition_name="KIPP 2026",
        passed=False,
        notes="Bukti dukung kurang.",
        failed_checks=["Surat pengantar"],
    )
    assert letter.subject.id == "Tidak lolos seleksi administrasi: Si {Lambat}"
    assert "Alasan:\nBukti dukung kurang." in letter.body.id
    assert "Reasons:\nBukti dukung kurang." in letter.body.en
    assert "- Surat pengantar" in letter.body.en
    assert letter.link == "/innovator/proposals/4"


def test_scoring_letters_give_the_closing_time_in_each_language() -> None:
    letter = templates.scoring_reminder(
        competition_name="KIPP 2026", closes_at=CLOSES, timezone="Asia/Makassar", unfinished=3
    )
    assert "31 Oktober 2026 17.00 WITA" in letter.subject.id
    assert "31 October 2026 17:00 WITA" in letter.body.en
    assert "3 of your scoresheets" in letter.body.en


def test_the_announcement_lists_the_top_n_in_order() -> None:
    letter = templates.top_announced(
        competition_id=9, competition_name="KIPP", top_n=2, titles=["Si Cantik", "Si Lambat"]
    )
    assert "1. Si Cantik\n2. Si Lambat" in letter.body.id
    assert letter.link == "/competitions/9"


def test_the_letters_after_the_award_name_the_year_and_the_replica() -> None:
    due = templates.sustainability_report_due(
        innovation_id=4, title="Si Cantik", competition_name="KIPP 2024", year=2025
    )
    assert due.subject.id == "Laporan keberlanjutan 2025 ditunggu: Si Cantik"
    assert due.link == "/innovator/proposals/4"
    stopped = templates.sustainability_report_filed(
        competition_id=1, title="Si Cantik", agency_name="DLH", year=2025, running=False
    )
    assert stopped.body.id == "DLH melaporkan bahwa «Si Cantik» pada tahun 2025 sudah berhenti."
    assert stopped.body.en == "DLH reports that “Si Cantik” was stopped in 2025."
    assert stopped.link == "/admin/competitions/1/sustainability"
    replicated = templates.innovation_replicated(
        innovation_id=4, title="ANC Hipnoterapi", adopter="Puskesmas Bone", name="Hypnogreen"
    )
    assert replicated.body.en == "Puskesmas Bone replicated “ANC Hipnoterapi” as “Hypnogreen”."
