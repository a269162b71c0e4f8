"""Data model: spans, relations, documents and call events, with JSON round-trip.

Every class serializes with ``to_dict()`` to plain JSON types and is rebuilt by ``from_dict()``;
``from_dict(x.to_dict()) == x`` holds for all of them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Final, Self

Offsets = tuple[int, int]


class _JsonDataclass:
    """Mixin giving nested dataclasses a lossless dict round-trip."""

    def to_dict(self) -> dict[str, Any]:
        return _to_json(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        hints = typing.get_type_hints(cls)
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
        return cls(**{k: _from_json(hints[k], v) for k, v in data.items()})


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def _from_json(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_json(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_from_json(item, v) for v in value]
    if origin is tuple:
        return tuple(value)
    if isinstance(hint, type) and issubclass(hint, _JsonDataclass):
        return hint.from_dict(value)
    return value


@dataclass
class Span(_JsonDataclass):
    """A labelled character span ``text[start:end]``."""

    label: str
    start: int
    end: int
    text: str
    id: str | None = None
    score: float | None = None


@dataclass
class Relation(_JsonDataclass):
    """A typed, directed link between two spans, by span id."""

    type: str
    head: str
    tail: str
    id: str | None = None
    score: float | None = None


@dataclass
class Trigger(_JsonDataclass):
    text: str
    start: int
    end: int


@dataclass
class DateValue(_JsonDataclass):
    """A date expression and its TIMEX3-style value ("2024-11-15", "2022-12", "XXXX-11-15")."""

    text: str
    value: str | None
    granularity: str | None = None  # "day", "month", "year"
    start: int | None = None
    end: int | None = None


@dataclass
class DurationValue(_JsonDataclass):
    """A duration expression, its length in minutes and ISO 8601 form ("PT1H15M")."""

    text: str
    minutes: int | None
    iso: str | None = None
    qualifier: str | None = None  # "hơn", "gần", "khoảng", ...
    start: int | None = None
    end: int | None = None


@dataclass
class Participant(_JsonDataclass):
    """One side of a call: the fullest name the article gives, or null with the role."""

    name: str | None
    title: str | None = None
    country: str | None = None
    mentions: list[Offsets] = field(default_factory=list)
    wikidata: str | None = None


@dataclass
class CallEvent(_JsonDataclass):
    """One phone or video conversation between leaders or officials (annotations/GUIDELINES.md §1)."""

    participants: list[Participant]
    status: str
    date: DateValue | None = None
    duration: DurationValue | None = None
    trigger: Trigger | None = None
    call_mentions: list[Offsets] = field(default_factory=list)
    evidence: str | None = None
    confidence: float | None = None
    id: str | None = None

    def __repr__(self) -> str:
        """Short: who, when, status ("CallEvent(Olaf Scholz — Vladimir Putin, 2024-11-15, occurred)");
        ``to_dict()`` has every field."""
        people = " — ".join(
            p.name or " ".join(x for x in (p.title, p.country) if x) or "?" for p in self.participants
        )
        date = (self.date.value or self.date.text) if self.date else "no date"
        return f"CallEvent({people}, {date}, {self.status})"


# Values of Document.source and Document.split.
SOURCES: Final = ("seed", "written", "corpus")
SPLITS: Final = ("train", "dev", "test")


@dataclass
class Document(_JsonDataclass):
    """An article with its spans, relations and events (gold or predicted).

    ``source`` says where the text comes from ("seed", "written", "corpus"); ``split`` is its data split.
    Corpus documents may be stored stand-off: see :mod:`diplo_ie.annotations`.
    """

    id: str
    text: str
    published: str | None = None
    source: str | None = None
    split: str | None = None
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[CallEvent] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def span_by_id(self) -> dict[str, Span]:
        return {s.id: s for s in self.spans if s.id is not None}
