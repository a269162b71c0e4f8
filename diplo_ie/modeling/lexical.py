"""Lexical features per token, computed from the text alone, that a tagger trained from random weights can use
from its first epoch (names, titles and date forms it never saw in training):

- ``shape``: how the token's syllable is written (lower, Capitalized, ALLCAPS, digits, punctuation...);
- ``lexicon``: inside a leader's name or surname (:mod:`diplo_ie.lexicon.leaders`), an office title or role
  word (:mod:`diplo_ie.lexicon.titles`), a country name (:mod:`diplo_ie.lexicon.countries`), as B/I flags;
- ``syllable``: whether a word is spelled like a Vietnamese syllable (``data/vietnamese_syllables.tsv``);
- ``patterns``: inside a date or a duration the normalizers read (:mod:`diplo_ie.normalize`), as B/I flags,
  and on a status cue of event assembly (``data/assembly_cues.tsv``: "sẽ", "dự kiến", "không có").

Each group is one or more channels; a channel gives every token one small id: 0 for special tokens, padding
and empty tokens, 1 outside anything the channel marks, 2 and up for what it marks. A token takes the value of
the syllable or match its first character lies in, so the subwords of one word agree. Matches are
leftmost-longest at exact character offsets; everything is linear in the text and the matchers are built once
per process.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Final

import numpy as np

from diplo_ie.lexicon.countries import country_names
from diplo_ie.lexicon.leaders import Gazetteer, Leader, written_forms
from diplo_ie.lexicon.titles import ROLE_WORDS, TITLE_SYNONYMS
from diplo_ie.normalize import dates, durations
from diplo_ie.normalize.dates import parse_date
from diplo_ie.normalize.durations import parse_duration
from diplo_ie.normalize.text import strip_diacritics

NONE: Final = 0  # special tokens, padding, tokens without characters
OUTSIDE: Final = 1

SYLLABLES_FILE = "data/vietnamese_syllables.tsv"
SHAPES: Final = ("lower", "capitalized", "allcaps", "mixed", "digits", "alphanumeric", "punctuation")


@dataclass(frozen=True)
class Channel:
    """One categorical input of the model. ``kinds`` are what it marks; a ``bio`` channel gives each kind a
    B id (the token where a match starts) and an I id (the other tokens of the match)."""

    name: str
    kinds: tuple[str, ...]
    bio: bool = False

    @property
    def size(self) -> int:
        """The number of ids, NONE and OUTSIDE included."""
        return 2 + len(self.kinds) * (2 if self.bio else 1)


# Keyed and ordered as diplo_ie.modeling.config.FeatureGroup, the config's names for them.
FEATURE_GROUPS: Final[dict[str, tuple[Channel, ...]]] = {
    "shape": (Channel("shape", SHAPES),),
    "lexicon": (
        Channel("leader", ("name", "surname"), bio=True),
        Channel("title", ("title", "role"), bio=True),
        Channel("country", ("country",), bio=True),
    ),
    "syllable": (Channel("syllable", ("vietnamese", "foreign")),),
    "patterns": (
        Channel("date", ("date",), bio=True),
        Channel("duration", ("duration",), bio=True),
        Channel("cue", ("planned", "negated")),
    ),
}


def feature_groups(names: Iterable[str]) -> tuple[str, ...]:
    """The named feature groups in their canonical order, so a model's channels do not depend on how its
    config lists them; a ValueError names an unknown group."""
    names = list(names)
    for name in names:
        if name not in FEATURE_GROUPS:
            raise ValueError(f"unknown feature group {name!r} (known: {', '.join(FEATURE_GROUPS)})")
    return tuple(g for g in FEATURE_GROUPS if g in names)


# A segment: (start, end, kind index) in characters; a channel's segments are sorted and never overlap.
Segment = tuple[int, int, int]

_SYLLABLE = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
# What may stand between two words of one name or title: spaces, or one joiner ("Pu-tin", "V.Putin",
# "Kim Jong-un", "O'Brien"); a line break or other punctuation ends a match.
_JOINED = re.compile(r"[ \t\u00a0]*[-.'’‐–]?[ \t\u00a0]*")


class _Text:
    """A text with the views the channels share, each computed once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lower(self) -> str:
        """Lower case at the same offsets (the normalizers' patterns are written for lower case)."""
        lower = self.text.lower()
        if len(lower) == len(self.text):
            return lower
        return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in self.text)

    @cached_property
    def syllables(self) -> list[tuple[int, int]]:
        """Runs of letters and digits, and single punctuation marks."""
        return [m.span() for m in _SYLLABLE.finditer(self.text)]

    @cached_property
    def words(self) -> list[tuple[int, int]]:
        return [m.span() for m in _WORD.finditer(self.text)]

    @cached_property
    def keys(self) -> list[str]:
        """Each word's lexicon key (:func:`word_key`)."""
        return [word_key(self.text[s:e]) for s, e in self.words]

    @cached_property
    def joined(self) -> list[bool]:
        """For each word, whether it continues the word before it (within one name or title)."""
        words = self.words
        return [False] + [
            _JOINED.fullmatch(self.text, a_end, b_start) is not None
            for (_, a_end), (b_start, _) in itertools.pairwise(words)
        ]


# -- shape and syllable -------------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def syllable_shape(syllable: str) -> int:
    """Index in SHAPES of a syllable's written form."""
    if not syllable[0].isalnum():
        return SHAPES.index("punctuation")
    if syllable.isdigit():
        return SHAPES.index("digits")
    if any(ch.isdigit() for ch in syllable):
        return SHAPES.index("alphanumeric")
    if syllable.islower():
        return SHAPES.index("lower")
    if syllable.isupper():
        return SHAPES.index("allcaps" if len(syllable) > 1 else "capitalized")
    if syllable[0].isupper() and syllable[1:].islower():
        return SHAPES.index("capitalized")
    return SHAPES.index("mixed")


@dataclass(frozen=True)
class SyllableInventory:
    """The spelling rules of ``data/vietnamese_syllables.tsv``."""

    initials: frozenset[str]
    rhymes: frozenset[str]
    stop_finals: tuple[str, ...]
    front_only: frozenset[str]
    not_front: frozenset[str]

    @classmethod
    def parse(cls, lines: Iterable[str]) -> SyllableInventory:
        entries: dict[str, list[str]] = {}
        for line in lines:
            if line.strip() and not line.startswith("#"):
                kind, value = line.rstrip("\n").split("\t")
                entries.setdefault(kind, []).append(value)
        return cls(
            frozenset(entries["initial"]),
            frozenset(entries["rhyme"]),
            tuple(entries["stop_final"]),
            frozenset(entries["front_only"]),
            frozenset(entries["not_front"]),
        )

    @classmethod
    @cache
    def load(cls) -> SyllableInventory:
        text = resources.files("diplo_ie").joinpath(SYLLABLES_FILE).read_text(encoding="utf-8")
        return cls.parse(text.splitlines())

    def accepts(self, syllable: str) -> bool:
        """Whether ``syllable`` (letters only) is spelled like a Vietnamese syllable."""
        split = _split_tone(syllable)
        if split is None:
            return False
        base, tone = split
        for n in range(min(3, len(base)), -1, -1):
            initial, rest = base[:n], base[n:]
            if n and initial not in self.initials:
                continue
            # "gì", "giếng": after "gi" the rhyme's own i is not written again.
            for rhyme in (rest, "i" + rest) if initial == "gi" else (rest,):
                if rhyme in self.rhymes and self._spelling_allows(initial, rhyme, tone):
                    return True
        return False

    def _spelling_allows(self, initial: str, rhyme: str, tone: str | None) -> bool:
        front = rhyme[0] in "eêiy"
        if (initial in self.front_only and not front) or (initial in self.not_front and front):
            return False
        return not rhyme.endswith(self.stop_finals) or tone in (_SAC, _NANG)


_SAC, _NANG = "\u0301", "\u0323"
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def _split_tone(syllable: str) -> tuple[str, str | None] | None:
    """The syllable in lower case without its tone mark, and the mark; None with more than one."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return None
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return base, tones[0] if tones else None


@lru_cache(maxsize=1 << 16)
def is_vietnamese_syllable(word: str) -> bool:
    return SyllableInventory.load().accepts(word)


def _shape_segments(t: _Text) -> list[Segment]:
    return [(s, e, syllable_shape(t.text[s:e])) for s, e in t.syllables]


def _syllable_segments(t: _Text) -> list[Segment]:
    out = []
    for s, e in t.words:
        word = t.text[s:e]
        if word.isalpha():
            out.append((s, e, 0 if is_vietnamese_syllable(word) else 1))
    return out


# -- lexicons -----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """How lexicon entries and text words compare: case-insensitively, diacritics kept."""
    return unicodedata.normalize("NFC", word).lower()


# A phrase that takes its words from shorter matches inside it and marks nothing.
NOT_MARKED: Final = -1


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    kind: int | None = None  # set where a phrase ends


@dataclass
class PhraseMatcher:
    """Leftmost-longest matching of phrases word by word: a trie of word keys, so the time is linear in the
    text whatever the number of phrases. ``capitalized``: a match must start with an upper-case letter (names
    and countries; "Anh" is Britain, "anh" a pronoun). A phrase of kind NOT_MARKED is matched but not
    returned."""

    capitalized: bool = False
    root: _Node = field(default_factory=_Node)

    def add(self, phrase: str, kind: int) -> None:
        """Add ``phrase``; a phrase added twice keeps its first kind."""
        node = self.root
        for word in _WORD.findall(phrase):
            node = node.children.setdefault(word_key(word), _Node())
        if node is not self.root and node.kind is None:
            node.kind = kind

    def find(self, t: _Text) -> list[Segment]:
        words, keys, joined, text = t.words, t.keys, t.joined, t.text
        out: list[Segment] = []
        i = 0
        while i < len(words):
            if self.capitalized and not text[words[i][0]].isupper():
                i += 1
                continue
            node, j, last, kind = self.root.children.get(keys[i]), i, -1, 0
            while node is not None:
                if node.kind is not None:
                    last, kind = j, node.kind
                j += 1
                if j == len(words) or not joined[j]:
                    break
                node = node.children.get(keys[j])
            if last >= 0:
                if kind != NOT_MARKED:
                    out.append((words[i][0], words[last][1], kind))
                i = last + 1
            else:
                i += 1
        return out


@cache
def leader_matcher() -> PhraseMatcher:
    """Leaders' names and variants (kind 0), also without diacritics ("Erdoğan" = "Erdogan"), then their
    surnames alone (kind 1: "ông Putin", "ông Tập"). Country names hold some surnames ("Trung" of "Trung
    Quốc", "Thái" of "Thái Lan"): as longer matches they take those words and mark nothing."""
    matcher = PhraseMatcher(capitalized=True)
    leaders = Gazetteer.load().leaders
    for leader in leaders:
        for form in written_forms(leader):
            matcher.add(form, 0)
            matcher.add(strip_diacritics(form), 0)
    for leader in leaders:
        for surname in _surnames(leader):
            matcher.add(surname, 1)
    for name in country_names():
        matcher.add(name, NOT_MARKED)
    return matcher


def _surnames(leader: Leader) -> set[str]:
    """The first or last words of a leader's written forms that the gazetteer takes for a surname, as written
    ("Sôn-xơ" of "Ô-láp Sôn-xơ"), with diacritics: "Tống" is not "Tổng", and the undotted "Trong" of "Nguyen
    Phu Trong" is left out ("Trong", in, opens many sentences)."""
    found = set()
    for form in written_forms(leader):
        words = _WORD.findall(form)
        for part in (*(words[:k] for k in range(1, len(words))), *(words[k:] for k in range(len(words)))):
            phrase = " ".join(part)
            if len(phrase) > 1 and strip_diacritics(word_key(phrase)) in leader.surnames:
                found.add(phrase)
    return {f for f in found if not any(g != f and strip_diacritics(g) == f for g in found)}


@cache
def title_matcher() -> PhraseMatcher:
    """Office titles (kind 0) and role words ("người đồng cấp", kind 1), in any case."""
    matcher = PhraseMatcher()
    for title in TITLE_SYNONYMS:
        matcher.add(title, 0)
    for role in ROLE_WORDS:
        matcher.add(role, 1)
    return matcher


@cache
def country_matcher() -> PhraseMatcher:
    """Country names, aliases and metonyms, diacritics kept ("Úc" is not "Uc")."""
    matcher = PhraseMatcher(capitalized=True)
    for name in country_names():
        matcher.add(name, 0)
    return matcher


# -- patterns: the normalizers' own, so the hints agree with what date and duration normalization reads ---


def _leftmost_longest(candidates: list[tuple[int, int]]) -> list[Segment]:
    out: list[Segment] = []
    end = -1
    for s, e in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if s >= end:
            out.append((s, e, 0))
            end = e
    return out


def _date_segments(t: _Text) -> list[Segment]:
    # A pattern alone over-matches ("qua" without "hôm", "30 ngày" without "trước"): the normalizer decides.
    spans = {
        m.span() for pattern in dates.DATE_PATTERNS for m in pattern.finditer(t.lower) if m.end() > m.start()
    }
    return _leftmost_longest([(s, e) for s, e in spans if parse_date(t.text[s:e]) is not None])


def _duration_segments(t: _Text) -> list[Segment]:
    # The pattern reads "chính" as "chín h" (nine hours); a real duration has a digit or two words.
    spans = [m.span() for m in durations.DURATION.finditer(t.lower) if re.search(r"[\d\s]", m[0])]
    return _leftmost_longest([(s, e) for s, e in spans if parse_duration(t.text[s:e]) is not None])


@cache
def _cue_pattern() -> re.Pattern[str]:
    """Status markers of event assembly: a planned call ("sẽ", "dự kiến") or a negated one ("không có",
    "chưa")."""
    # Imported here: importing event assembly loads all its stages, which no other channel needs.
    from diplo_ie.events.cues import CUES_FILE, parse_cues, words

    text = resources.files("diplo_ie").joinpath(CUES_FILE).read_text(encoding="utf-8")
    sets = parse_cues(text.splitlines())
    negated = (*sets["denied"], *sets["negation"])
    return re.compile(
        rf"(?<!\w)(?:(?P<planned>{words(sets['planned'])})|(?P<negated>{words(negated)}))(?!\w)",
        re.IGNORECASE,
    )


def _cue_segments(t: _Text) -> list[Segment]:
    return [(*m.span(), 0 if m["planned"] else 1) for m in _cue_pattern().finditer(t.text)]


_SEGMENTERS: Final[dict[str, Callable[[_Text], list[Segment]]]] = {
    "shape": _shape_segments,
    "leader": lambda t: leader_matcher().find(t),
    "title": lambda t: title_matcher().find(t),
    "country": lambda t: country_matcher().find(t),
    "syllable": _syllable_segments,
    "date": _date_segments,
    "duration": _duration_segments,
    "cue": _cue_segments,
}


def find_segments(text: str, kinds: Iterable[str]) -> dict[str, list[Segment]]:
    """What each matcher named (keys of the segmenters: "leader", "title", "country", "date", "duration",
    "cue") finds in ``text``: (start, end, kind) at character offsets, leftmost-longest; the text's words are
    read once for all of them."""
    t = _Text(text)
    return {kind: _SEGMENTERS[kind](t) for kind in kinds}


# -- tokens -------------------------------------------------------------------------------------------------
def _token_values(channel: Channel, segments: list[Segment], starts: np.ndarray) -> np.ndarray:
    """Each token's id in ``channel``: from the segment holding its first character, else OUTSIDE."""
    if not segments:
        return np.full(len(starts), OUTSIDE, dtype=np.int64)
    seg = np.asarray(segments, dtype=np.int64)
    k = np.searchsorted(seg[:, 0], starts, side="right") - 1
    hit = seg[np.maximum(k, 0)]
    inside = (k >= 0) & (starts < hit[:, 1])
    # B and I ids of kind k are 2 + 2k and 3 + 2k; a plain channel's id of kind k is 2 + k.
    values = 2 + 2 * hit[:, 2] + (starts != hit[:, 0]) if channel.bio else 2 + hit[:, 2]
    return np.where(inside, values, OUTSIDE)


class LexicalFeatures:
    """The channels of some feature groups, computed for the tokens of a text."""

    def __init__(self, groups: Iterable[str]) -> None:
        self.groups = feature_groups(groups)
        self.channels = tuple(c for g in self.groups for c in FEATURE_GROUPS[g])

    def segments(self, text: str) -> dict[str, list[Segment]]:
        """Each channel's marked character ranges (for inspection and tests)."""
        t = _Text(text)
        return {c.name: _SEGMENTERS[c.name](t) for c in self.channels}

    def token_ids(self, text: str, offsets: Sequence[tuple[int, int]]) -> np.ndarray:
        """``[n_tokens, n_channels]`` ids of tokens at character ``offsets`` of ``text``."""
        out = np.zeros((len(offsets), len(self.channels)), dtype=np.int64)
        if not len(offsets):
            return out
        bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
        starts = bounds[:, 0]
        t = _Text(text)
        for c, channel in enumerate(self.channels):
            out[:, c] = _token_values(channel, _SEGMENTERS[channel.name](t), starts)
        out[bounds[:, 1] <= starts] = NONE
        return out
