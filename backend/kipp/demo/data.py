"""The demo's facts, from the 2021 news article on KIPP Kabupaten Luwu Utara."""

from __future__ import annotations

from typing import Final

DEMO_EMAIL_DOMAIN: Final = "demo.kipp.id"
# For the demo only: anyone who reads the README knows it.
DEMO_PASSWORD: Final = "kipp-demo-2021"
DEMO_ADMIN_EMAIL: Final = f"admin@{DEMO_EMAIL_DOMAIN}"
# The organising team of Luwu Utara (an organiser: the admin's work, in its organisation only).
DEMO_ORGANISER_EMAIL: Final = f"panitia@{DEMO_EMAIL_DOMAIN}"
# The demo's home organisation: the default one (id 1), named for Luwu Utara.
HOME_ORGANISATION: Final = {
    "slug": "luwu-utara",
    "name": "Pemerintah Kabupaten Luwu Utara",
    "level": "kabupaten",
    "region": "Kabupaten Luwu Utara",
}

AGENCIES: Final = [
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DP2KUKM", "Dinas Perdagangan, Perindustrian, Koperasi dan UKM"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DISPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata"),
    ("DISTAN", "Dinas Pertanian"),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan"),
    ("DINKES", "Dinas Kesehatan"),
    ("BAPPELITBANGDA", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"),
    ("DISKOMINFOSP", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
]

# The article's list (it numbers two entries "6": there are 19).
INNOVATIONS: Final = [
    ("Si Mira Bersantai", "DPMPTSP"),
    ("Go Pasar Indah", "DP2KUKM"),
    ("Gersipah", "DLH"),
    ("Sim B", "DLH"),
    ("Si Sahra", "DISPORAPAR"),
    ("Si Mas Daring", "DISTAN"),
    ("Sister Rina", "DISTAN"),
    ("Pentasital", "DISTAN"),
    ("Sikamase", "DISDIKBUD"),
    ("Japri Ka Boss", "DISDIKBUD"),
    ("Kejar Bayi Ta", "DINKES"),
    ("Desa Sehat Mandiri", "DINKES"),
    ("Sidora Emang", "DINKES"),
    ("Kelas Buby", "DINKES"),
    ("Pugalu Sip", "BAPPELITBANGDA"),
    ("Si Modis Lutra", "DISKOMINFOSP"),
    ("Kampung Berdaya", "DPMD"),
    ("Restuku Dahsyat", "DPMD"),
    ("Kawasan Pedesaan Terintegrasi", "DPMD"),
]

# The 2019 panel were heads of agencies that also submit innovations: the common case.
JUDGES: Final = [
    ("juri1", "Kepala Diskominfo SP", "DISKOMINFOSP"),
    ("juri2", "Kepala Bappelitbangda", "BAPPELITBANGDA"),
    ("juri3", "Kepala Dinas Kesehatan", "DINKES"),
    ("juri4", "Kepala Dinas Pendidikan dan Kebudayaan", "DISDIKBUD"),
    ("juri5", "Kepala Dinas Lingkungan Hidup", "DLH"),
    ("juri6", "Kepala DPMPTSP", "DPMPTSP"),
]

COMPETITION_2021: Final = {
    "name": "KIPP Kabupaten Luwu Utara 2021",
    "year": 2021,
    "level": "kabupaten",
    "region": "Kabupaten Luwu Utara",
    "timezone": "Asia/Makassar",
    "top_n": 7,
    "description": (
        "Kompetisi Inovasi Pelayanan Publik Kabupaten Luwu Utara 2021: 19 inovasi dari "
        "perangkat daerah berebut TOP 7 (Bagian Organisasi dan Tim Pelaksana Warkop Indah)."
    ),
}

# Said plainly wherever the demo shows scores: they are generated, not the real panel's.
SIMULATED_SCORES_NOTE: Final = (
    " DEMO: semua nilai juri di kompetisi ini adalah simulasi (angka acak yang dapat diulang), "
    "bukan penilaian Tim Penilai yang sebenarnya. / All judge scores in this competition are "
    "simulated (reproducible pseudo-random numbers), not the real panel's."
)
SIMULATION_SEED: Final = 2021
SIMULATED_SCORE_COMMENT: Final = "Nilai simulasi untuk demo, bukan penilaian juri sebenarnya."


def current_competition(year: int) -> dict[str, object]:
    """The demo's competition of the current year: open for proposals, nothing submitted."""
    return {
        "name": f"KIPP Kabupaten Luwu Utara {year}",
        "year": year,
        "level": "kabupaten",
        "region": "Kabupaten Luwu Utara",
        "timezone": "Asia/Makassar",
        "top_n": 7,
        "description": (
            f"Kompetisi Inovasi Pelayanan Publik Kabupaten Luwu Utara {year}: pengajuan proposal "
            "sedang dibuka. Demo: coba setiap peran dari awal."
        ),
    }


# Stage lengths of the current-year competition after its submission window (days).
CURRENT_STAGE_DAYS: Final = [
    ("administrative", 14),
    ("presentation", 14),
    ("nomination", 7),
    ("announcement", 14),
]

# The article's weeks, local time (WITA): (stage, first day, day after the last day).
STAGES_2021: Final = [
    ("submission", "2021-10-11", "2021-11-01"),  # minggu II–IV Oktober
    ("administrative", "2021-11-01", "2021-11-15"),  # minggu I–II November
    ("presentation", "2021-11-15", "2021-12-01"),  # minggu III–IV November
    ("nomination", "2021-12-01", "2021-12-08"),  # minggu I Desember
    ("announcement", "2021-12-08", "2021-12-15"),  # minggu II Desember
]

# The presentations (pemaparan): four mornings in weeks III–IV of November 2021.
SCHEDULE_DAYS_2021: Final = (16, 18, 23, 25)  # Tuesdays and Thursdays
SCHEDULE_PLACE_2021: Final = "Aula Kantor Bupati Luwu Utara, Masamba"


def email_for(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


def innovator_email(agency_code: str) -> str:
    return email_for(f"inovator.{agency_code.lower()}")


def agency_admin_email(agency_code: str) -> str:
    return email_for(f"admin.{agency_code.lower()}")


# The province that Luwu Utara's competition feeds (issue 12: one deployment, many organisers).
SULSEL: Final = {
    "slug": "sulsel",
    "name": "Pemerintah Provinsi Sulawesi Selatan",
    "level": "provinsi",
    "region": "Provinsi Sulawesi Selatan",
}
SULSEL_ORGANISER: Final = ("panitia.sulsel", "Panitia KIPP Provinsi Sulawesi Selatan")
SULSEL_JUDGES: Final = [
    ("juri.sulsel1", "Juri Provinsi Sulawesi Selatan 1"),
    ("juri.sulsel2", "Juri Provinsi Sulawesi Selatan 2"),
    ("juri.sulsel3", "Juri Provinsi Sulawesi Selatan 3"),
]
PROVINCE_2021: Final = {
    "name": "KIPP Provinsi Sulawesi Selatan 2021",
    "year": 2021,
    "level": "provinsi",
    "region": "Provinsi Sulawesi Selatan",
    "timezone": "Asia/Makassar",
    "top_n": 10,
    "description": (
        "Kompetisi Inovasi Pelayanan Publik tingkat Provinsi Sulawesi Selatan. DEMO: menerima "
        "TOP 7 KIPP Kabupaten Luwu Utara 2021 — TOP 7 hasil perhitungan dari nilai simulasi "
        "lomba itu, yang sendiri masih berada pada tahapan nominasi. / Receives the TOP 7 of "
        "Luwu Utara 2021 as computed from that competition's simulated scores."
    ),
}
# When the demo decided Luwu Utara's TOP 7 for the province (the manifest's time, so its
# SHA-256 is the same on every run).
PROMOTED_AT_2021: Final = "2021-12-08"
