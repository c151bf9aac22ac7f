"""One plain paragraph on how the chosen method makes the ranking (pure text, id/en).

Shown above the ranking and at the top of the ranking export, so a panel member can follow
the ranking without a manual: no formulas, no statistical words. docs/judging.md is the
precise version.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["id", "en"]

_TOTALS = {
    "id": "Nilai setiap juri untuk satu inovasi lebih dulu dijadikan satu total dari 100, "
    "dengan bobot tiap kriteria.",
    "en": "Each judge's scores for an innovation are first turned into one total out of 100, "
    "using the weight of each criterion.",
}

_METHODS: dict[str, dict[Language, str]] = {
    "judge_effects": {
        "id": "Ada juri yang memberi semua inovasi nilai tinggi dan ada yang rendah; ada yang "
        "memakai seluruh rentang nilai dan ada yang memberi nilai yang berdekatan. Dengan "
        "membandingkan setiap juri dengan rekan-rekannya pada inovasi yang sama, KIPP "
        "memperkirakan seberapa murah atau pelit dan seberapa lebar rentang nilai setiap juri, "
        "mengubah setiap total menjadi nilai yang akan diberikan juri rata-rata di panel ini, "
        "lalu merata-ratakannya, dengan bobot sedikit lebih besar bagi juri yang jelas "
        "membedakan inovasi yang baik dan yang kurang. Juri yang baru menilai sedikit inovasi "
        "dianggap mendekati juri rata-rata. Hasilnya adalah skor dari 100.",
        "en": "Some judges score everyone high and others low; some use the whole scale and "
        "others keep everyone close together. By comparing each judge with the colleagues who "
        "scored the same innovations, KIPP estimates how generous or strict each judge is and "
        "how widely they spread their scores, turns every total into what an average judge of "
        "this panel would have given, and averages these, giving a little more weight to "
        "judges who clearly tell stronger and weaker innovations apart. A judge who scored only "
        "a few innovations is taken to be close to the average judge. The result is the score, "
        "out of 100.",
    },
    "zscore": {
        "id": "Setiap total dibandingkan dengan kebiasaan juri itu sendiri pada semua inovasi "
        "yang dinilainya: seberapa jauh di atas atau di bawah nilai biasanya. Posisi ini "
        "dirata-ratakan atas para jurinya, sehingga juri yang murah atau pelit nilai tidak "
        "menentukan hasil. Skor 0 berarti inovasi rata-rata; di atas 0 lebih baik.",
        "en": "Each total is compared with that judge's own habits over every innovation they "
        "scored: how far above or below their usual score it is. These positions are averaged "
        "over the innovation's judges, so generous or strict judges do not decide the result. "
        "A score of 0 is an average innovation; above 0 is better.",
    },
    "mean": {
        "id": "Skor inovasi adalah rata-rata biasa dari total para jurinya. Juri yang murah "
        "atau pelit nilai tidak dikoreksi.",
        "en": "An innovation's score is the plain average of its judges' totals. Generous or "
        "strict judges are not corrected for.",
    },
    "median": {
        "id": "Skor inovasi adalah total yang di tengah di antara total para jurinya (rata-rata "
        "dua yang di tengah bila jumlah juri genap), sehingga satu total yang sangat tinggi "
        "atau rendah hampir tidak berpengaruh. Juri yang murah atau pelit nilai tidak "
        "dikoreksi.",
        "en": "An innovation's score is the middle one of its judges' totals (the average of "
        "the middle two when the number of judges is even), so one unusually high or low "
        "total has little effect. Generous or strict judges are not corrected for.",
    },
    "trimmed_mean": {
        "id": "Seperlima total yang paling rendah dan seperlima yang paling tinggi dikesampingkan, "
        "lalu sisanya dirata-ratakan, sehingga satu total yang sangat tinggi atau rendah "
        "kurang berpengaruh. Juri yang murah atau pelit nilai tidak dikoreksi.",
        "en": "The lowest fifth and the highest fifth of an innovation's totals are set aside "
        "and the rest averaged, so one unusually high or low total has less effect. Generous "
        "or strict judges are not corrected for.",
    },
}

_TIES = {
    "id": "Skor yang sama dipisahkan dengan kriteria, mulai dari yang bobotnya terbesar.",
    "en": "Equal scores are separated by the criteria, the heaviest first.",
}

_CHANCE = {
    "id": "Peluang masuk TOP {n} menunjukkan seberapa yakin peringkat ini: KIPP mengulang "
    "penilaian panel {draws} kali, setiap kali menggeser nilai para juri sebesar keraguan yang "
    "tampak dari nilai mereka sendiri (termasuk kemungkinan seorang juri lebih murah atau lebih "
    "pelit untuk semua inovasi yang dinilainya), lalu menghitung berapa kali inovasi itu masuk "
    "TOP {n}. Peluang mendekati 1 berarti hampir pasti masuk; sekitar setengah berarti sedikit "
    "perbedaan penilaian bisa mengubah posisinya, dan panel sebaiknya membahasnya.",
    "en": "The chance of a TOP {n} place says how sure the ranking is: KIPP replays the "
    "panel's scoring {draws} times, each time shifting the judges' scores by as much as their "
    "own scores leave in doubt (including a judge being more generous or stricter with every "
    "innovation they scored), and counts how often the innovation lands in the TOP {n}. Close "
    "to 1 means almost certainly in; around a half means a small difference in scoring could "
    "move it, and the panel should discuss it.",
}


def _count(number: int, language: Language) -> str:
    text = f"{number:,}"
    return text.replace(",", ".") if language == "id" else text  # 1.000 in Indonesian


def explanation(*, method: str, top_n: int, draws: int, language: Language = "id") -> str:
    """The paragraph for ``method`` (a ``METHODS`` name) in ``language``."""
    return " ".join(
        [
            _TOTALS[language],
            _METHODS[method][language],
            _TIES[language],
            _CHANCE[language].format(n=top_n, draws=_count(draws, language)),
        ]
    )
