"""Text folding shared by the normalizers."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """NFC + lower case, with non-breaking spaces made plain: same length is NOT guaranteed."""
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").lower()


def strip_diacritics(text: str) -> str:
    """ASCII-ish key for Latin names: "Erdoğan" -> "erdogan", "Đô-nan" -> "do-nan"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
