"""Sentence boundaries with exact character offsets."""

from __future__ import annotations

import re

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) before whitespace and an
# upper-case letter, digit or opening quote, or at a line break. Dates like "15.11" and initials like
# "V.Putin" never match because no whitespace follows the dot.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["”’)\]]*\s+(?=[A-ZÀ-Ỹ0-9"“‘(\[])|\n+""")


# A single capital before the dot is a name's initial ("George W. Bush", "H.R. McMaster", "Donald J. Trump"),
# not a sentence's end.
_INITIAL = re.compile(r"(?:^|[\s.])[^\W\d_]\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text``, stripped of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        head = text[max(0, m.start() - 3) : m.start()]
        if "\n" not in m[0] and _INITIAL.search(head) and head[-2].isupper():
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
