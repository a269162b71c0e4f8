"""Input normalization: one canonical text for every encoding of an article, with an exact map back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplo_ie.text.canonical import nfc_edits
from diplo_ie.text.inputs import check_text
from diplo_ie.text.prepare import clean_text

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
SAMPLE = "Thủ tướng Đức Olaf Scholz điện đàm với Tổng thống Nga Vladimir Putin trong một tiếng.\nHôm qua."

# Each variant is how some system or copy-paste might hand the same article over.
VARIANTS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr": lambda t: t.replace("\n", "\r"),
    "line separator": lambda t: t.replace("\n", "\u2028"),
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "nfkd": lambda t: unicodedata.normalize("NFKD", t),
    "no-break space": lambda t: t.replace(" ", "\u00a0"),
    "narrow no-break space": lambda t: t.replace(" ", "\u202f"),
    "figure space": lambda t: t.replace(" ", "\u2007"),
    "thin space": lambda t: t.replace(" ", "\u2009"),
    "ideographic space": lambda t: t.replace(" ", "\u3000"),
    "zero-width space": lambda t: t.replace("ol", "o\u200bl"),
    "zero-width joiners": lambda t: t.replace("ut", "u\u200ct").replace("Vl", "V\u200dl"),
    "byte order mark": lambda t: "\ufeff" + t.replace("Sch", "S\ufeffch"),
    "soft hyphen": lambda t: t.replace("tướng", "tướ\u00adng"),
}


def _source_of(clean, start: int, end: int) -> str:
    s, e = clean.span_to_original(start, end)
    return clean.original[s:e]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_variant_cleans_to_the_same_text(name):
    raw = VARIANTS[name](SAMPLE)
    clean = clean_text(raw)
    assert clean.text == SAMPLE
    # Every word maps onto its own stretch of the input, which normalizes back to it.
    for word in ("Olaf Scholz", "Vladimir Putin", "một tiếng", "Thủ tướng"):
        start = clean.text.index(word)
        assert clean_text(_source_of(clean, start, start + len(word))).text == word


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
@pytest.mark.parametrize("name", VARIANTS)
def test_seed_variants_clean_to_the_seed_text(path, name):
    text = path.read_text(encoding="utf-8")
    assert clean_text(VARIANTS[name](text)).text == clean_text(text).text


def test_decomposed_vietnamese_is_vietnamese():
    check_text(clean_text(unicodedata.normalize("NFD", SAMPLE * 2)).text, "nfd")


def test_lone_surrogates_become_replacement_characters():
    raw = "Ông Putin\udcff điện đàm"
    clean = clean_text(raw)
    assert clean.text == "Ông Putin\ufffd điện đàm"
    clean.text.encode("utf-8")  # would raise on a surrogate


def test_controls_and_separators():
    clean = clean_text("a\x00b\tc\x0cd\x85e\u2029f")
    assert clean.text == "a b\tc\nd\ne\nf"


def test_a_crlf_maps_to_both_characters():
    clean = clean_text("Hà Nội\r\nHuế")
    newline = clean.text.index("\n")
    assert clean.span_to_original(newline, newline + 1) == (6, 8)


def test_entities_are_normalized_after_decoding():
    raw = "<p>Olaf&nbsp;Scholz và Vie&#x0302;&#x0323;t Nam</p>"
    clean = clean_text(raw)
    assert clean.text.strip() == "Olaf Scholz và Việt Nam"
    start = clean.text.index("Việt")
    assert _source_of(clean, start, start + 4) == "Vie&#x0302;&#x0323;t"


def test_nfc_keeps_each_letter_apart():
    # Only the decomposed letter is replaced, so offsets inside the word stay exact.
    raw = unicodedata.normalize("NFD", "Việt")
    (edit,) = nfc_edits(raw)
    assert (edit.start, edit.end, edit.replacement) == (2, 5, "ệ")


def test_words_that_do_not_compose_letter_by_letter_are_one_edit():
    raw = "\u1100\u1161\u11a8 x"  # Hangul jamo L V T: one syllable, each jamo a base character
    (edit,) = nfc_edits(raw)
    assert (edit.start, edit.end, edit.replacement) == (0, 3, "\uac01")


_ODD = st.sampled_from(
    ["\r\n", "\r", "\n", " ", "\u00a0", "\u202f", "\u200b", "\u00ad", "\ufeff", "\u0301", "\u0323", "\ud800"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ODD, st.text(max_size=4), st.sampled_from(["Việt", "<p>", "&nbsp;", "&#13;"]))))
def test_map_is_exact_for_any_text(pieces):
    raw = "".join(pieces)
    clean = clean_text(raw)
    assert len(clean.starts) == len(clean.ends) == len(clean.text)
    assert unicodedata.is_normalized("NFC", clean.text)
    assert not set(clean.text) & {"\r", "\u00a0", "\u202f", "\u200b", "\u00ad", "\ufeff", "\ud800"}
    for i in range(len(clean.text)):
        assert 0 <= clean.starts[i] < clean.ends[i] <= len(raw)
        if i:
            assert clean.starts[i - 1] <= clean.starts[i]
