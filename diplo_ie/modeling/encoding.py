"""Documents to model inputs and token predictions back to character spans, for any Hugging Face tokenizer.

Two tokenization paths keep exact character offsets:

- fast tokenizers: the tokenizer's offset mapping, cleaned (byte-level BPE offsets may include the leading
  space or overlap inside a multi-byte character);
- slow tokenizers without offsets (PhoBERT) or when a word segmenter is asked for: the text is split into
  words with known offsets, each word is tokenized on its own and its subwords inherit the word's offsets.

Long documents are cut into overlapping windows (never truncated); :func:`token_owners` says which window's
prediction to keep for each token. Labels are BIO at word level, expanded to subwords (first B-, rest I-), so
the subwords of one word always agree. With feature groups, each token also gets its lexical feature ids
(:mod:`diplo_ie.modeling.lexical`), from the same offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import torch

from diplo_ie.core.schema import Document, Span
from diplo_ie.core.spec import EventSpec
from diplo_ie.modeling.lexical import LexicalFeatures
from diplo_ie.normalize.dates import DAY_LIST
from diplo_ie.text.sentences import sentence_index, split_sentences

Offsets = tuple[int, int]
Segmenter = Callable[[str], list[Offsets]]

IGNORE_INDEX = -100


# Whitespace-separated words with leading/trailing punctuation split off ("Putin." -> "Putin", "."), so spans
# that end before punctuation stay expressible; inner punctuation stays ("15/11", "V.Putin").
_WORD = re.compile(r"\w+(?:[./:,-]\w+)*|[^\w\s]")


def whitespace_segmenter(text: str) -> list[Offsets]:
    """Words split on whitespace, with edge punctuation as separate words; exact offsets."""
    return [m.span() for m in _WORD.finditer(text)]


def underthesea_segmenter(text: str) -> list[Offsets]:
    """Vietnamese word segmentation (multi-syllable words) with underthesea, aligned back to ``text``."""
    try:
        from underthesea import word_tokenize
    except ImportError as exc:  # optional dependency, only needed for word-segmented encoders
        raise RuntimeError("word_segmenter 'underthesea' needs `pip install underthesea`") from exc
    out: list[Offsets] = []
    pos = 0
    for word in word_tokenize(text):
        # underthesea may normalize spacing inside a word; align syllable by syllable.
        syllables = word.split()
        first = last = None
        for syl in syllables:
            idx = text.find(syl, pos)
            if idx < 0:
                break
            first = idx if first is None else first
            pos = last = idx + len(syl)
        if first is not None and last is not None:
            out.append((first, last))
    return out


SEGMENTERS: dict[str, Segmenter] = {"whitespace": whitespace_segmenter, "underthesea": underthesea_segmenter}


@dataclass
class TokenizedText:
    """Content tokens of a text (no special tokens): ids, exact character offsets and word index."""

    ids: list[int]
    offsets: list[Offsets]
    word_ids: list[int]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class EncodedDocument:
    """A document as tokens, windows over them, sentence index per token, (if gold) BIO tag ids and (with
    feature groups) ``[n_tokens, n_channels]`` lexical feature ids."""

    doc: Document
    tokens: TokenizedText
    windows: list[Offsets]
    sentence_ids: list[int]
    tag_ids: list[int] | None = None
    owners: list[tuple[int, int]] = field(default_factory=list)
    feature_ids: np.ndarray | None = None


def _clean_offsets(text: str, raw: Sequence[Offsets]) -> list[Offsets]:
    """Strip whitespace from token offsets and make them non-overlapping, so spans map back exactly."""
    out: list[Offsets] = []
    prev_end = 0
    for start, end in raw:
        start = max(start, prev_end)
        end = max(end, start)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append((start, end))
        prev_end = max(prev_end, end)
    return out


def make_windows(n_tokens: int, content_length: int, stride: int) -> list[Offsets]:
    """Token ranges [start, end) of windows of ``content_length`` tokens overlapping by ``stride`` tokens."""
    if content_length <= stride:
        raise ValueError("window length must exceed the stride")
    if n_tokens <= content_length:
        return [(0, n_tokens)]
    step = content_length - stride
    windows = []
    start = 0
    while start + content_length < n_tokens:
        windows.append((start, start + content_length))
        start += step
    windows.append((n_tokens - content_length, n_tokens))
    return windows


def token_owners(windows: Sequence[Offsets], n_tokens: int) -> list[tuple[int, int]]:
    """For each token, (window index, position in window): the window where it is farthest from an edge.

    Tokens near a window edge see little context on one side; the overlap lets every token be read from the
    window that gives it the most.
    """
    best: list[tuple[int, int, int]] = [(-1, -1, -1)] * n_tokens
    for w, (start, end) in enumerate(windows):
        for tok in range(start, end):
            margin = min(tok - start, end - 1 - tok)
            if margin > best[tok][0]:
                best[tok] = (margin, w, tok - start)
    return [(w, pos) for _, w, pos in best]


class DocumentEncoder:
    """Tokenizes documents for one tokenizer and converts between spans and BIO tags."""

    def __init__(
        self,
        tokenizer: Any,
        *,
        max_length: int = 256,
        stride: int = 64,
        word_segmenter: str | None = None,
        word_joiner: str | None = None,
        features: Sequence[str] = (),
    ) -> None:
        self.tokenizer = tokenizer
        # Whole documents are tokenized, then windowed here: the tokenizer's length warning is noise.
        tokenizer.model_max_length = int(1e30)
        self.max_length = max_length
        self.stride = stride
        # Slow tokenizers have no offset mapping: they go through words.
        self.word_aligned = word_segmenter is not None or not getattr(tokenizer, "is_fast", False)
        self.segmenter = SEGMENTERS[word_segmenter or "whitespace"]
        self.word_joiner = word_joiner
        self.cls_id = _special_id(tokenizer, "cls_token_id", "bos_token_id")
        self.sep_id = _special_id(tokenizer, "sep_token_id", "eos_token_id")
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.lexical = LexicalFeatures(features) if features else None

    @property
    def content_length(self) -> int:
        return self.max_length - 2

    # -- tokens ------------------------------------------------------------------------------------------
    def tokenize(self, text: str) -> TokenizedText:
        if self.word_aligned:
            return self._tokenize_words(text)
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        word_ids = enc.word_ids()
        ids = list(enc["input_ids"])
        # A token outside any pre-tokenizer word is its own word (negative ids never collide).
        words = [w if w is not None else -1 - i for i, w in enumerate(word_ids)]
        return TokenizedText(ids, _clean_offsets(text, enc["offset_mapping"]), words)

    def _tokenize_words(self, text: str) -> TokenizedText:
        ids: list[int] = []
        offsets: list[Offsets] = []
        word_ids: list[int] = []
        for w, (start, end) in enumerate(self.segmenter(text)):
            word = text[start:end]
            if self.word_joiner is not None:
                word = self.word_joiner.join(word.split())
            pieces = self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(word)) or [
                self.tokenizer.unk_token_id
            ]
            ids += pieces
            offsets += [(start, end)] * len(pieces)
            word_ids += [w] * len(pieces)
        return TokenizedText(ids, offsets, word_ids)

    def encode(self, doc: Document, *, labels: EventSpec | None = None) -> EncodedDocument:
        """Tokens, windows and sentence ids of ``doc``; with ``labels``, also its spans as tag ids of that
        spec's tag set (training targets)."""
        tokens = self.tokenize(doc.text)
        windows = make_windows(len(tokens), self.content_length, self.stride)
        sentences = split_sentences(doc.text)
        sentence_ids = [sentence_index(sentences, s) if sentences else 0 for s, _ in tokens.offsets]
        tags = None
        if labels is not None:
            tags = [labels.tag_index[t] for t in spans_to_tags(doc.spans, tokens)]
        features = self.lexical.token_ids(doc.text, tokens.offsets) if self.lexical else None
        owners = token_owners(windows, len(tokens))
        return EncodedDocument(doc, tokens, windows, sentence_ids, tags, owners, features)

    def window_input_ids(self, enc: EncodedDocument, window: Offsets) -> list[int]:
        return [self.cls_id, *enc.tokens.ids[window[0] : window[1]], self.sep_id]

    def window_feature_ids(self, enc: EncodedDocument, window: Offsets) -> np.ndarray:
        """``[window length + 2, n_channels]`` feature ids, aligned with :meth:`window_input_ids` (the
        special tokens have none)."""
        if enc.feature_ids is None:
            raise ValueError("the document was encoded without feature groups")
        inside = enc.feature_ids[window[0] : window[1]]
        edge = np.zeros((1, inside.shape[1]), dtype=inside.dtype)
        return np.concatenate([edge, inside, edge])


def _special_id(tokenizer: Any, *names: str) -> int:
    for name in names:
        value = getattr(tokenizer, name, None)
        if value is not None:
            return int(value)
    raise ValueError(f"tokenizer has none of {names}")


# -- spans <-> tags ---------------------------------------------------------------------------------------
def span_token_range(span: Span | Offsets, tokens: TokenizedText) -> tuple[int, int] | None:
    """First and last (inclusive) token overlapping a span, or None when no token does."""
    start, end = (span.start, span.end) if isinstance(span, Span) else span
    hits = [i for i, (s, e) in enumerate(tokens.offsets) if s < end and e > start and e > s]
    return (hits[0], hits[-1]) if hits else None


def spans_to_tags(spans: Sequence[Span], tokens: TokenizedText) -> list[str]:
    """BIO tags per token: a word belongs to a span when any of its tokens overlaps it."""
    word_label: dict[int, tuple[str, int]] = {}
    for k, span in enumerate(sorted(spans, key=lambda s: s.start)):
        for i, (s, e) in enumerate(tokens.offsets):
            if s < span.end and e > span.start and e > s:
                word_label.setdefault(tokens.word_ids[i], (span.label, k))
    tags: list[str] = []
    prev: tuple[int, int] | None = None  # (word id, span index) of the previous tagged token
    for word in tokens.word_ids:
        if word not in word_label:
            tags.append("O")
            prev = None
            continue
        label, k = word_label[word]
        tags.append(f"I-{label}" if prev is not None and prev[1] == k else f"B-{label}")
        prev = (word, k)
    return tags


def word_consistent(tags: Sequence[str], word_ids: Sequence[int]) -> list[str]:
    """Give every subword the entity of its word's first subword (the first one carries the decision)."""
    out: list[str] = []
    first_tag: dict[int, str] = {}
    for i, tag in enumerate(tags):
        word = word_ids[i]
        if i > 0 and word_ids[i - 1] == word:
            head = first_tag[word]
            out.append("O" if head == "O" else "I-" + head[2:])
        else:
            first_tag[word] = tag
            out.append(tag)
    return out


@lru_cache(maxsize=8)
def _iob2_constraints(tags: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """[from, to] transition scores, 0 where strict IOB2 allows the transition and -inf where not (I-X only
    after B-X/I-X), and the start scores (no I-X first)."""
    mask = np.zeros((len(tags), len(tags)), dtype=np.float32)
    for j, to in enumerate(tags):
        if to.startswith("I-"):
            for i, prev in enumerate(tags):
                if prev[2:] != to[2:]:
                    mask[i, j] = float("-inf")
    no_start = np.array([float("-inf") if t.startswith("I-") else 0.0 for t in tags], dtype=np.float32)
    return mask, no_start


def viterbi_tags(log_probs: torch.Tensor, word_ids: Sequence[int], tags: tuple[str, ...]) -> list[str]:
    """The most probable strict-IOB2 sequence of ``tags`` (the model's tag set, in its logits' order) over
    words (each word's first subword decides).

    Taking each token's argmax and repairing it afterwards breaks "hơn một giờ" into pieces whenever one inner
    word is uncertain; the best *valid* sequence keeps the span whole when the evidence says so.
    """
    firsts = [i for i in range(len(word_ids)) if i == 0 or word_ids[i - 1] != word_ids[i]]
    if not firsts:
        return []
    # NumPy, not torch: each per-word step on an 11×11 matrix costs several times more in torch's dispatcher,
    # which made this loop a fifth of extraction time.
    emissions = log_probs[firsts].float().numpy()
    transitions, no_start = _iob2_constraints(tags)
    columns = np.arange(len(tags))
    score = emissions[0] + no_start
    back = np.empty((len(firsts), len(tags)), dtype=np.int64)
    for t in range(1, len(firsts)):
        total = score[:, None] + transitions  # [from, to]
        back[t] = total.argmax(0)
        score = total[back[t], columns] + emissions[t]
    best = [int(score.argmax())]
    for t in range(len(firsts) - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    word_tags = [tags[i] for i in reversed(best)]
    by_first = dict(zip(firsts, word_tags, strict=True))
    return word_consistent([by_first.get(i, "O") for i in range(len(word_ids))], word_ids)


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """Strict IOB2: an I-X that does not continue a B-X/I-X becomes B-X."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def tags_to_token_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, last token inclusive, label) for each entity of an IOB2 tag sequence."""
    spans: list[tuple[int, int, str]] = []
    for i, tag in enumerate(repair_iob2(tags)):
        if tag.startswith("B-"):
            spans.append((i, i, tag[2:]))
        elif tag.startswith("I-"):
            s, _, label = spans[-1]
            spans[-1] = (s, i, label)
    return spans


# "thứ Năm" is Thursday; the tagger sometimes leaves "thứ" out, and "Năm tuần trước" then reads "five weeks
# ago".
_WEEKDAY_NUMBERS = {"hai", "ba", "tư", "năm", "sáu", "bảy"}


def join_fragments(tags: Sequence[str], tokens: TokenizedText, text: str) -> list[str]:
    """Mend spans the tagger broke in two: a ``B-X`` right after an ``X`` span, one space or nothing
    between, continues it ("khoảng" + "25 phút", "các" + "cuộc điện đàm", "Olaf" + "Scholz"). In the gold
    annotations only 4 of 15,958 spans sit that close to one of their label; a line break between them keeps
    them apart (page stamps). A span never ends on a hyphen inside a word either ("al-" + "Sharaa" is one
    name), a weekday keeps its "thứ", and a list of days of one month stays one date."""
    out = list(tags)
    for i in range(1, len(out)):
        label = out[i - 1][2:]
        if out[i - 1] == "O" or out[i] == "I-" + label:
            continue
        (_, prev_end), (start, _) = tokens.offsets[i - 1], tokens.offsets[i]
        gap = text[prev_end:start]
        fragment = out[i] == "B-" + label and gap in ("", " ")
        cut_word = gap == "" and text[prev_end - 1 : prev_end] == "-" and text[start : start + 1].isalnum()
        if fragment or cut_word:
            out[i] = "I-" + label
    for i in range(1, len(out)):
        (prev_start, prev_end), (start, end) = tokens.offsets[i - 1], tokens.offsets[i]
        weekday = out[i] == "B-DATE" and text[start:end].casefold() in _WEEKDAY_NUMBERS
        if weekday and out[i - 1] == "O" and text[prev_start:prev_end].casefold() == "thứ":
            out[i - 1], out[i] = "B-DATE", "I-DATE"
    # "ngày 28 và 31/1": one DATE (several days of one month), which the tagger tends to cut at "và".
    for match in DAY_LIST.finditer(text):
        if not match["lead"]:
            continue
        inside = [i for i, (s, e) in enumerate(tokens.offsets) if match.start() <= s and e <= match.end()]
        if inside and out[inside[0]].endswith("-DATE") and out[inside[-1]].endswith("-DATE"):
            for i in inside[1:]:
                out[i] = "I-DATE"
    return out


def decode_spans(
    tags: Sequence[str], tokens: TokenizedText, text: str, scores: Sequence[float] | None = None
) -> list[tuple[Span, int, int]]:
    """Character spans from token tags (word-consistent, IOB2-repaired) with their first and last token.

    A span's score is the mean score of its tokens.
    """
    tags = word_consistent(tags, tokens.word_ids)
    out = []
    for first, last, label in tags_to_token_spans(tags):
        covered = [(s, e) for s, e in tokens.offsets[first : last + 1] if e > s]
        if not covered:
            continue
        start, end = covered[0][0], max(e for _, e in covered)
        score = sum(scores[first : last + 1]) / (last + 1 - first) if scores is not None else None
        out.append((Span(label, start, end, text[start:end], score=score), first, last))
    return out


def tags_to_spans(
    tags: Sequence[str], tokens: TokenizedText, text: str, scores: Sequence[float] | None = None
) -> list[Span]:
    return [span for span, _, _ in decode_spans(tags, tokens, text, scores)]
