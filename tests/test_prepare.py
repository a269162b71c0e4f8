from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from table_helpers import assert_roughly_linear

from diplo_ie.text.prepare import clean_text, find_dateline, segment_words

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


def _is_copy(clean, i: int) -> bool:
    """Clean character ``i`` is the original character it maps to, unchanged."""
    return clean.ends[i] - clean.starts[i] == 1 and clean.original[clean.starts[i]] == clean.text[i]


def _assert_exact_map(raw: str) -> None:
    clean = clean_text(raw)
    assert len(clean.starts) == len(clean.text) == len(clean.ends)
    for i in range(len(clean.text)):
        assert 0 <= clean.starts[i] < clean.ends[i] <= len(raw)
    # Characters map to consecutive, non-overlapping spans (those of one replacement share theirs).
    for a, b in itertools.pairwise(zip(clean.starts, clean.ends, strict=True)):
        assert a == b or a[1] <= b[0]


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_round_trip(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    clean = clean_text(raw)
    _assert_exact_map(raw)
    # The seeds hold no HTML: every kept character is an original one, or (seed 002) a no-break space made plain.
    changed = {raw[clean.starts[i] : clean.ends[i]] for i in range(len(clean.text)) if not _is_copy(clean, i)}
    assert changed <= {"\u00a0"}
    for removed in ("Hãy đánh giá bài viết", "user image", "lượt xem", "kb\n"):
        assert removed not in clean.text
    assert "0.72417 sec" not in clean.text
    # Article text survives, and spans map back to the same text.
    start = clean.text.find("điện đàm")
    assert start >= 0
    s, e = clean.span_to_original(start, start + len("điện đàm"))
    assert raw[s:e] == "điện đàm"


def test_boilerplate_lines_removed_but_text_kept() -> None:
    raw = (
        "Tiêu đề\n\n\n\n536 lượt xem\nBài viết hay? Hãy đánh giá bài viết\nuser image\nUser\nÝ KIẾN\n"
        "Chia sẻ\nNội dung."
    )
    clean = clean_text(raw)
    assert clean.text == "Tiêu đề\n\nNội dung."
    assert clean.to_original(clean.text.index("Nội")) == raw.index("Nội")
    assert clean.to_original(len(clean.text)) == len(raw)


def test_html_and_entities() -> None:
    raw = "<p>Ông Putin &amp; ông Biden</p><script>var a = 1 < 2;</script><b>điện đàm</b>&nbsp;hôm qua"
    clean = clean_text(raw)
    assert "<" not in clean.text and "var a" not in clean.text
    assert "Putin & ông Biden" in clean.text
    amp = clean.text.index("&")
    assert not _is_copy(clean, amp)
    assert clean.span_to_original(amp, amp + 1) == (raw.index("&amp;"), raw.index("&amp;") + 5)
    s, e = clean.span_to_original(clean.text.index("điện"), clean.text.index("điện") + 8)
    assert raw[s:e] == "điện đàm"
    _assert_exact_map(raw)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"ab <>/&;#p\n1", "&amp;", "<p>", "</div>", "User\n", "lượt xem", "<script>"]),
        max_size=80,
    )
)
def test_map_property(pieces: list[str]) -> None:
    _assert_exact_map("".join(pieces))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_map_property_arbitrary_text(raw: str) -> None:
    _assert_exact_map(raw)


def test_clean_roughly_linear() -> None:
    assert_roughly_linear(clean_text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ 6, 31/12/2021 | 00:00:00\n536 lượt xem", dt.date(2021, 12, 31)),
        ("11:13 | 15/01/2025", dt.date(2025, 1, 15)),
        ("Cập nhật: 08:30 ngày 12/3/2024", dt.date(2024, 3, 12)),
        ("Thứ Hai, ngày 03/02/2025 10:00", dt.date(2025, 2, 3)),
        ("Chủ nhật, 5/1/2025, 07:00 (GMT+7)", dt.date(2025, 1, 5)),
        ("15/01/2025 11:13", dt.date(2025, 1, 15)),
        ("Không có ngày tháng ở đây", None),
        ("Thứ 6, 31/02/2021", None),
        # Outside the calendar's safe range (as for a given publication date): not a usable dateline.
        ("Thứ 6, 31/12/9999 | 00:00", None),
        ("11:13 | 01/01/0001", None),
    ],
)
def test_find_dateline(text: str, expected: dt.date | None) -> None:
    assert find_dateline(text) == expected


def test_find_dateline_seeds() -> None:
    by_name = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS}
    assert find_dateline(by_name["002"]) == dt.date(2021, 12, 31)
    # Seed 004 only has datelines of related articles at the bottom: they are not its publication date.
    assert find_dateline(by_name["004"]) is None


def test_segment_words_offsets() -> None:
    text = "Thủ tướng  Đức “Olaf” Scholz điện đàm hôm 15/11/2024."
    spans = segment_words(text)
    assert spans and all(0 <= s < e <= len(text) for s, e in spans)
    words = [text[s:e] for s, e in spans]
    assert "Thủ tướng" in words and "điện đàm" in words
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_a_name_initial_or_an_abbreviation_ends_no_sentence():
    from diplo_ie.text.sentences import split_sentences

    text = (
        "Ông Putin đã gọi điện cho Tổng thống Mỹ George W. Bush. Cố vấn H.R. McMaster điện đàm với ông "
        "Taniuchi. Chủ tịch UBND TP. Hà Nội điện đàm với Thống đốc St. Petersburg. Khối NATO. "
        "PGS. TS. Lê Văn An nói.\nA. Tin liên quan. Ông Trump ở Mỹ. Rồi về Đông Nam Á. Thủ tướng Ý. Hết."
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Ông Putin đã gọi điện cho Tổng thống Mỹ George W. Bush.",
        "Cố vấn H.R. McMaster điện đàm với ông Taniuchi.",
        "Chủ tịch UBND TP. Hà Nội điện đàm với Thống đốc St. Petersburg.",
        "Khối NATO.",
        "PGS. TS. Lê Văn An nói.",
        "A. Tin liên quan.",
        "Ông Trump ở Mỹ.",
        "Rồi về Đông Nam Á.",
        "Thủ tướng Ý.",
        "Hết.",
    ]
