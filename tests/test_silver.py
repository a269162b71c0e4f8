"""Silver labels from the lexicons and normalizers alone (diplo_ie.training.silver)."""

import itertools
from pathlib import Path

from diplo_ie.training.silver import silver_spans


def _labelled(text: str) -> str:
    return " | ".join(f"{s.label}:{s.text}" for s in silver_spans(text))


def test_a_title_anchors_a_name_the_gazetteer_does_not_know():
    text = "Chiều ngày 15/11, Thủ tướng Hà Lan Dick Schoof điện đàm với Tổng thống Nga Vladimir Putin trong một tiếng."
    assert _labelled(text) == (
        "DATE:Chiều ngày 15/11 | TITLE:Thủ tướng Hà Lan | LEADER:Dick Schoof | CALL:điện đàm | "
        "TITLE:Tổng thống Nga | LEADER:Vladimir Putin | DURATION:một tiếng"
    )


def test_what_is_no_silver_span():
    # An institution after a title is no name, a role word alone nobody in particular, an ordinal no weekday,
    # and a length outside a call sentence no call's length.
    text = "Chủ tịch UBND tỉnh nói các nhà lãnh đạo đã họp lần thứ hai. Cuộc họp kéo dài 24 giờ."
    assert _labelled(text) == "TITLE:Chủ tịch"


def test_an_honorific_anchors_a_name_and_the_country_joins_a_role():
    text = "Ông James Comey gọi điện cho người đồng cấp Pháp."
    assert _labelled(text) == "LEADER:James Comey | CALL:gọi điện | TITLE:người đồng cấp Pháp"


def test_silver_spans_slice_the_text_and_never_overlap():
    for path in sorted(Path("seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = silver_spans(text)
        assert spans and all(text[s.start : s.end] == s.text for s in spans)
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
