"""Text folding shared by the normalizers."""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
# An open syllable ending in "oa", "oe" or "uy" ("qu" excepted: "quý") carries its tone on the second vowel
# in the older spelling ("hoà", "khoẻ", "Thuỵ Sĩ") and on the first in the newer ("hòa", "khỏe", "Thụy Sĩ").
_OLD_TONE = re.compile(
    r"(?<![qQ])(?P<first>[oO])(?P<second>[aAeE][" + _TONES + r"])(?!\w)"
    r"|(?<![qQ])(?P<first2>[uU])(?P<second2>[yY][" + _TONES + r"])(?!\w)"
)


def _newer(m: re.Match[str]) -> str:
    first, second = (m["first"], m["second"]) if m["first"] else (m["first2"], m["second2"])
    return unicodedata.normalize("NFC", first + second[1] + second[0])


def same_tones(text: str) -> str:
    """``text`` with the tone of "oa", "oe", "uy" ending a syllable placed the newer way ("Thuỵ Sĩ" ->
    "Thụy Sĩ"), so both spellings match one lexicon entry. NFC in, NFC out, same length."""
    decomposed = unicodedata.normalize("NFD", text)
    if not any(c in _TONES for c in decomposed):
        return text
    return unicodedata.normalize("NFC", _OLD_TONE.sub(_newer, decomposed))


def fold(text: str) -> str:
    """NFC, lower case, tones placed one way, plain spaces: same length is NOT guaranteed."""
    return same_tones(unicodedata.normalize("NFC", text).replace("\u00a0", " ").lower())


def strip_diacritics(text: str) -> str:
    """ASCII-ish key for Latin names: "Erdoğan" -> "erdogan", "Đô-nan" -> "do-nan"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
