"""Document preparation: boilerplate removal with an exact offset map, word segmentation, datelines.

Scraped articles carry rating widgets, comment boxes, share buttons, view counters, page-timing footers and
sometimes raw HTML. :func:`clean_text` removes them, brings the text to one canonical form
(:mod:`diplo_ie.text.canonical`) and keeps, for every character it returns, the span of the input it came
from, so spans predicted on the clean text map back onto the original article.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from diplo_ie.text.canonical import canonicalize
from diplo_ie.text.inputs import EARLIEST_PUBLISHED, LATEST_PUBLISHED
from diplo_ie.text.offsets import Edit, EditedText
from diplo_ie.text.sentences import split_sentences

# Whole lines that are site furniture, never article text (matched after stripping, case-insensitively).
_BOILERPLATE_LINES = re.compile(
    r"(?:bài viết hay\?\s*hãy đánh giá bài viết|user image|user|ý kiến(?: bạn đọc)?|bình luận|gửi bình luận"
    r"|chia sẻ|share|facebook|twitter|zalo|tweet|email|in bài|copy link|lưu|bản in|•?\s*từ khóa"
    r"|\d[\d.,]*\s*lượt xem|[\d.]+\s*sec\s*\|\s*[\d.]+\s*kb|\S+\.(?:png|jpe?g|gif|webp)|•)",
    re.IGNORECASE,
)
_SKIP_BLOCK = re.compile(r"<(script|style)\b", re.IGNORECASE)
# Bounded tag length keeps the scan linear on text full of stray "<".
_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,2000}>")
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|h[1-6]|tr|section|article)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,10});")


@dataclass(frozen=True)
class CleanText:
    """Cleaned text; ``text[i]`` stands for ``original[starts[i]:ends[i]]`` (one character, or the whole of a
    decoded entity, a block tag, a CRLF, a decomposed letter with its marks)."""

    text: str
    original: str
    starts: Sequence[int]
    ends: Sequence[int]

    def to_original(self, offset: int) -> int:
        """Original offset of clean ``offset``; ``len(text)`` maps to the end of the last kept character."""
        if offset < len(self.starts):
            return self.starts[offset]
        return self.ends[-1] if self.ends else 0

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) covering the clean span ``text[start:end]``."""
        if end <= start:
            pos = self.to_original(start)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def sentence_to_original(self, offset: int) -> tuple[int, int]:
        """Original (start, end) of the clean sentence holding clean ``offset`` (the nearest one before it
        between sentences)."""
        index = max(bisect.bisect_right(self._sentence_starts, offset) - 1, 0)
        return self.span_to_original(*self._sentences[index]) if self._sentences else (0, 0)

    # Split once per text: a long article has many events, each asking for its sentence.
    @cached_property
    def _sentences(self) -> list[tuple[int, int]]:
        return split_sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self._sentences]


def _html_edits(raw: str) -> list[Edit]:
    edits: list[Edit] = []
    lowered: str | None = None  # computed once, on the first <script>/<style>, to keep the scan linear
    pos = 0
    while pos < len(raw):
        lt = raw.find("<", pos)
        amp = raw.find("&", pos)
        if lt < 0 and amp < 0:
            break
        if amp >= 0 and (lt < 0 or amp < lt):
            entity = _ENTITY.match(raw, amp)
            if entity:
                edits.append(Edit(amp, entity.end(), html.unescape(entity.group())))
                pos = entity.end()
            else:
                pos = amp + 1
            continue
        block = _SKIP_BLOCK.match(raw, lt)
        if block:  # drop script/style content up to its closing tag (or the end)
            lowered = raw.lower() if lowered is None else lowered
            close = lowered.find(f"</{block.group(1).lower()}", lt)
            tag_end = raw.find(">", close) if close >= 0 else -1
            end = tag_end + 1 if tag_end >= 0 else len(raw)
            edits.append(Edit(lt, end, ""))
            pos = end
            continue
        tag = _TAG.match(raw, lt)
        if tag:
            edits.append(Edit(lt, tag.end(), "\n" if _BLOCK_TAG.match(raw, lt) else ""))
            pos = tag.end()
        else:
            pos = lt + 1
    return edits


def _line_edits(text: str) -> list[Edit]:
    """Drop boilerplate lines and collapse runs of blank lines to one."""
    edits: list[Edit] = []
    pos = 0
    previous_blank = False
    for line in text.splitlines(keepends=True):
        content = line.strip()
        blank = not content
        if (content and _BOILERPLATE_LINES.fullmatch(content)) or (blank and previous_blank):
            edits.append(Edit(pos, pos + len(line), ""))
        else:
            previous_blank = blank
        pos += len(line)
    return edits


def clean_text(raw: str) -> CleanText:
    """Remove HTML and scraped boilerplate from ``raw`` and bring it to canonical form
    (:mod:`diplo_ie.text.canonical`), keeping an exact map back to its offsets."""
    edited = EditedText(raw)
    if "<" in raw or "&" in raw:
        edited = edited.edit(_html_edits(raw))
    edited = canonicalize(edited)
    edited = edited.edit(_line_edits(edited.text))
    mapping = edited.offset_map()
    return CleanText(edited.text, raw, mapping.starts, mapping.ends)


def segment_words(text: str) -> list[tuple[int, int]]:
    """Word spans from underthesea's ``word_tokenize`` ("Thủ tướng" is one word), exact offsets into ``text``.

    Tokens are aligned syllable by syllable, so a token the tokenizer alters is skipped, never misplaced.
    """
    from underthesea import word_tokenize  # heavy import: only when segmentation is asked for

    spans: list[tuple[int, int]] = []
    pos = 0
    for token in word_tokenize(text):
        start = end = -1
        cursor = pos
        for syllable in token.split():
            found = text.find(syllable, cursor)
            if found < 0 or text[cursor:found].strip():
                start = -1
                break
            start = found if start < 0 else start
            end = cursor = found + len(syllable)
        if start >= 0:
            spans.append((start, end))
            pos = end
    return spans


_DATE = r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
_TIME = r"\d{1,2}[:h]\d{2}(?::\d{2})?"
_DATELINES = (
    re.compile(r"(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ\s*nhật|cn)\s*,?\s*(?:ngày\s*)?" + _DATE, re.I),
    re.compile(_TIME + r"\s*(?:[|,-]\s*)?(?:ngày\s*)?" + _DATE, re.I),
    re.compile(
        r"(?:cập nhật|ngày đăng|đăng|xuất bản)\s*(?:lúc|:)?\s*(?:"
        + _TIME
        + r")?\s*(?:ngày\s*)?,?\s*"
        + _DATE,
        re.I,
    ),
    re.compile(_DATE + r"\s*(?:[|,-]\s*)?" + _TIME, re.I),
)
# The article's own dateline sits near the top; later ones belong to related-article lists.
DATELINE_WINDOW = 1000


def find_dateline(text: str) -> dt.date | None:
    """Publication date from a dateline near the top: "Thứ 6, 31/12/2021 | 00:00:00", "11:13 | 15/01/2025".

    Like a given ``published``, it must lie between :data:`EARLIEST_PUBLISHED` and :data:`LATEST_PUBLISHED`:
    relative dates are resolved around it."""
    head = text[:DATELINE_WINDOW]
    best: tuple[int, dt.date] | None = None
    for pattern in _DATELINES:
        for m in pattern.finditer(head):
            try:
                date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            if not EARLIEST_PUBLISHED <= date <= LATEST_PUBLISHED:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), date)
            break
    return best[1] if best else None
