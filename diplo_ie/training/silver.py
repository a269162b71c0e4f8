"""Silver labels: the spans an unlabelled article gets from the lexicons and the normalizers alone, for a
first fine-tuning stage on many more articles than the annotated ones (names and titles the gold never
showed).

- TITLE: an office of the title lexicon, with the country named right after it ("Tổng thống Nga"), and a role
  phrase with its country ("người đồng cấp Pháp"; without one, "các nhà lãnh đạo" is nobody in particular);
- LEADER: a name of the leaders' gazetteer, and any run of capitalised words right after a silver title or
  "ông"/"bà": the title anchors a name the gazetteer does not know ("Thủ tướng Hà Lan Dick Schoof");
- DATE: what the date normalizer reads, with the words of the day before it ("chiều ngày 15/11"); an ordinal
  "thứ hai" (second) is no weekday without them;
- DURATION: what the duration normalizer reads, in a sentence with a silver CALL (other lengths are no
  call's);
- CALL: the call phrases of ``data/silver.tsv``.

Silver spans are exact character spans that never overlap; they carry no relations, statuses or events.
``bench/silver.py`` measures them against the gold spans. :func:`silver_documents` picks the articles of a
first fine-tuning stage (``silver`` in a training config): articles of the train half of a registered corpus
that name a call, neither annotated nor blind.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources

from diplo_ie.annotations.corpus import blind_ids, fixed_split, load_corpus
from diplo_ie.core.schema import Document, Span
from diplo_ie.events.cues import parse_cues, words
from diplo_ie.modeling.lexical import Segment, find_segments
from diplo_ie.text.sentences import split_sentences

SILVER_FILE = "data/silver.tsv"
# Earlier labels win an overlap: a call phrase or a date is never part of a name.
LABEL_ORDER = ("CALL", "DATE", "DURATION", "TITLE", "LEADER")
_MAX_NAME_WORDS = 5
_SPACES = re.compile(r"[ \t\u00a0]+")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*\.?")
_DAY_WORDS = re.compile(
    r"(?:(?:rạng\s+)?(?:sáng|trưa|chiều|tối|đêm)\s+)?(?:(?:ngày|hôm|hồi|mùng|mồng|năm)\s+)?\Z", re.IGNORECASE
)
_BARE_ORDINAL = re.compile(r"thứ\s", re.IGNORECASE)


@dataclass(frozen=True)
class _Words:
    call: re.Pattern[str]
    anchor: re.Pattern[str]
    not_name: frozenset[str]


@cache
def _words() -> _Words:
    text = resources.files("diplo_ie").joinpath(SILVER_FILE).read_text(encoding="utf-8")
    sets = parse_cues(text.splitlines())
    return _Words(
        call=re.compile(r"(?<!\w)" + words(sets["call"]) + r"(?!\w)", re.IGNORECASE),
        anchor=re.compile(r"(?<!\w)" + words(sets["anchor"]) + r"(?!\w)", re.IGNORECASE),
        not_name=frozenset(sets["not_name"]),
    )


def _titles(text: str, found: dict[str, list[Segment]]) -> list[tuple[int, int]]:
    countries = {start: end for start, end, _ in found["country"]}
    out = []
    for start, end, kind in found["title"]:
        gap = _SPACES.match(text, end)
        if gap and gap.end() in countries:
            out.append((start, countries[gap.end()]))
        elif kind == 0:  # a role word alone ("các nhà lãnh đạo") mostly stands for nobody in particular
            out.append((start, end))
    return out


def _name_after(text: str, at: int, not_name: frozenset[str]) -> tuple[int, int] | None:
    """The run of capitalised words that starts right after ``at`` (spaces between), if any."""
    gap = _SPACES.match(text, at)
    if gap is None:
        return None
    start = end = gap.end()
    for _ in range(_MAX_NAME_WORDS):
        word = _NAME_WORD.match(text, end)
        if word is None or not word.group()[0].isupper() or (end == start and word.group() in not_name):
            break
        end = word.end()
        following = _SPACES.match(text, end)
        nxt = _NAME_WORD.match(text, following.end()) if following else None
        if nxt is None or not nxt.group()[0].isupper():
            break
        end = following.end() if following else end
    end = start + len(text[start:end].rstrip(" \t\u00a0."))
    return (start, end) if end > start else None


def _dates(text: str, found: list[Segment]) -> list[tuple[int, int]]:
    out = []
    for start, end, _ in found:
        day_words = _DAY_WORDS.search(text, 0, start)
        first = day_words.start() if day_words else start
        if first == start and _BARE_ORDINAL.match(text, start) and not text[start].isupper():
            continue
        out.append((first, end))
    return out


def _durations(text: str, found: list[Segment], calls: list[tuple[int, int]]) -> list[tuple[int, int]]:
    sentences = split_sentences(text)
    with_call = [(s, e) for s, e in sentences if any(s <= c < e for c, _ in calls)]
    return [(start, end) for start, end, _ in found if any(s <= start < e for s, e in with_call)]


def silver_spans(text: str) -> list[Span]:
    """The silver spans of ``text`` in text order, ids S1..Sn."""
    vocabulary = _words()
    segments = find_segments(text, ("country", "title", "leader", "date", "duration"))
    calls = [m.span() for m in vocabulary.call.finditer(text)]
    titles = _titles(text, segments)
    anchors = [end for _, end in titles] + [m.end() for m in vocabulary.anchor.finditer(text)]
    found = {
        "CALL": calls,
        "DATE": _dates(text, segments["date"]),
        "DURATION": _durations(text, segments["duration"], calls),
        "TITLE": titles,
        "LEADER": [(s, e) for s, e, kind in segments["leader"] if kind == 0]
        + [name for at in anchors if (name := _name_after(text, at, vocabulary.not_name))],
    }
    taken: list[tuple[int, int, str]] = []
    for label in LABEL_ORDER:
        for start, end in sorted(set(found[label]), key=lambda se: (se[0], -se[1])):
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, label))
    taken.sort()
    return [Span(label, s, e, text[s:e], f"S{i}") for i, (s, e, label) in enumerate(taken, 1)]


def silver_documents(
    corpora: list[str], limit: int, annotated: Collection[tuple[str, str]], seed: int
) -> list[Document]:
    """Up to ``limit`` articles, a seeded sample, of the registered ``corpora`` that name a call (a silver
    CALL), each with its silver spans. Never an article of ``annotated`` ((corpus, article id) pairs), of the
    blind set, or of a corpus's dev half: dev stays news the model has never read."""
    blind = blind_ids()
    call = _words().call
    candidates = []
    for corpus in corpora:
        for article_id, text in sorted(load_corpus(corpus).items()):
            if (
                (corpus, article_id) not in annotated
                and article_id not in blind
                and fixed_split(corpus, article_id) == "train"
                and call.search(text)
            ):
                candidates.append((corpus, article_id, text))
    chosen = random.Random(seed).sample(candidates, min(limit, len(candidates)))
    return [
        Document(
            id=f"{corpus}-{article_id}", text=text, source="corpus", split="train", spans=silver_spans(text)
        )
        for corpus, article_id, text in chosen
    ]
