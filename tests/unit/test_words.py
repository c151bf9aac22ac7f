"""Word counting: the same cases as the SPA's useWordCount.spec.ts, and where Python differs."""

from __future__ import annotations

import pytest

from kipp.innovations.words import count_words, is_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("satu", 1),
        ("Inovasi pelayanan publik", 3),
        ("  spasi   ganda\n\nbaris baru\ttab ", 5),
        ("e-KTP dan sistem informasi terpadu-terintegrasi", 5),
        ("Dilayani 1.250 warga pada 2021", 5),
        ("Ringkasan — singkat , jelas !", 3),
        ("- - -", 0),
        ('(SDGs) "TPB" pelayanan.', 3),
        ("Waktu tunggu turun 50%", 4),
        ("Kabupaten Luwu Utara, Sulawesi Selatan.", 5),
    ],
)
def test_counts_as_the_spa_does(text: str, expected: int) -> None:
    assert count_words(text) == expected


def test_none_is_empty() -> None:
    assert count_words(None) == 0


def test_splits_on_exactly_javascripts_whitespace() -> None:
    # JavaScript's \s includes U+FEFF and the no-break spaces, but not U+001C–U+001F or U+0085,
    # which Python's str.split() would treat as whitespace.
    assert count_words("satu\ufeffdua\u00a0tiga\u3000empat\u202flima") == 5
    assert count_words("satu\x1cdua") == 1
    assert count_words("satu\x85dua") == 1
    assert count_words("satu\u200bdua") == 1  # zero-width space is not whitespace in either


def test_letters_and_digits_of_any_script_make_a_word() -> None:
    assert count_words("مرحبا 你好 Ωμέγα ٣") == 4
    assert is_word("2021") and is_word("e-KTP") and is_word("x.")
    assert not is_word("—") and not is_word("...") and not is_word("%")
