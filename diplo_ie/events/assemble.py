"""Deterministic event assembly: from predicted spans, relations and call statuses to CallEvents.

1. CALL mentions linked by ``same_call`` form one call.
2. Each call collects the participants, dates and durations its mentions are linked to.
3. Participants are resolved to people of the article (:mod:`diplo_ie.events.entities`); dates and
   durations are normalized (:mod:`diplo_ie.normalize`), "cùng ngày" taking the date of the nearest
   earlier dated mention.
4. A call with several date values ("ngày 28 và 31/1") becomes one event per date; a mention of separate
   calls with more than two people ("điện đàm riêng rẽ với A và B") becomes one event per counterpart.
5. Calls with the same people and date (or no date) are merged; calls with fewer than two people are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from diplo_ie.events.entities import Entity, EntityIndex, LeaderLexicon
from diplo_ie.labels import STATUSES
from diplo_ie.normalize import parse_date, parse_duration
from diplo_ie.schema import CallEvent, DateValue, DurationValue, Relation, Span, Trigger
from diplo_ie.sentences import sentence_index, split_sentences

# "riêng rẽ", "lần lượt", "riêng với": one mention, separate calls.
_SEPARATE = re.compile(r"riêng rẽ|lần lượt|riêng biệt|từng người", re.IGNORECASE)
# "ngày 28 và 31/1", "28, 29 và 31/1": several days sharing one month.
_DAY_LIST = re.compile(r"(\d{1,2})((?:\s*(?:,|và)\s*\d{1,2})+)\s*[/.-]\s*(\d{1,2}(?:\s*[/.-]\s*\d{4})?)")
_SAME_DAY = re.compile(r"cùng ngày|cùng hôm|cùng thời điểm", re.IGNORECASE)


@dataclass
class _Call:
    mentions: list[Span]
    people: list[Entity] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    duration: DurationValue | None = None
    scores: list[float] = field(default_factory=list)


def _union_find(calls: list[Span], relations: list[Relation]) -> list[list[Span]]:
    parent = {c.id: c.id for c in calls}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in relations:
        if rel.type == "same_call" and rel.head in parent and rel.tail in parent:
            parent[find(rel.head)] = find(rel.tail)
    groups: dict[str, list[Span]] = defaultdict(list)
    for call in calls:
        groups[find(call.id)].append(call)
    return sorted(groups.values(), key=lambda g: g[0].start)


def date_values(span: Span, anchor: dt.date | None) -> list[DateValue]:
    """The date values of a DATE span; a list of days ("ngày 28 và 31/1") gives one value per day."""
    m = _DAY_LIST.search(span.text)
    parts = [span.text]
    if m:
        days = [m.group(1), *re.findall(r"\d{1,2}", m.group(2))]
        parts = [f"ngày {day}/{m.group(3)}" for day in days]
    values = []
    for part in parts:
        parsed = parse_date(part, anchor)
        if parsed is not None:
            values.append(DateValue(span.text, parsed.value, parsed.granularity, span.start, span.end))
    return values or [DateValue(span.text, None, None, span.start, span.end)]


class _DateResolver:
    """Dates in text order, so "cùng ngày" can borrow the value of the nearest earlier dated mention."""

    def __init__(self, spans: list[Span], anchor: dt.date | None):
        self._anchor = anchor
        self._dated = sorted(
            ((s.start, v) for s in spans if s.label == "DATE" for v in date_values(s, anchor) if v.value),
            key=lambda x: x[0],
        )

    def values(self, span: Span) -> list[DateValue]:
        values = date_values(span, self._anchor)
        if values[0].value is None and _SAME_DAY.search(span.text):
            earlier = [v for start, v in self._dated if start < span.start]
            if earlier:
                ref = earlier[-1]
                return [DateValue(span.text, ref.value, ref.granularity, span.start, span.end)]
        return values


def assemble_events(
    text: str,
    spans: list[Span],
    relations: list[Relation],
    call_status: Mapping[str, Mapping[str, float]],
    lexicon: LeaderLexicon,
    anchor: dt.date | None = None,
) -> list[CallEvent]:
    """Build the call events of one document from its (predicted or gold) analysis.

    ``call_status`` maps each CALL span id to status probabilities. Relation and span ``score`` values
    (1.0 when absent) feed the events' confidence.
    """
    by_id = {s.id: s for s in spans}
    entities = EntityIndex(spans, relations, lexicon, anchor.year if anchor else None)
    dates = _DateResolver(spans, anchor)
    outgoing: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        if rel.head in by_id and rel.tail in by_id:
            outgoing[rel.head].append(rel)

    calls = []
    for group in _union_find([s for s in spans if s.label == "CALL"], relations):
        call = _Call(group, scores=[_score(s) for s in group])
        for rel in (r for m in group for r in outgoing[m.id]):
            tail = by_id[rel.tail]
            call.scores.append(_score(rel))
            if rel.type == "participant":
                entity = entities.resolve(tail)
                if entity not in call.people:
                    call.people.append(entity)
            elif rel.type == "time":
                call.dates += [d for d in dates.values(tail) if d.value not in {x.value for x in call.dates}]
            elif rel.type == "duration" and call.duration is None:
                call.duration = _duration(tail)
        calls.append(call)

    sentences = split_sentences(text)
    events = []
    for call in _merge(_split(calls, text, sentences)):
        if len(call.people) < 2:
            continue
        events.append(_event(call, text, sentences, call_status))
    return sorted(events, key=lambda e: e.trigger.start if e.trigger else 0)


def _score(item: Span | Relation) -> float:
    return 1.0 if item.score is None else item.score


def _duration(span: Span) -> DurationValue:
    parsed = parse_duration(span.text)
    if parsed is None:
        return DurationValue(span.text, None, None, None, span.start, span.end)
    return DurationValue(span.text, parsed.minutes, parsed.iso, parsed.qualifier, span.start, span.end)


def _split(calls: list[_Call], text: str, sentences: list[tuple[int, int]]) -> list[_Call]:
    out = []
    for call in calls:
        pieces = [call]
        if len(call.people) > 2 and any(_separate_calls(m, text, sentences) for m in call.mentions):
            pieces = [
                _Call(call.mentions, [call.people[0], other], call.dates, call.duration, call.scores)
                for other in call.people[1:]
            ]
        for piece in pieces:
            if len(piece.dates) > 1:
                out += [
                    _Call(piece.mentions, piece.people, [d], piece.duration, piece.scores)
                    for d in piece.dates
                ]
            else:
                out.append(piece)
    return out


def _separate_calls(mention: Span, text: str, sentences: list[tuple[int, int]]) -> bool:
    start, end = sentences[sentence_index(sentences, mention.start)] if sentences else (0, len(text))
    return bool(_SEPARATE.search(text[start:end]))


def _key(call: _Call) -> frozenset[int]:
    return frozenset(id(p) for p in call.people)


def _merge(calls: list[_Call]) -> list[_Call]:
    """Join calls that are the same conversation: same people, and the same date or no date on one side."""
    merged: list[_Call] = []
    for call in calls:
        value = call.dates[0].value if call.dates else None
        target = next(
            (
                m for m in merged
                if _key(m) == _key(call)
                and (value is None or not m.dates or m.dates[0].value == value)
            ),
            None,
        )  # fmt: skip
        if target is None:
            merged.append(call)
            continue
        target.mentions = sorted({*target.mentions, *call.mentions}, key=lambda s: s.start)
        target.dates = target.dates or call.dates
        target.duration = target.duration or call.duration
        target.scores += call.scores
    return merged


def _event(
    call: _Call, text: str, sentences: list[tuple[int, int]], call_status: Mapping[str, Mapping[str, float]]
) -> CallEvent:
    totals = dict.fromkeys(STATUSES, 0.0)
    for mention in call.mentions:
        for status, prob in call_status.get(mention.id or "", {}).items():
            totals[status] += prob
    status = max(STATUSES, key=lambda s: totals[s])
    status_conf = totals[status] / max(len(call.mentions), 1)
    trigger = call.mentions[0]
    start, end = sentences[sentence_index(sentences, trigger.start)] if sentences else (0, len(text))
    confidence = min([status_conf, *call.scores]) if call.scores else status_conf
    return CallEvent(
        participants=[p.participant() for p in call.people],
        status=status,
        date=call.dates[0] if call.dates else None,
        duration=call.duration,
        trigger=Trigger(trigger.text, trigger.start, trigger.end),
        call_mentions=[(m.start, m.end) for m in call.mentions],
        evidence=text[start:end],
        confidence=round(confidence, 4),
    )
