"""Sentence boundaries with exact character offsets."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) before whitespace and an
# upper-case letter, digit or opening quote, or at a line break. Dates like "15.11" and initials like
# "V.Putin" never match because no whitespace follows the dot; spaced initials and abbreviations ("TP. Hà
# Nội") are told apart by the word the dot closes.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["”’)\]]*\s+(?=[A-ZÀ-Ỹ0-9"“‘(\[])|\n+""")

ABBREVIATIONS_FILE = "data/abbreviations.txt"
# A name's initial is a Latin capital ("George W. Bush", "H.R. McMaster", "ông Đ."); "Á" (Asia) and "Ý"
# (Italy) are words that end sentences ("ở Đông Nam Á. Ông ...").
_INITIALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")


@cache
def abbreviations() -> frozenset[str]:
    """The words whose dot ends no sentence: those of ``diplo_ie/data/abbreviations.txt``, and initials."""
    text = resources.files("diplo_ie").joinpath(ABBREVIATIONS_FILE).read_text(encoding="utf-8")
    return _INITIALS | {s for s in map(str.strip, text.splitlines()) if s and not s.startswith("#")}


@cache
def _word_before_dot() -> re.Pattern[str]:
    longest = max(map(len, abbreviations()))
    return re.compile(rf"(?<![^\W\d_])([^\W\d_]{{1,{longest}}})\.$")


def _abbreviated(text: str, end: int) -> bool:
    """Whether the dot just before ``end`` closes an initial or an abbreviation ("TP. Hà Nội")."""
    word = _word_before_dot().search(text, max(0, end - 64), end)
    return word is not None and word[1] in abbreviations()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text``, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m[0] and _abbreviated(text, m.start()):
            continue
        _append_stripped(text, pos, m.start(), spans)
        pos = m.end()
    _append_stripped(text, pos, len(text), spans)
    return spans


def _append_stripped(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def sentence_index(sentences: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing ``offset`` (the nearest preceding one between sentences)."""
    idx = 0
    for i, (start, _end) in enumerate(sentences):
        if start <= offset:
            idx = i
        else:
            break
    return idx
