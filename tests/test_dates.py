from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from table_helpers import assert_roughly_linear, read_table

from diplo_ie.core.schema import DateValue
from diplo_ie.normalize import parse_date
from diplo_ie.normalize.dates import is_ahead

ROWS = read_table("dates.tsv")


def test_table_is_large_enough() -> None:
    assert len(ROWS) >= 150


@pytest.mark.parametrize(("expression", "anchor", "expected"), ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_date_table(expression: str, anchor: str, expected: str) -> None:
    result = parse_date(expression, None if anchor == "-" else anchor)
    assert (result.value if result else None) == (None if expected == "null" else expected)


@pytest.mark.parametrize(
    ("text", "granularity"),
    [
        ("chiều ngày 15/11", "day"),
        ("tháng 12 năm 2022", "month"),
        ("năm 2019", "year"),
        ("hôm qua", "day"),
    ],
)
def test_granularity(text: str, granularity: str) -> None:
    result = parse_date(text, "2024-11-16")
    assert result is not None and result.granularity == granularity


def test_anchor_types_are_equivalent() -> None:
    as_str = parse_date("hôm qua", "2024-11-16")
    as_date = parse_date("hôm qua", dt.date(2024, 11, 16))
    as_datetime = parse_date("hôm qua", dt.datetime(2024, 11, 16, 8, 30))
    assert as_str == as_date == as_datetime


def test_unresolvable_keeps_text() -> None:
    result = parse_date("  rạng sáng nay ")
    assert result is not None and result.value is None and result.text == "rạng sáng nay"
    assert parse_date("cùng ngày", "2024-11-16").value is None
    # days counted from another date of the article are dates, resolved by event assembly
    for text in ("một ngày sau", "Ngày hôm sau", "hai ngày trước đó", "Cùng tối"):
        assert parse_date(text, "2024-11-16") == DateValue(text, None, "day")


def test_same_words_that_are_no_dates() -> None:
    assert parse_date("cùng chiều hướng") is None
    assert parse_date("cùng sáng kiến") is None
    assert parse_date("30 ngày sau khi") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hồi tháng 12 năm ngoái", "XXXX-12"),
        ("ngày 3/12 năm ngoái", "XXXX-12-03"),
        ("tháng 3 năm nay", "XXXX-03"),
    ],
)
def test_a_relative_year_with_nothing_to_count_from_keeps_the_month_and_day(text: str, value: str) -> None:
    """The article's month and day are known even when its year is not (the guidelines' XXXX-MM-DD)."""
    assert parse_date(text).value == value
    assert parse_date(text, dt.date(2017, 5, 3)).value == value.replace(
        "XXXX", "2016" if "ngoái" in text else "2017"
    )


def test_bad_anchor_is_ignored() -> None:
    assert parse_date("15/11", "not a date").value == "XXXX-11-15"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.dates(), st.text(max_size=12)))
def test_never_raises(text: str, anchor: object) -> None:
    result = parse_date(text, anchor)  # type: ignore[arg-type]
    assert result is None or isinstance(result.text, str)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ngày",
                "hôm",
                "thứ",
                "Hai",
                "tháng",
                "năm",
                "15/11",
                "(7/2)",
                "mùng",
                "5",
                "qua",
                "nay",
                "tuần",
                "trước",
                "cách",
                "đây",
                "2024",
                ".",
                "/",
                " ",
                "sáng",
                "giờ",
            ]
        ),
        max_size=30,
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
def test_never_raises_on_date_like_words(words: list[str], anchor: dt.date) -> None:
    result = parse_date(" ".join(words), anchor)
    if result is not None and result.value is not None:
        assert result.granularity in {"day", "month", "year"}


def test_roughly_linear() -> None:
    assert_roughly_linear(lambda s: parse_date(s, "2024-11-16"))


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("ngày 28 và 31/1", ["ngày 28/1", "ngày 31/1"]),
        ("28, 29 và 31/1", ["ngày 28/1", "ngày 29/1", "ngày 31/1"]),
        # two whole days: not "6 và 1/7"
        ("ngày 30/6 và 1/7", ["ngày 30/6", "ngày 1/7"]),
        ("ngày 30/6/2025 và 1/7/2025", ["ngày 30/6/2025", "ngày 1/7/2025"]),
        ("từ 30/6 đến 1/7", ["từ 30/6 đến 1/7"]),
        ("ngày 15/11", ["ngày 15/11"]),
    ],
)
def test_a_list_of_days_splits_into_one_expression_per_day(text, days):
    from diplo_ie.normalize.dates import split_day_list

    assert split_day_list(text) == days


@pytest.mark.parametrize(
    "text, ahead",
    [
        ("ngày 8-1 tới", True),
        ("ngày mai (25/4)", True),
        ("sáng mai", True),
        ("ngày kia", True),
        ("hôm kia", False),  # two days ago
        ("hôm qua (9/2)", False),
        ("ngày 24/4", False),
        ("tháng 9 sắp tới", True),
    ],
)
def test_a_day_still_to_come_is_known_by_its_words(text: str, ahead: bool) -> None:
    assert is_ahead(text) is ahead
