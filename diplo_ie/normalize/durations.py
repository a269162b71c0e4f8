"""Durations of calls: "hơn 50 phút" -> 50, "một tiếng rưỡi" -> 90, "1h30" -> 90."""

from __future__ import annotations

import re

from diplo_ie.core.schema import DurationValue
from diplo_ie.normalize.numbers import NUMBER_WORDS_RE, words_to_int
from diplo_ie.normalize.text import fold

QUALIFIERS = ("gần như", "xấp xỉ", "ít nhất", "hơn", "gần", "khoảng", "chừng", "trên")

_NUM = rf"(?:\d+(?:[.,]\d+)?|nửa|{NUMBER_WORDS_RE})"
_HOUR = r"(?:giờ|tiếng)(?:\s+đồng\s+hồ)?"
# One regex, every part optional only after a mandatory number + unit, so matching stays linear.
DURATION = re.compile(
    rf"(?<!\w)(?:(?P<qual>{'|'.join(QUALIFIERS)})\s+)?"
    # "h" abbreviates hours after digits only: after a number word it is a word's last letter ("chín|h").
    rf"(?:(?:(?P<h>{_NUM})\s*{_HOUR}|(?P<hd>\d+(?:[.,]\d+)?)\s*h(?=\d|\s|'|$))(?:\s+(?P<half>rưỡi))?"
    rf"(?:\s*(?P<hm>\d+|{NUMBER_WORDS_RE})\s*(?:phút|')?)?"
    rf"|(?P<m>{_NUM})\s+phút)(?!\w)"
)
_CLOCK_BEFORE = re.compile(r"(?:lúc|vào lúc)\s*$")
_CLOCK_AFTER = re.compile(r"\s*(?:sáng|trưa|chiều|tối|đêm|khuya|ngày|hôm)(?!\w)")


def minutes_to_iso(minutes: int) -> str:
    """ISO 8601 duration: 75 -> "PT1H15M", 60 -> "PT1H", 0 -> "PT0M"."""
    hours, mins = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def _number(token: str | None) -> float | None:
    if token is None:
        return None
    if token == "nửa":
        return 0.5
    if token[0].isdigit():
        return float(token.replace(",", "."))
    value = words_to_int(token)
    return None if value is None else float(value)


def _minutes(m: re.Match[str]) -> float | None:
    if m.group("m") is not None:
        return _number(m.group("m"))
    hours = _number(m.group("h") or m.group("hd"))
    if hours is None:
        return None
    total = hours * 60 + (30 if m.group("half") else 0)
    if m.group("hm") is not None:
        extra = _number(m.group("hm"))
        if extra is None or extra >= 60:
            return None
        total += extra
    return total


def parse_duration(text: str) -> DurationValue | None:
    """First duration in ``text``; ``text`` of the result is the input, stripped. Never raises."""
    if not isinstance(text, str) or not text.strip():
        return None
    folded = fold(text)
    for m in DURATION.finditer(folded):
        # "lúc 9 giờ sáng" is a clock time, not a length of time.
        before = _CLOCK_BEFORE.search(folded, max(0, m.start() - 12), m.start())
        if before or _CLOCK_AFTER.match(folded, m.end()):
            continue
        minutes = _minutes(m)
        if minutes is None or minutes <= 0:
            continue
        return DurationValue(text.strip(), round(minutes), minutes_to_iso(round(minutes)), m.group("qual"))
    return None
