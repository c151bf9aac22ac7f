"""The audit log as sentences: pure, no database; one case per action kind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kipp.audit import sentences
from kipp.audit.sentences import EventFacts


def facts(
    action: str,
    entity_type: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: str | None = "Tim Pelaksana",
    label: str | None = "KIPP Kabupaten Luwu Utara 2021",
) -> EventFacts:
    return EventFacts(action, entity_type, 7, actor, label, before, after)


CASES = [
    (
        facts("agency.create", "agency", label="Dinas Kesehatan"),
        "Tim Pelaksana menambahkan perangkat daerah Dinas Kesehatan",
        "Tim Pelaksana added the agency Dinas Kesehatan",
    ),
    (
        facts("agency.update", "agency", label="DLH"),
        "Tim Pelaksana mengubah perangkat daerah DLH",
        "Tim Pelaksana changed the agency DLH",
    ),
    (
        facts("agency.delete", "agency", label="DLH"),
        "Tim Pelaksana menghapus perangkat daerah DLH",
        "Tim Pelaksana deleted the agency DLH",
    ),
    (
        facts("user.create", "user", label="Andi"),
        "Tim Pelaksana membuat akun Andi",
        "Tim Pelaksana created the account of Andi",
    ),
    (
        facts("user.update", "user", label="Andi"),
        "Tim Pelaksana mengubah akun Andi",
        "Tim Pelaksana changed the account of Andi",
    ),
    (
        facts("user.unlock", "user", label="Andi"),
        "Tim Pelaksana membuka kunci akun Andi",
        "Tim Pelaksana unlocked the account of Andi",
    ),
    (
        facts("competition.create", "competition"),
        "Tim Pelaksana membuat kompetisi KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana created the competition KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("competition.update", "competition"),
        "Tim Pelaksana mengubah pengaturan KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana changed the settings of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts(
            "competition.advance",
            "competition",
            before={"current_stage": "administrative"},
            after={"current_stage": "presentation", "early": False},
        ),
        "Tim Pelaksana memindahkan KIPP Kabupaten Luwu Utara 2021 ke tahap Penilaian",
        "Tim Pelaksana moved KIPP Kabupaten Luwu Utara 2021 to the Scoring stage",
    ),
    (
        facts(
            "competition.advance",
            "competition",
            before={"current_stage": "presentation"},
            after={"current_stage": "nomination", "forced": True, "overridden": []},
        ),
        "Tim Pelaksana memindahkan KIPP Kabupaten Luwu Utara 2021 ke tahap Penentuan nominasi"
        " (dipaksakan)",
        "Tim Pelaksana moved KIPP Kabupaten Luwu Utara 2021 to the Nomination stage (forced)",
    ),
    (
        facts("competition.finalise", "competition"),
        "Tim Pelaksana menetapkan hasil akhir KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana finalised the results of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("attachment.create", "attachment", actor="Andi", label="bukti.pdf"),
        "Andi mengunggah bukti dukung bukti.pdf",
        "Andi uploaded the evidence bukti.pdf",
    ),
    (
        facts("attachment.delete", "attachment", actor="Andi", label="bukti.pdf"),
        "Andi menghapus bukti dukung bukti.pdf",
        "Andi deleted the evidence bukti.pdf",
    ),
    (
        facts("innovation.create", "innovation", actor="Andi", label="SIPAKATAU"),
        "Andi membuat proposal SIPAKATAU",
        "Andi created the proposal SIPAKATAU",
    ),
    (
        facts("innovation.update", "innovation", actor="Andi", label="SIPAKATAU"),
        "Andi mengubah proposal SIPAKATAU",
        "Andi changed the proposal SIPAKATAU",
    ),
    (
        facts("innovation.submit", "innovation", actor="Andi", label="SIPAKATAU"),
        "Andi mengirim proposal SIPAKATAU",
        "Andi submitted the proposal SIPAKATAU",
    ),
    (
        facts("innovation.withdraw", "innovation", actor="Andi", label="SIPAKATAU"),
        "Andi menarik proposal SIPAKATAU",
        "Andi withdrew the proposal SIPAKATAU",
    ),
    (
        facts(
            "innovation.administrative_review",
            "innovation",
            label="SIPAKATAU",
            before={"status": "submitted"},
            after={"status": "ineligible"},
        ),
        "Tim Pelaksana menyatakan SIPAKATAU tidak lolos administrasi pada seleksi administrasi",
        "Tim Pelaksana found SIPAKATAU ineligible in the administrative selection",
    ),
    (
        facts("innovation.win", "innovation", label="SIPAKATAU"),
        "Tim Pelaksana menetapkan SIPAKATAU sebagai pemenang",
        "Tim Pelaksana declared SIPAKATAU a winner",
    ),
    (
        facts(
            "innovation.status.bulk", "innovation", after={"statuses": {"1": "nominated", "2": "x"}}
        ),
        "Tim Pelaksana mengubah status 2 proposal di KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana changed the status of 2 proposal(s) in KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("import.users", "import", after={"created": 3, "updated": 1}, label=None),
        "Tim Pelaksana mengimpor akun: 3 baru, 1 diubah",
        "Tim Pelaksana imported accounts: 3 new, 1 changed",
    ),
    (
        facts(
            "objection.file",
            "objection",
            actor=None,
            label="SIPAKATAU",
            after={"innovation_id": 1, "name": "Warga"},
        ),
        "Warga mengajukan keberatan atas SIPAKATAU",
        "Warga filed an objection to SIPAKATAU",
    ),
    (
        facts("nomination.save", "nomination"),
        "Tim Pelaksana mencatat keputusan TOP N KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana recorded the TOP N decision of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("nomination.replace", "nomination"),
        "Tim Pelaksana mengganti keputusan TOP N KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana replaced the TOP N decision of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("scoresheet.save", "scoresheet", actor="Juri", label="SIPAKATAU"),
        "Juri menyimpan lembar nilai untuk SIPAKATAU",
        "Juri saved the scoresheet for SIPAKATAU",
    ),
    (
        facts("scoresheet.submit", "scoresheet", actor="Juri", label="SIPAKATAU"),
        "Juri memfinalkan lembar nilai untuk SIPAKATAU",
        "Juri made the scoresheet for SIPAKATAU final",
    ),
    (
        facts("scoresheet.reopen", "scoresheet", label="SIPAKATAU"),
        "Tim Pelaksana membuka kembali lembar nilai untuk SIPAKATAU",
        "Tim Pelaksana reopened the scoresheet for SIPAKATAU",
    ),
    (
        facts("rubric.update", "competition"),
        "Tim Pelaksana mengubah rubrik penilaian KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana changed the scoring rubric of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("panel.update", "competition"),
        "Tim Pelaksana mengubah panel juri KIPP Kabupaten Luwu Utara 2021",
        "Tim Pelaksana changed the judge panel of KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("conflict.create", "conflict_of_interest", actor="Juri", label="SIPAKATAU"),
        "Juri mencatat konflik kepentingan atas SIPAKATAU",
        "Juri recorded a conflict of interest on SIPAKATAU",
    ),
    (
        facts("demo.simulate_judging", "competition", actor=None),
        "Sistem mensimulasikan penilaian demo di KIPP Kabupaten Luwu Utara 2021",
        "The system simulated the demo judging in KIPP Kabupaten Luwu Utara 2021",
    ),
    (
        facts("something.new", "thing", label=None),
        "Tim Pelaksana: something.new pada thing #7",
        "Tim Pelaksana: something.new on thing #7",
    ),
]


@pytest.mark.parametrize(
    ("event", "indonesian", "english"), CASES, ids=lambda c: getattr(c, "action", "")
)
def test_each_action_reads_as_a_sentence_in_both_languages(
    event: EventFacts, indonesian: str, english: str
) -> None:
    text = sentences.sentence(event)
    assert (text.id, text.en) == (indonesian, english)


def test_a_deleted_object_is_named_by_its_kind_and_id() -> None:
    text = sentences.sentence(facts("agency.delete", "agency", label=None))
    assert text.en == "Tim Pelaksana deleted the agency agency #7"
    assert sentences.object_text(facts("x", "innovation", label=None)).id == "proposal #7"


def test_only_changed_fields_with_labels_and_readable_values() -> None:
    event = facts(
        "competition.advance",
        "competition",
        before={"current_stage": "presentation", "windows": {"presentation": {"ends_at": "A"}}},
        after={
            "current_stage": "nomination",
            "early": True,
            "forced": True,
            "overridden": [{"code": "scoresheets_missing"}],
            "windows": {"presentation": {"ends_at": "B"}},
        },
    )
    changes = [(c.field, c.label.id, c.before, c.after) for c in sentences.changes(event)]
    assert [c[0] for c in changes] == [
        "current_stage",
        "windows.presentation.ends_at",
        "early",
        "forced",
    ]
    assert changes[0][1:] == (
        "Tahap",
        sentences.STAGE_LABELS["presentation"],
        sentences.STAGE_LABELS["nomination"],
    )
    assert changes[1][1:] == ("Jadwal Penilaian: berakhir", "A", "B")
    assert sentences.field_label("windows.presentation.ends_at").en == "Scoring Window: ends"


def test_a_whole_record_is_not_repeated_and_long_texts_are_cut() -> None:
    created = facts("innovation.create", "innovation", after={"title": "X", "team": [1, 2]})
    assert sentences.changes(created) == []
    long = "kata " * 100
    edited = facts(
        "innovation.update",
        "innovation",
        before={"sections": {"ringkasan": "lama"}, "title": "Sama"},
        after={"sections": {"ringkasan": long}, "title": "Sama"},
    )
    (change,) = sentences.changes(edited)
    assert change.field == "sections.ringkasan" and change.label.id == "Bagian ringkasan"
    assert isinstance(change.after, str) and len(change.after) == 200
    assert change.after.endswith("…")


def test_keyed_lists_compare_per_key_and_booleans_read_as_words() -> None:
    event = facts(
        "competition.update",
        "competition",
        before={"published": False, "stages": [{"key": "submission", "ends_at": "A"}]},
        after={"published": True, "stages": [{"key": "submission", "ends_at": "B"}]},
    )
    changes = {c.field: c for c in sentences.changes(event)}
    assert set(changes) == {"published", "stages.submission.ends_at"}
    published = changes["published"]
    assert (published.before, published.after) == (
        sentences.value_text("published", False),
        sentences.value_text("published", True),
    )
    assert sentences.value_text("x", True) == sentences.Msg(id="ya", en="yes")


def test_a_bulk_decision_counts_and_names_each_proposal() -> None:
    event = EventFacts(
        "innovation.administrative_review",
        "innovation",
        None,
        "Tim Pelaksana",
        "KIPP Kabupaten Luwu Utara 2021",
        {"statuses": {"1": "submitted", "2": "submitted"}},
        {"statuses": {"1": "eligible", "2": "ineligible"}},
        titles={1: "SIPAKATAU"},
    )
    assert sentences.sentence(event).id == (
        "Tim Pelaksana memutuskan seleksi administrasi 2 proposal di KIPP Kabupaten Luwu Utara 2021"
    )
    first, second = sentences.changes(event)
    assert first.label.id == "Status SIPAKATAU"
    assert (first.before, first.after) == (
        sentences.STATUS_LABELS["submitted"],
        sentences.STATUS_LABELS["eligible"],
    )
    assert second.label.en == "Status of proposal 2"


def test_every_action_the_code_records_reads_as_its_own_sentence() -> None:
    """No event falls back to "{actor}: {action} on {object}": each action written anywhere in
    the backend (``action="…"``) has its sentence."""
    root = Path(sentences.__file__).resolve().parents[1]
    recorded = {
        match
        for path in root.rglob("*.py")
        for match in re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text())
    }
    assert "competition.advance" in recorded and len(recorded) > 20
    fallback = sentences.sentence(facts("no.such.action", "competition")).en
    assert "no.such.action" in fallback
    missing = sorted(
        action
        for action in recorded
        if not action.startswith("import.")
        and action in sentences.sentence(facts(action, "user", label="Ani")).en
    )
    assert missing == []
