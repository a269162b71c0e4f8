"""Vietnamese news date expressions to TIMEX3-style values.

``parse_date("chiều ngày 15/11", anchor="2024-11-16")``
-> ``DateValue(text="chiều ngày 15/11", value="2024-11-15", granularity="day")``.

Matchers are tried from the most to the least specific; the first that yields a date wins, so a bracketed
date beats the words around it ("thứ Ba (7/2)") and a full date beats a weekday ("Thứ 6, 31/12/2021").
Time of day and time-zone remarks ("tối 9.2 giờ Mỹ") never change the value. Dates without a year resolve
to the latest date not after the anchor (publication date) plus a small tolerance for time zones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from diplo_ie.core.schema import DateValue
from diplo_ie.normalize.numbers import NUMBER_WORDS_RE, words_to_int
from diplo_ie.normalize.text import fold

# A date a couple of days after publication is still "this" date: the source may be in another time zone
# or the publication timestamp may lag.
TOLERANCE = dt.timedelta(days=2)

_TOD = r"(?:rạng\s+sáng|sáng\s+sớm|sáng|trưa|chiều\s+tối|chiều|tối|đêm|khuya)"
_MONTH_WORDS: dict[str, int] = {
    "giêng": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
}
_MONTH_ALTERNATION = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_MONTH = r"(?P<mon>\d{1,2}|mười\s+một|mười\s+hai|" + _MONTH_ALTERNATION + r")"
_WEEKDAYS: dict[str, int] = {
    "hai": 0,
    "2": 0,
    "ba": 1,
    "3": 1,
    "tư": 2,
    "4": 2,
    "năm": 3,
    "5": 3,
    "sáu": 4,
    "6": 4,
    "bảy": 5,
    "bẩy": 5,
    "7": 5,
}
# Words after which "thứ N" is a weekday; elsewhere it is an ordinal ("lần thứ 3", "cuộc điện đàm thứ hai").
_WEEKDAY_CONTEXT = {
    "hôm",
    "ngày",
    "vào",
    "sáng",
    "trưa",
    "chiều",
    "tối",
    "đêm",
    "khuya",
    "hồi",
    "từ",
    "đến",
    "tới",
    "là",
    "sớm",
    "trước",
    "sau",
    "cho",
}
_YEAR_SHIFT = {"nay": 0, "ngoái": -1, "trước": -1, "tới": 1}

_SEP = r"(?P<sep>[/.-])"
_NUMERIC_DMY = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})" + _SEP + r"(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/-])"
)
_BRACKET_DM = re.compile(r"\(\s*(?P<d>\d{1,2})" + _SEP + r"(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}))?\s*\)")
_TEXT_DMY = re.compile(
    r"(?<!\w)(?P<d>\d{1,2})\s+tháng\s+" + _MONTH + r"(?!\w)(?:\s*(?:năm\s+|/)(?P<y>\d{4}|nay|ngoái))?"
)
# Papers write a month's year after "/", "-" or "." ("tháng 6-2019", "tháng 7.2021"); without "tháng" only a
# year of 19xx/20xx follows "-" or "." (a bare "5-2019"), so that scores and decimals stay no dates.
_MONTH_YEAR = re.compile(
    r"(?<!\w)(?:tháng\s+" + _MONTH + r"\s*(?:[/.-]|năm)\s*(?P<y>\d{4}|nay|ngoái|trước)"
    r"|(?<![\d/.-])(?P<mon2>\d{1,2})(?:/(?P<y2>\d{4})|[.-](?P<y3>(?:19|20)\d{2})))(?![\d/]|[.-]\d)"
)
_NUMERIC_DM = re.compile(
    r"(?<![\d/.,-])(?P<d>\d{1,2})" + _SEP + r"(?P<m>\d{1,2})(?![\d/-]|\.\d|,\d)"
    r"(?:\s+năm\s+(?P<y>\d{4}|nay|ngoái))?"
)
# A dotted pair is a date only after a date word ("sáng 20.11"); otherwise "1.5 giờ" would be 1 May.
_DATE_WORD_BEFORE = re.compile(r"(?:ngày|hôm|hồi|vào|mùng|mồng|" + _TOD + r")\s*$")
_MUNG = re.compile(r"(?<!\w)(?:mùng|mồng)\s+(?P<d>\d{1,2})(?!\w)")
_WEEKDAY = re.compile(
    r"(?<!\w)(?:thứ\s+(?P<wd>hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|(?P<sun>chủ\s+nhật|cn))(?!\w)"
    r"(?:\s+tuần\s+(?P<week>trước|qua|này|tới|sau))?"
)
_RELATIVE_DAY = re.compile(
    r"(?<!\w)(?:(?P<tod>" + _TOD + r")\s+)?(?P<ngay>ngày\s+)?(?P<hom>hôm\s+)?(?P<rel>nay|qua|kia|mai)(?!\w)"
)
_AGO = re.compile(
    r"(?<!\w)(?:(?P<cach>cách\s+đây)\s+)?(?P<n>\d{1,3}|" + NUMBER_WORDS_RE + r")"
    r"\s+(?P<unit>ngày|tuần|tháng|năm)(?:\s+(?P<truoc>trước))?(?!\w)"
)
_REL_MONTH = re.compile(r"(?<!\w)tháng\s+(?P<rel>trước|này|tới|sau)(?!\w)")
# "hồi đầu tháng", "giữa tháng": a part of the present month, when no month follows ("đầu tháng 11",
# "đầu tháng này" are read as those).
_PART_OF_MONTH = re.compile(
    r"(?<!\w)(?:đầu|giữa|cuối)\s+tháng(?!\s*(?:[/.-]\s*\d|" + _MONTH + r"(?!\w)|trước|này|tới|sau|qua))(?!\w)"
)
_MONTH_ONLY = re.compile(r"(?<!\w)tháng\s+" + _MONTH + r"(?!\w)(?:\s+năm\s+(?P<y>nay|ngoái|trước))?")
_YEAR = re.compile(r"(?<!\w)(?:năm\s+(?P<y>\d{4}|nay|ngoái|trước|tới)|(?P<bare>(?:19|20)\d{2}))(?![\w/.-])")
# "nhiều năm tới", "30 năm tới", "những năm trước", "những ngày qua", "3 ngày qua": a span of years or days to
# come or gone, not a year or a day.
_COUNTED = re.compile(r"(?:\d|(?<!\w)(?:" + NUMBER_WORDS_RE + r"|nhiều|vài|mấy|các|những))\s*$")
# "ngày 30/ 3", "29 / 7": spaces around a date's slash, left by some papers' typesetting.
_SPACED_SLASH = re.compile(r"(?<=\d)\s+/\s*(?=\d)|(?<=\d)/\s+(?=\d)")
# "ngày 20/11 tới", "tháng 9 sắp tới": an explicit future marker at the end of the expression.
_FUTURE = re.compile(r"(?<!\w)(?:sắp\s+)?tới\s*(?:[,.;)]|$)")
# "cùng ngày", "cùng tối": the day of another date in the article, found by event assembly. A time of day
# counts only where it ends the phrase ("Cùng tối, ..."): "cùng chiều hướng", "cùng sáng kiến" are no dates.
SAME_DAY = re.compile(
    r"(?<!\w)cùng\s+(?:(?:ngày|hôm|thời\s+điểm)(?!\w)|" + _TOD + r"(?=\s*(?:[,.;:)]|$)|\s+(?:nay|đó)(?!\w)))",
    re.IGNORECASE,
)
# "một ngày sau", "ngày hôm sau", "hai ngày trước đó", "trước đó một ngày": days counted from the date of the
# story told before, found by event assembly ("một ngày trước đó" is not a day before publication); "hôm đó",
# "đêm hôm đó", "tối đó" are that day itself ("những ngày đó" is no one day; "ngày ấy" is "back then").
STORY_OFFSET = re.compile(
    r"(?<!\w)(?:(?P<n>\d{1,2}|" + NUMBER_WORDS_RE + r")\s+ngày\s+(?:(?P<after>sau)(?!\s+khi)|trước\s+đó)"
    r"|(?P<then>trước|sau)\s+đó\s+(?P<n2>\d{1,2}|" + NUMBER_WORDS_RE + r")\s+ngày"
    r"|(?:ngày\s+)?hôm\s+(?P<next>sau)"
    r"|(?<!những\s)(?<!các\s)(?P<that>(?:" + _TOD + r"\s+)?(?:ngày\s+hôm|hôm|ngày|" + _TOD + r")\s+đó"
    r"|(?:" + _TOD + r"\s+)?hôm\s+ấy))(?!\w)",
    re.IGNORECASE,
)
# "ngày 28 và 31/1", "28, 29 và 31/1": several days of one month in one expression.
DAY_LIST = re.compile(
    r"(?:(?<!\w)(?P<lead>ngày|mùng|mồng|hôm)\s+)?(?<![\d/.-])(?P<first>\d{1,2})(?P<rest>(?:\s*(?:,|và)\s*\d{1,2})+)"
    r"\s*[/.-]\s*(?P<month>\d{1,2}(?:\s*[/.-]\s*\d{4})?)(?!\d)",
    re.IGNORECASE,
)
# "giữa tháng 4 và tháng 11", "từ ngày 9 đến 25/2": a period between two dates names no one day or month.
_PERIOD = re.compile(r"(?<!\w)(?:giữa|từ)\s+\S.*?\s(?:và|đến|tới)\s+\S", re.IGNORECASE)
# Every expression the date normalizer reads, for code that only needs to find dates (lexical features).
DATE_PATTERNS = (
    _BRACKET_DM,
    _NUMERIC_DMY,
    _TEXT_DMY,
    _MONTH_YEAR,
    _NUMERIC_DM,
    _MUNG,
    _WEEKDAY,
    _RELATIVE_DAY,
    STORY_OFFSET,
    _AGO,
    _REL_MONTH,
    _MONTH_ONLY,
    _YEAR,
    SAME_DAY,
    DAY_LIST,
)


# "ngày 30/6 và 1/7": several whole days in one expression, joined by "và" or commas.
_WHOLE_DAY = re.compile(r"(?<![\d/.-])\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?(?![\d/.-])")
_JOINER = re.compile(r"\s*(?:,|và)\s*")


def split_day_list(text: str) -> list[str]:
    """ "ngày 28 và 31/1" -> ["ngày 28/1", "ngày 31/1"], "ngày 30/6 và 1/7" -> ["ngày 30/6", "ngày 1/7"];
    ``[text]`` when it names one day."""
    m = DAY_LIST.search(text)
    if m:
        days = [m["first"], *re.findall(r"\d{1,2}", m["rest"])]
        return [f"ngày {day}/{m['month']}" for day in days]
    whole = list(_WHOLE_DAY.finditer(text))
    if len(whole) > 1 and all(_JOINER.fullmatch(text, a.end(), b.start()) for a, b in pairwise(whole)):
        return [f"ngày {d.group()}" for d in whole]
    return [text]


@dataclass(frozen=True)
class _Found:
    """What a matcher recognised: a value (or None when the anchor is missing) and its granularity."""

    value: str | None
    granularity: str


def _to_anchor(anchor: dt.date | dt.datetime | str | None) -> dt.date | None:
    if anchor is None:
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    try:
        return dt.date.fromisoformat(str(anchor).strip()[:10])
    except ValueError:
        return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _year_word(token: str | None, anchor: dt.date | None) -> int | None:
    """Year from "2024" / "nay" / "ngoái"; None when absent or relative without an anchor."""
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    return None if anchor is None else anchor.year + _YEAR_SHIFT[token]


def _month_number(token: str) -> int | None:
    token = " ".join(token.split())
    month = int(token) if token.isdigit() else _MONTH_WORDS.get(token)
    return month if month and 1 <= month <= 12 else None


def _day(
    day: int, month: int, year_token: str | None, anchor: dt.date | None, future: bool = False
) -> _Found | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    year = _year_word(year_token, anchor)
    if year is not None:
        return _Found(f"{year:04d}-{month:02d}-{day:02d}", "day") if _valid(year, month, day) else None
    if anchor is None:  # "năm ngoái" too: with nothing to count from, the day is known, the year is not
        return _Found(f"XXXX-{month:02d}-{day:02d}", "day") if _valid(2000, month, day) else None
    if future:  # the first such date from the anchor on
        for year in range(anchor.year, anchor.year + 9):
            if _valid(year, month, day) and dt.date(year, month, day) >= anchor:
                return _Found(dt.date(year, month, day).isoformat(), "day")
    limit = anchor + TOLERANCE
    for year in range(limit.year, limit.year - 9, -1):  # 29/2 may need to go back to a leap year
        if _valid(year, month, day) and dt.date(year, month, day) <= limit:
            return _Found(dt.date(year, month, day).isoformat(), "day")
    return None


def _month(month: int, year_token: str | None, anchor: dt.date | None, future: bool = False) -> _Found:
    year = _year_word(year_token, anchor)
    if year is None and year_token is None and anchor is not None:
        if future:
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
    if year is None:
        return _Found(f"XXXX-{month:02d}", "month")
    return _Found(f"{year:04d}-{month:02d}", "month")


def _shift_month(anchor: dt.date, delta: int) -> str:
    index = anchor.year * 12 + anchor.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _bracket(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _BRACKET_DM.finditer(s):
        found = _day(int(m["d"]), int(m["m"]), m["y"], anchor)
        if found:
            return found
    return None


def _numeric_dmy(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _NUMERIC_DMY.finditer(s):
        found = _day(int(m["d"]), int(m["m"]), m["y"], anchor)
        if found:
            return found
    return None


def _text_dmy(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _TEXT_DMY.finditer(s):
        month = _month_number(m["mon"])
        found = month and _day(int(m["d"]), month, m["y"], anchor, bool(_FUTURE.search(s)))
        if found:
            return found
    return None


def _month_year(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _MONTH_YEAR.finditer(s):
        month = _month_number(m["mon"] or m["mon2"])
        if month:
            return _month(month, m["y"] or m["y2"] or m["y3"], anchor)
    return None


def _numeric_dm(s: str, anchor: dt.date | None) -> _Found | None:
    stripped = s.strip()
    for m in _NUMERIC_DM.finditer(s):
        if m["sep"] == "." and not (
            _DATE_WORD_BEFORE.search(s, max(0, m.start() - 16), m.start()) or m.group(0) == stripped
        ):
            continue
        found = _day(int(m["d"]), int(m["m"]), m["y"], anchor, bool(_FUTURE.search(s)))
        if found:
            return found
    return None


def _mung(s: str, anchor: dt.date | None) -> _Found | None:
    m = _MUNG.search(s)
    if not m or not 1 <= int(m["d"]) <= 31:
        return None
    day = int(m["d"])
    if anchor is None:
        return _Found(f"XXXX-XX-{day:02d}", "day")
    limit = anchor + TOLERANCE
    year, month = limit.year, limit.month
    for _ in range(13):
        if _valid(year, month, day) and dt.date(year, month, day) <= limit:
            return _Found(dt.date(year, month, day).isoformat(), "day")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _weekday(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _WEEKDAY.finditer(s):
        before = s[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1] not in _WEEKDAY_CONTEXT and not before[-1].endswith((",", "(", ":")):
            continue
        if anchor is None:
            return _Found(None, "day")
        target = 6 if m["sun"] else _WEEKDAYS[m["wd"]]
        monday = anchor - dt.timedelta(days=anchor.weekday())
        week = m["week"]
        if week in ("trước", "qua"):
            day = monday + dt.timedelta(days=target - 7)
        elif week == "này":
            day = monday + dt.timedelta(days=target)
        elif week in ("tới", "sau"):
            day = monday + dt.timedelta(days=target + 7)
        else:
            day = anchor - dt.timedelta(days=(anchor.weekday() - target) % 7)
        return _Found(day.isoformat(), "day")
    return None


def bare_weekday(text: str) -> bool:
    """Whether ``text`` dates by a weekday alone ("vào thứ Hai"), which resolves to the last such day: no day
    and month, no "tuần tới"."""
    folded = fold(text)
    m = _WEEKDAY.search(folded)
    return bool(m and not m["week"] and not re.search(r"\d", folded[: m.start()] + folded[m.end() :]))


def _relative_offsets(s: str) -> Iterator[int]:
    """Days from the story's present that the relative days in ``s`` name ("hôm qua": -1, "sáng mai": 1)."""
    for m in _RELATIVE_DAY.finditer(s):
        rel = m["rel"]
        if not (m["tod"] or m["ngay"] or m["hom"]) or (not m["tod"] and _COUNTED.search(s, 0, m.start())):
            continue
        if rel == "kia":
            if not (m["hom"] or m["ngay"]):
                continue
            yield -2 if m["hom"] else 2  # "hôm kia" = two days ago, "ngày kia" = in two days
        elif rel == "nay" and not (m["hom"] or m["tod"]):
            continue  # "ngày nay" means "nowadays"
        else:
            yield {"nay": 0, "qua": -1, "mai": 1}[rel]


def _relative_day(s: str, anchor: dt.date | None) -> _Found | None:
    for offset in _relative_offsets(s):
        if anchor is None:
            return _Found(None, "day")
        return _Found((anchor + dt.timedelta(days=offset)).isoformat(), "day")
    return None
    return None


def _ago(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _AGO.finditer(s):
        if not (m["cach"] or m["truoc"]):
            continue  # "30 ngày" is a length of time, not a date
        n = int(m["n"]) if m["n"].isdigit() else words_to_int(m["n"])
        if n is None:
            continue
        unit = m["unit"]
        granularity = {"ngày": "day", "tuần": "day", "tháng": "month", "năm": "year"}[unit]
        if anchor is None:
            return _Found(None, granularity)
        if unit == "tháng":
            return _Found(_shift_month(anchor, -n), granularity)
        if unit == "năm":
            return _Found(f"{anchor.year - n:04d}", granularity)
        return _Found((anchor - dt.timedelta(days=n * (7 if unit == "tuần" else 1))).isoformat(), granularity)
    return None


def _relative_month(s: str, anchor: dt.date | None) -> _Found | None:
    m = _REL_MONTH.search(s)
    if not m:
        return None
    if anchor is None:
        return _Found(None, "month")
    return _Found(_shift_month(anchor, {"trước": -1, "này": 0, "tới": 1, "sau": 1}[m["rel"]]), "month")


def _part_of_month(s: str, anchor: dt.date | None) -> _Found | None:
    if not _PART_OF_MONTH.search(s):
        return None
    return _Found(_shift_month(anchor, 0) if anchor else None, "month")


def _month_only(s: str, anchor: dt.date | None) -> _Found | None:
    for m in _MONTH_ONLY.finditer(s):
        month = _month_number(m["mon"])
        if month:
            return _month(month, m["y"], anchor, bool(_FUTURE.search(s)))
    return None


def _year(s: str, anchor: dt.date | None) -> _Found | None:
    m = _YEAR.search(s)
    if not m or (m["y"] in _YEAR_SHIFT and _COUNTED.search(s, 0, m.start())):
        return None
    year = _year_word(m["y"] or m["bare"], anchor)
    return _Found(None if year is None else f"{year:04d}", "year")


def is_ahead(text: str) -> bool:
    """Whether the expression places its day after the story's present: "ngày 8-1 tới", "ngày mai (25/4)",
    "ngày kia"."""
    folded = fold(text)
    return bool(_FUTURE.search(folded)) or any(offset > 0 for offset in _relative_offsets(folded))


def story_offset(text: str) -> int | None:
    """The days that a date counted from the story's date adds to it ("hai ngày sau": 2, "một ngày trước
    đó": -1, "đêm hôm đó": 0), None for any other text."""
    m = STORY_OFFSET.search(text)
    if not m:
        return None
    if m["that"]:
        return 0
    if m["next"]:
        return 1
    count = m["n"] or m["n2"]
    n = int(count) if count.isdigit() else words_to_int(count.lower())
    if n is None:
        return None
    return n if m["after"] or (m["then"] or "").lower() == "sau" else -n


def _story_relative(s: str, anchor: dt.date | None) -> _Found | None:
    # Counted from another date in the article: a date expression, but not resolvable alone.
    return _Found(None, "day") if story_offset(s) is not None else None


def _same_day(s: str, anchor: dt.date | None) -> _Found | None:
    # "cùng ngày" refers to another date in the article: a date expression, but not resolvable alone.
    return _Found(None, "day") if SAME_DAY.search(s) else None


_MATCHERS: tuple[Callable[[str, dt.date | None], _Found | None], ...] = (
    _bracket,
    _numeric_dmy,
    _text_dmy,
    _month_year,
    _numeric_dm,
    _mung,
    _weekday,
    _relative_day,
    _story_relative,
    _ago,
    _relative_month,
    _part_of_month,
    _month_only,
    _year,
    _same_day,
)


def parse_date(text: str, anchor: dt.date | dt.datetime | str | None = None) -> DateValue | None:
    """Normalize a date expression; ``anchor`` is the publication date (date or ISO string).

    Returns None when ``text`` holds no date expression, and a DateValue with ``value=None`` when it holds
    one that cannot be resolved (a relative expression without an anchor, "cùng ngày"). Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    folded = _SPACED_SLASH.sub("/", fold(text))
    base = _to_anchor(anchor)
    if _PERIOD.search(folded) and any(m.search(folded) for m in DATE_PATTERNS):
        return DateValue(text.strip(), None, None)
    for matcher in _MATCHERS:
        try:
            found = matcher(folded, base)
        except (OverflowError, ValueError):  # date arithmetic next to year 1 or 9999: treat as no date
            continue
        if found is not None:
            return DateValue(text.strip(), found.value, found.granularity)
    return None
