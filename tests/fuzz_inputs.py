"""Hostile inputs for the extractor, and what must hold for any of them.

Shared by tests/test_fuzz.py (a fixed, small number of examples in every test run) and bench/fuzz.py (long
random runs). Inputs: random Unicode, Vietnamese built from the seed articles' words, slices of the seed
articles, digit/date/duration soup, nested HTML with entities, very long lines without punctuation, each
possibly re-encoded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from hypothesis import strategies as st
from test_canonical import VARIANTS

from diplo_ie.core.errors import InputError
from diplo_ie.core.schema import CallEvent

SEEDS = [
    p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
]
SEED_WORDS = sorted({w for text in SEEDS for w in text.split()})
SOUP = (
    "15/11", "31/12/9999", "1/1/0001", "29/2", "0/0", "99/99/9999", "ngày", "tháng", "năm", "hôm qua",
    "sáng nay", "tuần tới", "cùng ngày", "2024", "9999", "0001", "giờ", "phút", "tiếng", "hơn", "gần",
    "khoảng", "một", "hai", "rưỡi", "điện đàm", "cuộc điện đàm", "Tổng thống", "Thủ tướng", "Putin", "Biden",
    "Thứ 6,", "|", "00:00", ",", ".", "-", ":", "\n",
)  # fmt: skip
ENTITIES = ("&nbsp;", "&amp;", "&lt;", "&#13;", "&#x301;", "&#0;", "&#xD800;", "&bogus;", "&")
# As they are, in each encoding of test_canonical.VARIANTS, or with lone surrogates (surrogateescape).
RE_ENCODINGS = (lambda t: t, *VARIANTS.values(), lambda t: t.replace("o", "o\udcff"))
_TIMEX = re.compile(r"(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-\d{2})?)?")
STATUSES = {"occurred", "planned", "denied"}

vietnamese = st.lists(st.sampled_from(SEED_WORDS), min_size=1, max_size=120).map(" ".join)
seed_slices = st.tuples(st.sampled_from(SEEDS), st.integers(0, 4000), st.integers(50, 1500)).map(
    lambda t: t[0][t[1] : t[1] + t[2]]
)
soup = st.lists(
    st.one_of(st.sampled_from(SOUP), st.integers(0, 10**6).map(str), st.sampled_from(SEED_WORDS)), max_size=80
).map(" ".join)
long_lines = st.tuples(
    st.lists(st.sampled_from(SEED_WORDS), min_size=1, max_size=6), st.integers(200, 1500)
).map(lambda t: " ".join(t[0] * t[1]))
_TAGS = ("p", "div", "b", "span", "li", "script", "style", "a href='x'", "br")


def _element(tag: str, children: list[str]) -> str:
    return f"<{tag}>{''.join(children)}</{tag.split()[0]}>"


html = st.recursive(
    st.one_of(vietnamese, soup, st.sampled_from(ENTITIES)),
    lambda inner: st.builds(_element, st.sampled_from(_TAGS), st.lists(inner, max_size=4)),
    max_leaves=12,
)
texts = st.builds(
    lambda base, encode: encode(base),
    st.one_of(st.text(max_size=300), vietnamese, seed_slices, soup, html, long_lines),
    st.sampled_from(RE_ENCODINGS),
)
published = st.one_of(
    st.none(),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["2024-11-16", "2024-11-16T23:59:59+07:00", "2024-11-16garbage", "9999-12-31"]),
)


def check_extraction(extractor, text: str, date: str | None) -> list[CallEvent]:
    """Extract and check everything that must hold for any input; :class:`InputError` is the only error
    allowed (its message is one line)."""
    try:
        events = extractor.extract(text, published=date)
    except InputError as exc:
        assert "\n" not in str(exc)
        return []
    for event in events:
        check_event(text, event)
    return events


def check_event(text: str, event: CallEvent) -> None:
    def within(start: int | None, end: int | None) -> None:
        assert start is not None and end is not None and 0 <= start < end <= len(text), (start, end)

    assert event.status in STATUSES
    assert event.confidence is None or 0.0 <= event.confidence <= 1.0
    if event.trigger is not None:
        within(event.trigger.start, event.trigger.end)
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
    for value in (event.date, event.duration):
        if value is not None and value.start is not None:
            within(value.start, value.end)
            assert text[value.start : value.end] == value.text
    for start, end in [*event.call_mentions, *(m for p in event.participants for m in p.mentions)]:
        within(start, end)
    assert event.evidence is None or event.evidence in text
    if event.date is not None and event.date.value is not None:
        _check_timex(event.date.value)
    if event.duration is not None and event.duration.minutes is not None:
        assert event.duration.minutes >= 0
    assert CallEvent.from_dict(json.loads(json.dumps(event.to_dict()))) == event


def _check_timex(value: str) -> None:
    assert _TIMEX.fullmatch(value), value
    year, *rest = value.split("-")
    parts = [int(p) if p.isdigit() else None for p in rest]
    if year != "XXXX" and len(parts) == 2 and None not in parts:
        dt.date(int(year), parts[0], parts[1])  # raises on 2023-02-30
    elif parts and parts[0] is not None:
        assert 1 <= parts[0] <= 12, value
