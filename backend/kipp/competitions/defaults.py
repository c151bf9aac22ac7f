"""Defaults every new competition starts from (KIPP 2021/22 form, PermenPANRB 91/2021)."""

from __future__ import annotations

from typing import Any, Final

STAGE_KEYS: Final = ("submission", "administrative", "presentation", "nomination", "announcement")

STAGE_NAMES: Final = {
    "submission": "Pengajuan proposal inovasi",
    "administrative": "Seleksi administrasi",
    "presentation": "Pemaparan proposal inovasi",
    "nomination": "Sidang penentuan nominasi",
    "announcement": "Pengumuman",
}

GROUPS: Final = ("umum", "replikasi", "khusus")
ORIGINS: Final = ("latpim", "latsar", "other")
LEVELS: Final = ("kabupaten", "kota", "provinsi", "kementerian", "nasional")
AGGREGATION_METHODS: Final = ("mean", "trimmed_mean", "median", "zscore", "judge_effects")

_COMMON_GROUPS = ["umum", "khusus"]
_ALL_GROUPS = ["umum", "replikasi", "khusus"]
# What the public summary of an eligible innovation shows: what it is and why it matters,
# enough for an informed objection; the rest stays with the team, the organisers and the panel.
_PUBLIC_SECTIONS = frozenset({"ringkasan", "ide_inovatif", "signifikansi", "kontribusi_tpb"})


def default_proposal_template() -> dict[str, Any]:
    sections = [
        ("ringkasan", "Ringkasan", 200, _ALL_GROUPS),
        ("ide_inovatif", "Ide Inovatif", 600, _COMMON_GROUPS),
        ("signifikansi", "Signifikansi", 600, _ALL_GROUPS),
        ("kontribusi_tpb", "Kontribusi terhadap TPB (SDGs)", 200, _ALL_GROUPS),
        ("adaptabilitas", "Adaptabilitas", 400, _ALL_GROUPS),
        ("keberlanjutan", "Keberlanjutan", 600, _ALL_GROUPS),
        ("kolaborasi", "Kolaborasi Pemangku Kepentingan", 200, _ALL_GROUPS),
        ("inspirasi", "Inspirasi", 100, ["replikasi"]),
        ("proses_replikasi", "Proses Replikasi", 200, ["replikasi"]),
        ("faktor_pembeda", "Faktor Pembeda", 100, ["replikasi"]),
    ]
    return {
        "sections": [
            {
                "key": key,
                "title": title,
                "max_words": limit,
                "required": True,
                "groups": groups,
                "public": key in _PUBLIC_SECTIONS,
            }
            for key, title, limit, groups in sections
        ],
        "min_age_years": {"umum": 2, "replikasi": 1, "khusus": 2},
        "required_attachments": 0,
    }


def default_admin_checklist() -> list[dict[str, str]]:
    return [
        {"key": "proposal_complete", "label": "Semua bagian proposal terisi"},
        {"key": "word_limits", "label": "Jumlah kata sesuai batas"},
        {"key": "min_age", "label": "Usia inovasi memenuhi syarat minimal"},
        {"key": "evidence", "label": "Bukti dukung (dokumen/foto/video) tersedia"},
        {"key": "agency_endorsement", "label": "Disetujui kepala perangkat daerah"},
    ]


def default_criteria() -> list[dict[str, Any]]:
    # key, name, description, weight, what 1 means, what 10 means
    rows = [
        (
            "kebaruan",
            "Kebaruan",
            "Seberapa baru gagasan dan pendekatannya",
            25,
            "Meniru praktik yang sudah umum tanpa perubahan berarti",
            "Gagasan orisinal, belum pernah diterapkan di pelayanan serupa",
        ),
        (
            "efektivitas",
            "Efektivitas",
            "Seberapa efektif menyelesaikan masalah pelayanan",
            20,
            "Tidak ada bukti masalah pelayanan berkurang",
            "Masalah terselesaikan, dibuktikan dengan data sebelum dan sesudah",
        ),
        (
            "kemanfaatan",
            "Kemanfaatan",
            "Manfaat nyata bagi masyarakat dan penerima layanan",
            20,
            "Manfaat belum terasa atau hanya bagi internal instansi",
            "Manfaat luas dan terukur bagi masyarakat, termasuk kelompok rentan",
        ),
        (
            "kemudahan_replikasi",
            "Kemudahan replikasi",
            "Dapat diterapkan di tempat lain",
            15,
            "Bergantung pada kondisi khusus, sulit diterapkan di tempat lain",
            "Sudah atau mudah direplikasi, dengan panduan dan biaya yang jelas",
        ),
        (
            "keberlanjutan",
            "Keberlanjutan",
            "Dukungan kebijakan, anggaran dan kelembagaan",
            10,
            "Belum ada dasar hukum, anggaran maupun pengelola tetap",
            "Diatur dalam kebijakan, dianggarkan rutin dan dikelola unit tetap",
        ),
        (
            "penguasaan_materi",
            "Penguasaan materi",
            "Kualitas pemaparan dan tanya jawab",
            10,
            "Pemaparan tidak runtut, pertanyaan tidak terjawab",
            "Pemaparan jelas dan meyakinkan, semua pertanyaan terjawab dengan data",
        ),
    ]
    return [
        {
            "key": key,
            "name": name,
            "description": description,
            "low_means": low_means,
            "high_means": high_means,
            "weight": float(weight),
            "min_score": 1,
            "max_score": 10,
        }
        for key, name, description, weight, low_means, high_means in rows
    ]
