"""Lexical features: what each channel marks, at exact character offsets, and the ids tokens get from them."""

from typing import get_args

import numpy as np
import pytest

from diplo_ie.modeling.config import FeatureGroup
from diplo_ie.modeling.lexical import (
    FEATURE_GROUPS,
    NONE,
    OUTSIDE,
    SHAPES,
    LexicalFeatures,
    SyllableInventory,
    feature_groups,
    is_vietnamese_syllable,
)

ALL = LexicalFeatures(FEATURE_GROUPS)


def marked(text: str, channel: str) -> list[tuple[str, int, int, int]]:
    return [(text[s:e], s, e, kind) for s, e, kind in ALL.segments(text)[channel]]


def test_titles_and_role_words_in_any_case_longest_first():
    text = "Thủ tướng Đức gọi cho tổng thống đắc cử Mỹ và người đồng cấp Pháp."
    assert marked(text, "title") == [
        ("Thủ tướng", 0, 9, 0),
        ("tổng thống đắc cử", 22, 39, 0),
        ("người đồng cấp", 46, 60, 1),
    ]
    assert marked(text, "country") == [("Đức", 10, 13, 0), ("Mỹ", 40, 42, 0), ("Pháp", 61, 65, 0)]


def test_leader_names_in_both_transliterations_and_surnames():
    text = "Tổng thống Vladimir Putin (Pu-tin) và V.Putin; ông Sôn-xơ, ông Tập và Erdogan."
    assert marked(text, "leader") == [
        ("Vladimir Putin", 11, 25, 0),
        ("Pu-tin", 27, 33, 0),
        ("V.Putin", 38, 45, 0),
        ("Sôn-xơ", 51, 57, 1),
        ("Tập", 63, 66, 1),
        ("Erdogan", 70, 77, 0),
    ]


def test_names_and_countries_need_a_capital_and_a_name_stops_at_a_line_break():
    assert marked("anh ấy cập nhật tin", "country") == []
    assert marked("Anh và Nhật Bản", "country") == [("Anh", 0, 3, 0), ("Nhật Bản", 7, 15, 0)]
    # "Tổng" is not the surname "Tống" with its marks dropped.
    assert marked("Tổng thống", "leader") == []
    assert marked("Olaf\nScholz", "leader") == [("Scholz", 5, 11, 0)]
    # "Trung", "Thái" are surnames, but not in a country's name; "Trong" (in) is not "Trọng" undotted.
    assert marked("Trung Quốc và Thái Lan. Trong khi đó, ông Trọng", "leader") == [("Trọng", 42, 47, 1)]


def test_dates_and_durations_the_normalizers_read():
    text = "Hôm qua (3/2), ông nói qua điện thoại hơn 30 phút; ngày 15 tháng 11 năm 2024 thì 30 ngày."
    assert marked(text, "date") == [
        ("Hôm qua", 0, 7, 0),
        ("(3/2)", 8, 13, 0),
        ("15 tháng 11 năm 2024", 56, 76, 0),
    ]
    assert marked(text, "duration") == [("hơn 30 phút", 38, 49, 0)]
    assert marked("Chính phủ chính thức, 1h30 và chín giờ", "duration") == [
        ("1h30", 22, 26, 0),
        ("chín giờ", 30, 38, 0),
    ]


def test_status_cues():
    text = "Ông sẽ điện đàm; không có cuộc điện đàm nào, chưa từng gặp."
    assert marked(text, "cue") == [("sẽ", 4, 6, 0), ("không có", 17, 25, 1), ("chưa", 45, 49, 1)]


@pytest.mark.parametrize(
    "word",
    ["điện", "đàm", "người", "được", "nghiêng", "kỹ", "giữa", "gì", "giêng", "quốc", "khuya", "thuở", "Xi"],
)
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["Scholz", "Putin", "Biden", "Kallas", "Erdoğan", "Élysée", "Trump", "bàc", "ce", "ka"]
)
def test_foreign_syllables(word):
    # "bàc": a stop final takes only the sắc or nặng tone; "ce", "ka": Vietnamese writes "ke", "ca".
    assert not is_vietnamese_syllable(word)


def test_syllable_channel_marks_words_of_letters_only():
    text = "Thủ tướng Scholz, 15/11"
    assert marked(text, "syllable") == [("Thủ", 0, 3, 0), ("tướng", 4, 9, 0), ("Scholz", 10, 16, 1)]


def test_shapes():
    text = "ĐỨC Đức đức iPhone 1h30 15/11 V.Putin"
    shapes = [(word, SHAPES[kind]) for word, _, _, kind in marked(text, "shape")]
    assert shapes == [
        ("ĐỨC", "allcaps"),
        ("Đức", "capitalized"),
        ("đức", "lower"),
        ("iPhone", "mixed"),
        ("1h30", "alphanumeric"),
        ("15", "digits"),
        ("/", "punctuation"),
        ("11", "digits"),
        ("V", "capitalized"),
        (".", "punctuation"),
        ("Putin", "capitalized"),
    ]


def test_token_ids_follow_the_first_character_of_each_token():
    text = "ông Pu-tin nói"
    features = LexicalFeatures(["lexicon", "shape"])
    assert [c.name for c in features.channels] == ["shape", "leader", "title", "country"]
    offsets = [(0, 3), (4, 6), (6, 7), (7, 10), (10, 10), (11, 14)]  # (10, 10): a token of no characters
    ids = features.token_ids(text, offsets)
    assert ids.shape == (6, 4)
    # Leader ids: B-name 2, I-name 3.
    assert ids[:, 1].tolist() == [OUTSIDE, 2, 3, 3, NONE, OUTSIDE]
    lower, capitalized, punct = (2 + SHAPES.index(s) for s in ("lower", "capitalized", "punctuation"))
    assert ids[:, 0].tolist() == [lower, capitalized, punct, lower, NONE, lower]
    assert features.token_ids(text, []).shape == (0, 4)
    assert np.all(features.token_ids("", [(0, 0)]) == NONE)


def test_subwords_of_one_syllable_share_its_values():
    ids = LexicalFeatures(["shape", "syllable"]).token_ids("Scholz", [(0, 3), (3, 6)])
    assert ids[0].tolist() == ids[1].tolist() == [2 + SHAPES.index("capitalized"), 3]


def test_group_order_is_canonical_and_unknown_groups_are_named():
    assert tuple(FEATURE_GROUPS) == get_args(FeatureGroup)  # the config accepts exactly these
    assert feature_groups(["patterns", "shape"]) == ("shape", "patterns")
    with pytest.raises(ValueError, match="unknown feature group 'shapes'"):
        feature_groups(["shapes"])


def test_syllable_inventory_file():
    inventory = SyllableInventory.load()
    assert {"ngh", "qu", "gi"} <= inventory.initials
    assert {"a", "oai", "iêng", "uyêt"} <= inventory.rhymes
