from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from table_helpers import assert_roughly_linear, read_table

from diplo_ie.annotations.compact import minutes_to_iso as compact_minutes_to_iso
from diplo_ie.normalize import minutes_to_iso, parse_duration

ROWS = read_table("durations.tsv")


def test_table_is_large_enough() -> None:
    assert len(ROWS) >= 60


@pytest.mark.parametrize(("expression", "minutes", "qualifier"), ROWS, ids=[r[0] for r in ROWS])
def test_duration_table(expression: str, minutes: str, qualifier: str) -> None:
    result = parse_duration(expression)
    if minutes == "null":
        assert result is None
        return
    assert result is not None
    assert result.minutes == int(minutes)
    assert result.qualifier == (None if qualifier == "-" else qualifier)
    assert result.iso == minutes_to_iso(int(minutes))


@pytest.mark.parametrize(
    ("minutes", "iso"), [(60, "PT1H"), (75, "PT1H15M"), (50, "PT50M"), (0, "PT0M"), (150, "PT2H30M")]
)
def test_minutes_to_iso(minutes: int, iso: str) -> None:
    assert minutes_to_iso(minutes) == iso


def test_one_copy_of_minutes_to_iso() -> None:
    assert compact_minutes_to_iso is minutes_to_iso


def test_text_keeps_qualifier() -> None:
    result = parse_duration(" gần hai tiếng ")
    assert result is not None and result.text == "gần hai tiếng" and result.minutes == 120


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    result = parse_duration(text)
    assert result is None or (result.minutes is not None and result.minutes > 0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "hơn",
                "gần",
                "như",
                "một",
                "hai",
                "mươi",
                "lăm",
                "rưỡi",
                "nửa",
                "tiếng",
                "giờ",
                "phút",
                "đồng",
                "hồ",
                "1,5",
                "1h30",
                "'",
                "lúc",
                "sáng",
                "trăm",
                "linh",
            ]
        ),
        max_size=30,
    )
)
def test_never_raises_on_duration_words(words: list[str]) -> None:
    parse_duration(" ".join(words))


def test_roughly_linear() -> None:
    assert_roughly_linear(parse_duration)
