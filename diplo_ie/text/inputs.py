"""Checks on user input before extraction: clear messages instead of tracebacks or silent garbage."""

from __future__ import annotations

import datetime as dt
import re

from diplo_ie.core.errors import InputError

# Letters that only Vietnamese (among languages written in Latin script) uses this densely.
_VI_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
_WORD = re.compile(r"\w+")
MIN_CHARS_FOR_LANGUAGE_CHECK = 40
MIN_VIETNAMESE_RATIO = 0.08
# Relative dates ("năm ngoái", "tuần tới") are resolved by date arithmetic around the publication date, so it
# must leave a year on either side of the calendar's ends.
EARLIEST_PUBLISHED = dt.date(2, 1, 1)
LATEST_PUBLISHED = dt.date(9998, 12, 31)


def vietnamese_ratio(text: str) -> float:
    """Share of letters that carry Vietnamese diacritics (about 0.3 in news text, near 0 in English)."""
    letters = [c for c in text.casefold() if c.isalpha()]
    return sum(c in _VI_LETTERS for c in letters) / len(letters) if letters else 0.0


def decode_bytes(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (invalid byte at position {exc.start})") from None


def check_type(text: object, source: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"{source}: text must be a string, got {type(text).__name__}")
    return text


def check_text(text: object, source: str) -> str:
    """Return ``text`` if it can be processed, else raise :class:`InputError` naming ``source``.

    Give it text already cleaned of HTML: markup would count against the language check."""
    check_type(text, source)
    if not _WORD.search(text):
        raise InputError(f"{source}: empty text")
    if len(text) >= MIN_CHARS_FOR_LANGUAGE_CHECK and vietnamese_ratio(text) < MIN_VIETNAMESE_RATIO:
        raise InputError(
            f"{source}: the text does not look like Vietnamese "
            f"({vietnamese_ratio(text):.0%} of letters carry Vietnamese diacritics)"
        )
    return text


def parse_published(value: object, source: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) of a publication date given as a ``date``/``datetime`` or an ISO 8601
    string (a date, or a date and time: "2024-11-16T08:30:00+07:00"); :class:`InputError` for anything else,
    including strings with trailing text ("2024-11-16garbage") and dates outside years 2 to 9998."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        try:
            date = dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            raise InputError(f"{source}: published must be a date like 2024-11-16, got {value!r}") from None
    else:
        raise InputError(f"{source}: published must be a date string or a date, got {type(value).__name__}")
    if not EARLIEST_PUBLISHED <= date <= LATEST_PUBLISHED:
        raise InputError(
            f"{source}: published must lie between {EARLIEST_PUBLISHED} and {LATEST_PUBLISHED}, got {date}"
        )
    return date.isoformat()
