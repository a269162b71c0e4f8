"""One canonical form for input text, so the same article gives the same events however it was encoded.

Copy-paste, CMSs and scrapers change text in ways a reader never sees: Windows (CRLF) or old-Mac (CR) line
endings, decomposed diacritics (NFD, common from macOS), non-breaking and other Unicode spaces (``&nbsp;``),
zero-width characters and soft hyphens inside words, lone surrogates from ``surrogateescape`` decoding. The
model was trained on none of these, and they silently cut names, dates and sentences. :func:`canonical_edits`
turns them into the plain form (``\\n``, NFC, ``" "``, nothing, U+FFFD) as
:class:`~diplo_ie.text.offsets.Edit` lists, so every offset still maps back to the input as given.
"""

from __future__ import annotations

import re
import unicodedata

from diplo_ie.text.offsets import Edit, EditedText

# Line breaks of other systems and Unicode's line/paragraph separators: the sentence splitter and the
# boilerplate filter work on "\n".
_LINE_BREAK = "\r\n|[\r\x0b\x0c\x85\u2028\u2029]"
# Unicode space separators (category Zs) other than the ASCII space.
_SPACE = "[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# Invisible format characters that sit inside words: soft hyphen, zero-width space/joiners, direction marks
# and embeddings, word joiner and invisible operators, byte order mark, interlinear annotation controls.
_INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
# Control characters other than tab and the line breaks above: never article text.
_CONTROL = "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
_SURROGATE = "[\ud800-\udfff]"
_ODD = re.compile(
    f"(?P<line>{_LINE_BREAK})|(?P<space>{_SPACE}|{_CONTROL})|(?P<invisible>{_INVISIBLE})|(?P<bad>{_SURROGATE})"
)
_REPLACEMENT = {"line": "\n", "space": " ", "invisible": "", "bad": "\ufffd"}
_NON_SPACE = re.compile(r"\S+")


def character_edits(text: str) -> list[Edit]:
    """Line breaks to ``\\n``, Unicode spaces and controls to ``" "``, invisible characters removed, lone
    surrogates to U+FFFD."""
    return [Edit(m.start(), m.end(), _REPLACEMENT[m.lastgroup or ""]) for m in _ODD.finditer(text)]


def nfc_edits(text: str) -> list[Edit]:
    """Edits that turn ``text`` into its NFC form, each as small as a base character and its marks."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits: list[Edit] = []
    # Nothing composes across whitespace, so words are normalized one at a time.
    for word in _NON_SPACE.finditer(text):
        if not unicodedata.is_normalized("NFC", word.group()):
            edits += _word_nfc_edits(word.group(), word.start())
    return edits


def _word_nfc_edits(word: str, offset: int) -> list[Edit]:
    # A base character and the combining marks after it normally compose on their own; where they do not
    # (Hangul jamo, composition across a base), the whole word becomes one edit.
    clusters, start = [], 0
    for i in range(1, len(word) + 1):
        if i == len(word) or unicodedata.combining(word[i]) == 0:
            clusters.append((start, i, unicodedata.normalize("NFC", word[start:i])))
            start = i
    whole = unicodedata.normalize("NFC", word)
    if "".join(c for _, _, c in clusters) != whole:
        return [Edit(offset, offset + len(word), whole)]
    return [Edit(offset + s, offset + e, c) for s, e, c in clusters if word[s:e] != c]


def canonicalize(text: EditedText) -> EditedText:
    """``text`` in canonical form: :func:`character_edits`, then :func:`nfc_edits` (removing a zero-width
    character can bring a base and its marks together)."""
    text = text.edit(character_edits(text.text))
    return text.edit(nfc_edits(text.text))
