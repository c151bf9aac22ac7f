"""Word counting "as a person would count" — the same rule as the SPA's ``countWords``.

Split on whitespace; a token is a word when it holds at least one letter or digit, so
"e-KTP" and "1.250" are one word each and a lone "-" or "—" is none. Keep this identical to
``frontend/src/composables/useWordCount.ts``: the limit the innovator sees while typing must be
the limit the readiness check enforces.
"""

from __future__ import annotations

import re
import unicodedata

# JavaScript's ``\s`` exactly (Python's ``str.split()`` differs on U+001C–U+001F, U+0085
# and U+FEFF), so the server and the browser split the same text into the same tokens.
_JS_WHITESPACE = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)


def is_word(token: str) -> bool:
    """Whether ``token`` holds a letter or a digit (Unicode categories L* and N*)."""
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def count_words(text: str | None) -> int:
    """The number of words in ``text`` (0 for None or blank text)."""
    if not text:
        return 0
    return sum(1 for token in _JS_WHITESPACE.split(text) if is_word(token))
