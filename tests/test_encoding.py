import itertools
from pathlib import Path

import pytest

from diplo_ie.core.schema import Document, Span
from diplo_ie.modeling.encoding import (
    DocumentEncoder,
    TokenizedText,
    join_fragments,
    make_windows,
    repair_iob2,
    spans_to_tags,
    tags_to_spans,
    token_owners,
)
from diplo_ie.modeling.tokenizer import train_bpe_tokenizer

TEXT = "Chiều ngày 15/11, Thủ tướng Đức Olaf Scholz đã điện đàm với Tổng thống Nga Vladimir Putin."
SPANS = [
    ("DATE", "Chiều ngày 15/11"),
    ("TITLE", "Thủ tướng Đức"),
    ("LEADER", "Olaf Scholz"),
    ("CALL", "điện đàm"),
    ("TITLE", "Tổng thống Nga"),
    ("LEADER", "Vladimir Putin"),
]


def _doc() -> Document:
    spans = [Span(label, TEXT.index(t), TEXT.index(t) + len(t), t) for label, t in SPANS]
    return Document(id="d", text=TEXT, spans=spans)


def _key(spans):
    return [(s.label, s.start, s.end, s.text) for s in spans]


@pytest.fixture(scope="module")
def fast_tokenizer():
    return train_bpe_tokenizer([TEXT] * 3, vocab_size=300)


def _phobert_tokenizer(tmp_path: Path):
    from transformers import PhobertTokenizer

    vocab = tmp_path / "vocab.txt"
    entries = [f"{c} 1" for c in sorted(set(TEXT.replace(" ", "")))] + ["Thủ_tướng 1"]
    vocab.write_text("\n".join(entries) + "\n", encoding="utf-8")
    merges = tmp_path / "bpe.codes"
    merges.write_text("T h\n", encoding="utf-8")
    return PhobertTokenizer(str(vocab), str(merges))


def test_fast_tokenizer_round_trip(fast_tokenizer):
    enc = DocumentEncoder(fast_tokenizer)
    assert not enc.word_aligned
    tokens = enc.tokenize(TEXT)
    tags = spans_to_tags(_doc().spans, tokens)
    assert _key(tags_to_spans(tags, tokens, TEXT)) == _key(_doc().spans)


def test_word_aligned_round_trip(tmp_path):
    tok = _phobert_tokenizer(tmp_path)
    assert not tok.is_fast
    enc = DocumentEncoder(tok, word_joiner="_")
    assert enc.word_aligned
    tokens = enc.tokenize(TEXT)
    assert len(tokens) > len(TEXT.split())  # words split into several subwords
    tags = spans_to_tags(_doc().spans, tokens)
    assert _key(tags_to_spans(tags, tokens, TEXT)) == _key(_doc().spans)


def test_fast_tokenizer_forced_through_words(fast_tokenizer):
    enc = DocumentEncoder(fast_tokenizer, word_segmenter="whitespace")
    tokens = enc.tokenize(TEXT)
    assert _key(tags_to_spans(spans_to_tags(_doc().spans, tokens), tokens, TEXT)) == _key(_doc().spans)


def test_subwords_of_a_word_agree_and_stray_inside_is_repaired(fast_tokenizer):
    tokens = DocumentEncoder(fast_tokenizer).tokenize(TEXT)
    tags = ["O"] * len(tokens)
    i = next(i for i, (s, _) in enumerate(tokens.offsets) if s == TEXT.index("Olaf"))
    tags[i] = "I-LEADER"  # stray I- becomes B-; the rest of the word follows its first subword
    spans = tags_to_spans(tags, tokens, TEXT)
    assert _key(spans) == [("LEADER", TEXT.index("Olaf"), TEXT.index("Olaf") + 4, "Olaf")]
    assert repair_iob2(["O", "I-DATE", "I-CALL", "B-CALL", "I-CALL"]) == [
        "O",
        "B-DATE",
        "B-CALL",
        "B-CALL",
        "I-CALL",
    ]


def test_windows_cover_everything_and_owners_prefer_the_centre():
    windows = make_windows(1000, 254, 64)
    assert windows[0][0] == 0 and windows[-1][1] == 1000
    assert all(b[0] < a[1] for a, b in itertools.pairwise(windows))
    owners = token_owners(windows, 1000)
    assert all(w >= 0 for w, _ in owners)
    # a token in the overlap of windows 0 and 1 near the end of window 0 is read from window 1
    tok = windows[0][1] - 2
    assert owners[tok][0] == 1
    assert make_windows(10, 254, 64) == [(0, 10)]


def test_viterbi_keeps_a_span_whole_that_argmax_would_break():
    import torch

    from diplo_ie.core.spec import CALL_SPEC
    from diplo_ie.modeling.encoding import repair_iob2, viterbi_tags

    TAGS = CALL_SPEC.tags

    def row(**probs):
        p = torch.full((len(TAGS),), 0.01)
        for tag, v in probs.items():
            p[TAGS.index(tag.replace("_", "-"))] = v
        return p.log()

    # "hơn một giờ": the middle word leans O, but B-DURATION O I-DURATION is not a valid sequence
    log_probs = torch.stack(
        [row(B_DURATION=0.9), row(O=0.5, I_DURATION=0.45), row(I_DURATION=0.9), row(O=0.9)]
    )
    argmax = [TAGS[i] for i in log_probs.argmax(-1).tolist()]
    assert repair_iob2(argmax) == ["B-DURATION", "O", "B-DURATION", "O"]
    assert viterbi_tags(log_probs, [0, 1, 2, 3], TAGS) == ["B-DURATION", "I-DURATION", "I-DURATION", "O"]
    # subwords follow their word's first subword; an I- never starts the sequence
    assert viterbi_tags(torch.stack([row(I_CALL=0.9), row(O=0.9)]), [0, 0], TAGS) in (
        ["O", "O"],
        ["B-CALL", "I-CALL"],
    )


def _pieces(text: str, pieces: list[str]) -> TokenizedText:
    offsets, at = [], 0
    for piece in pieces:
        at = text.index(piece, at)
        offsets.append((at, at + len(piece)))
        at += len(piece)
    return TokenizedText(list(range(len(pieces))), offsets, list(range(len(pieces))))


@pytest.mark.parametrize(
    ("text", "pieces", "tags", "expected"),
    [
        # a span the tagger broke in two across one space
        ("khoảng 25 phút", ["khoảng", "25", "phút"], ["B-DURATION", "B-DURATION", "I-DURATION"],
         ["B-DURATION", "I-DURATION", "I-DURATION"]),
        # a name cut after a hyphen inside the word
        ("ông Ahmed al-Sharaa nói", ["ông", "Ahmed", "al-", "Sharaa", "nói"], ["O", "B-LEADER", "I-LEADER", "O", "O"],
         ["O", "B-LEADER", "I-LEADER", "I-LEADER", "O"]),
        # a weekday keeps its "thứ"
        ("hôm thứ Năm tuần trước", ["hôm", "thứ", "Năm", "tuần", "trước"], ["O", "O", "B-DATE", "I-DATE", "I-DATE"],
         ["O", "B-DATE", "I-DATE", "I-DATE", "I-DATE"]),
        # days of one month are one date
        ("ngày 28 và 31/1 hai", ["ngày", "28", "và", "31/1", "hai"], ["B-DATE", "I-DATE", "O", "B-DATE", "O"],
         ["B-DATE", "I-DATE", "I-DATE", "I-DATE", "O"]),
        # separate spans stay apart: a word, a comma or a line break between them
        ("Putin và Trump", ["Putin", "và", "Trump"], ["B-LEADER", "O", "B-LEADER"], ["B-LEADER", "O", "B-LEADER"]),
        ("Nga, Mỹ", ["Nga", ",", "Mỹ"], ["B-TITLE", "O", "B-TITLE"], ["B-TITLE", "O", "B-TITLE"]),
        ("tháng 11\n14:29", ["tháng", "11", "14:29"], ["B-DATE", "I-DATE", "B-DATE"], ["B-DATE", "I-DATE", "B-DATE"]),
        # different labels side by side are not joined
        ("Tổng thống Putin", ["Tổng", "thống", "Putin"], ["B-TITLE", "I-TITLE", "B-LEADER"],
         ["B-TITLE", "I-TITLE", "B-LEADER"]),
    ],
)  # fmt: skip
def test_join_fragments(text, pieces, tags, expected):
    assert join_fragments(tags, _pieces(text, pieces), text) == expected
