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
LEVELS: Final = ("kabupaten", "provinsi", "nasional")
AGGREGATION_METHODS: Final = ("mean", "trimmed_mean", "median", "zscore", "judge_effects")

_COMMON_GROUPS = ["umum", "khusus"]
_ALL_GROUPS = ["umum", "replikasi", "khusus"]


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
            {"key": key, "title": title, "max_words": limit, "required": True, "groups": groups}
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
    rows = [
        ("kebaruan", "Kebaruan", "Seberapa baru gagasan dan pendekatannya", 25),
        ("efektivitas", "Efektivitas", "Seberapa efektif menyelesaikan masalah pelayanan", 20),
        ("kemanfaatan", "Kemanfaatan", "Manfaat nyata bagi masyarakat dan penerima layanan", 20),
        ("kemudahan_replikasi", "Kemudahan replikasi", "Dapat diterapkan di tempat lain", 15),
        ("keberlanjutan", "Keberlanjutan", "Dukungan kebijakan, anggaran dan kelembagaan", 10),
        ("penguasaan_materi", "Penguasaan materi", "Kualitas pemaparan dan tanya jawab", 10),
    ]
    return [
        {
            "key": key,
            "name": name,
            "description": description,
            "weight": float(weight),
            "min_score": 1,
            "max_score": 10,
        }
        for key, name, description, weight in rows
    ]
