"""Date values of DATE spans, with "cùng ngày", "một ngày sau" and "hôm đó" resolved against the day of the
story told so far, and, in an article that gives no year, "tháng trước" against the latest day it tells of."""

from __future__ import annotations

import datetime as dt
import re

from diplo_ie.core.schema import DateValue, Span
from diplo_ie.normalize import parse_date
from diplo_ie.normalize.dates import SAME_DAY, is_ahead, split_day_list, story_offset
from diplo_ie.text.sentences import sentence_index, split_sentences

_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# A dateline: a place and a date opening a line, then the agency and a dash ("CAI-RÔ, 19-5 -", "Hà Nội, 15/4
# (TTXVN) -").
_DATELINE_HEAD = re.compile(r"(?P<place>[^\n.!?,]{1,40}),\s*[^\n,]+")
_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,20}\))?\s*[-–—]")
# "một ngày sau khi ông thắng cử": counted from an event, not from a date of the story.
_AFTER_EVENT = re.compile(r"\s+khi(?!\w)")
# Reports of a call may come out a day "early" across time zones ("tối 13/7 theo giờ Washington").
SLACK = dt.timedelta(days=1)
# What an article's present resolves when the article gives no year: months ("tháng trước"). Its days ("hôm
# qua") follow the latest day told in some articles and precede it by one in others, and annotators leave most
# unresolved: resolving them too turned 57 more training events wrong, net.
_FROM_PRESENT = frozenset({"month"})
_YEARLESS_DAY = re.compile(r"XXXX-(\d\d)-(\d\d)")
# How far after a day its restatement in another time zone comes, in characters.
_RESTATEMENT_REACH = 80
# The Vietnam-time restatement of a call told in the callers' time ("tức rạng sáng 10/10 giờ Việt Nam"). A
# local time alone ("rạng sáng 16/11 (giờ địa phương)") marks no restatement: the day before may be another
# call.
VIETNAM_TIME = re.compile(r"giờ\s+(?:Việt\s+Nam|Hà\s+Nội|VN)\b", re.IGNORECASE)


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is a dateline's, which dates the report, not a story it tells."""
    head = _DATELINE_HEAD.fullmatch(text, text.rfind("\n", 0, start) + 1, end)  # the place may be in the span
    return bool(
        head and all(w[0].isupper() for w in head["place"].split()) and _DATELINE_END.match(text, end)
    )


def date_values(span: Span, anchor: dt.date | None) -> list[DateValue]:
    """The date values of a DATE span; a list of days ("ngày 28 và 31/1") gives one value per day."""
    values = []
    for part in split_day_list(span.text):
        parsed = parse_date(part, anchor)
        if parsed is not None:
            values.append(DateValue(span.text, parsed.value, parsed.granularity, span.start, span.end))
    return values or [DateValue(span.text, None, None, span.start, span.end)]


class DateResolver:
    """Dates in text order, so "cùng ngày" can borrow the value of a day mentioned before it.

    "Cùng ngày" refers to the day of the main story, which is the latest day mentioned so far (days still to
    come excepted: "tổng tuyển cử vào ngày 8-1 tới. Cùng ngày, ..."); earlier days before it are flashbacks
    ("Ngày 3/2, ... Trước đó, ngày 28 và 31/1, ... Cùng ngày, ..." → 3/2).
    """

    def __init__(
        self,
        spans: list[Span],
        anchor: dt.date | None,
        text: str = "",
        anchor_bound: bool = False,
        present: bool = True,
        sentences: list[tuple[int, int]] | None = None,
    ):
        self._anchor = anchor
        self._text = text
        # the caller's split where it has one: assembly splits every article once
        self._sentences = sentences if sentences is not None else split_sentences(text) if text else []
        self._bound = anchor_bound
        # Publication stamps ("Thứ Tư, 06:15, 06/03/2024", related-article times) and datelines ("CAI-RÔ, 19-5
        # -") date the page, not a story.
        dated = sorted(
            (
                (s.start, v)
                for s in spans
                if s.label == "DATE" and not _CLOCK.search(s.text) and not is_dateline(text, s.start, s.end)
                for v in self._own_values(s)
                if v.value
            ),
            key=lambda x: x[0],
        )
        # "tối 16/10 theo giờ địa phương, tức rạng sáng 17/10 giờ Việt Nam": the story's day is the first.
        self._dated = [
            (start, v)
            for i, (start, v) in enumerate(dated)
            if not (
                i and VIETNAM_TIME.search(v.text) and _day_apart(dated[i - 1][1], v, start - dated[i - 1][0])
            )
        ]
        # Without a year anywhere, the latest day told is the article's present (``present``: whether to
        # resolve against it).
        self._present = _latest_yearless_day(self._dated) if present and anchor is None else None

    def _own_values(self, span: Span) -> list[DateValue]:
        """The span's values; a day counted from the story's own day ("hôm nay", "hôm qua", "thứ Ba") has none
        when the anchor is only a lower bound of that day (the latest date the article gives)."""
        values = date_values(span, self._anchor)
        if self._bound and values[0].value and date_values(span, None)[0].value is None:
            return [DateValue(span.text, None, None, span.start, span.end)]
        return values

    def values(self, span: Span) -> list[DateValue]:
        values = self._own_values(span)
        if values[0].value is not None:
            return values
        offset = story_offset(span.text)
        if offset is not None and not _AFTER_EVENT.match(self._text, span.end):
            # Counted from the day told last before it: "Ngày 12/3, ... Một ngày sau, ..." -> 13/3.
            told = [(start, v) for start, v in self._dated if start < span.start and v.granularity == "day"]
            if offset == 0:  # "hôm đó" points back to a day just told, not to one of paragraphs before
                told = [(start, v) for start, v in told if self._sentences_apart(start, span.start) <= 1]
            shifted = _shift_day(told[-1][1].value or "", offset) if told else None
            if shifted is not None:
                return [DateValue(span.text, shifted, "day", span.start, span.end)]
        elif SAME_DAY.search(span.text):
            # Without an anchor every day counts, year-less ones ("XXXX-12-17") included.
            latest = (self._anchor + SLACK).isoformat() if self._anchor else None
            earlier = [
                v
                for start, v in self._dated
                if start < span.start
                and v.granularity == "day"
                and (latest is None or (v.value or "") <= latest)
                and not is_ahead(v.text)
            ]
            if earlier:
                ref = max(earlier, key=lambda v: v.value or "")
                return [DateValue(span.text, ref.value, ref.granularity, span.start, span.end)]
        elif self._present is not None:
            return self._from_present(span, self._present)
        return values

    def _sentences_apart(self, one: int, other: int) -> int:
        if not self._sentences:
            return 0
        return sentence_index(self._sentences, other) - sentence_index(self._sentences, one)

    def _from_present(self, span: Span, present: dt.date) -> list[DateValue]:
        """A month counted from the article's present ("tháng trước", "hồi đầu tháng này") in an article that
        gives no year: its present is the latest day it tells of, and the month comes out without a year."""
        parsed = parse_date(span.text, present)
        if parsed is None or parsed.value is None or parsed.granularity not in _FROM_PRESENT:
            return [DateValue(span.text, None, None, span.start, span.end)]
        return [DateValue(span.text, "XXXX" + parsed.value[4:], parsed.granularity, span.start, span.end)]


def _latest_yearless_day(dated: list[tuple[int, DateValue]]) -> dt.date | None:
    """The latest year-less day of ``dated`` ("XXXX-03-14"), in a leap year standing in for the unknown one;
    days to come ("ngày 8-1 tới") aside, and January and February after a December of the same article."""
    days = [
        (int(m[1]), int(m[2]))
        for _, v in dated
        if (m := _YEARLESS_DAY.fullmatch(v.value or "")) and not is_ahead(v.text)
    ]
    if not days:
        return None
    wraps = any(m == 12 for m, _ in days) and any(m <= 2 for m, _ in days)
    month, day = max(days, key=lambda md: (md[0] + 12 if wraps and md[0] <= 2 else md[0], md[1]))
    return dt.date(2000, month, day)


def _day_apart(before: DateValue, after: DateValue, distance: int) -> bool:
    """Whether ``after`` restates ``before`` a day later, close behind it (across time zones)."""
    if distance > _RESTATEMENT_REACH:
        return False
    return _shift_day(before.value or "", 1) == after.value


def _shift_day(value: str, days: int) -> str | None:
    """``value`` ("2024-03-12", or year-less "XXXX-03-12") moved by ``days``; None if it is no day."""
    yearless = value.startswith("XXXX-")
    try:  # a leap year stands in for the unknown one, so 29/2 stays a day
        day = dt.date.fromisoformat("2000" + value[4:] if yearless else value) + dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    return "XXXX" + day.isoformat()[4:] if yearless else day.isoformat()
