"""The compact authoring form: spans written by their text instead of offsets.

Hand-writing offsets is error-prone, so annotators write a compact record and compile it::

    {"id": "w-0001", "source": "written", "published": "2024-11-16", "text": "...",
     "spans": [["c1", "CALL", "điện đàm"],            # key, label, text: first occurrence
               ["d1", "DATE", "15/11", 1],             # ... or its n-th occurrence (0-based)
               ["LEADER", "Putin", "*"]],              # every occurrence not inside another span
     "events": [{"status": "occurred", "calls": ["c1"],
                 "participants": [{"name": "Vladimir Putin", "title": "Tổng thống", "country": "Nga",
                                   "spans": ["l1", "text:Putin"]}],    # keys, or all spans with that text
                 "date": {"value": "2024-11-15", "span": "d1"},
                 "duration": {"minutes": 60, "span": "u1", "qualifier": "hơn"}}]}

Stand-off records give ``"standoff": {"corpus": ..., "article_id": ...}`` instead of ``text``; the hash is
filled in. Occurrences match on word boundaries. The result is a full :class:`~diplo_ie.core.schema.Document`
with span ids T1..Tn, relations derived by :func:`~diplo_ie.annotations.derive.derive_relations`.
"""

from __future__ import annotations

import re
from typing import Any

from diplo_ie.annotations.corpus import sha256_text
from diplo_ie.annotations.derive import derive_relations
from diplo_ie.annotations.store import resolve_text
from diplo_ie.core.schema import CallEvent, DateValue, Document, DurationValue, Participant, Span, Trigger
from diplo_ie.core.spec import CALL_SPEC
from diplo_ie.normalize.durations import minutes_to_iso
from diplo_ie.text.sentences import sentence_index, split_sentences


class CompactError(ValueError):
    pass


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``text`` on word boundaries."""
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    return [m.start() for m in pattern.finditer(text)]


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(start < s.end and s.start < end for s in spans)


def _place_spans(text: str, entries: list[list[Any]]) -> tuple[list[Span], dict[str, Span]]:
    spans: list[Span] = []
    keyed: dict[str, Span] = {}
    deferred: list[tuple[str, str]] = []
    for entry in entries:
        key = None if entry[0] in CALL_SPEC.span_labels else entry[0]
        label, needle, *rest = entry[1:] if key else entry
        if label not in CALL_SPEC.span_labels:
            raise CompactError(f"unknown label {label!r} in {entry}")
        which = rest[0] if rest else 0
        if which == "*":
            deferred.append((label, needle))
            continue
        found = occurrences(text, needle)
        if len(found) <= which:
            raise CompactError(f"{needle!r}: occurrence {which} not found ({len(found)} in text)")
        span = Span(label, found[which], found[which] + len(needle), needle)
        if _overlaps(span.start, span.end, spans):
            raise CompactError(f"{entry} overlaps another span")
        spans.append(span)
        if key:
            if key in keyed:
                raise CompactError(f"duplicate key {key!r}")
            keyed[key] = span
    for label, needle in deferred:
        if not occurrences(text, needle):
            # Typed in another Unicode form than the text's (decomposed accents), say: never drop it silently.
            raise CompactError(f"{needle!r}: no occurrence in the text")
        for start in occurrences(text, needle):
            if not _overlaps(start, start + len(needle), spans):
                spans.append(Span(label, start, start + len(needle), needle))
    spans.sort(key=lambda s: s.start)
    for i, span in enumerate(spans, start=1):
        span.id = f"T{i}"
    return spans, keyed


def _refs(refs: list[str], keyed: dict[str, Span], spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for ref in refs:
        if ref.startswith("text:"):
            matches = [s for s in spans if s.text == ref[5:]]
            if not matches:
                raise CompactError(f"no span has text {ref[5:]!r}")
            out += matches
        elif ref in keyed:
            out.append(keyed[ref])
        else:
            raise CompactError(f"unknown span key {ref!r}")
    return sorted({s.start: s for s in out}.values(), key=lambda s: s.start)


def _event(spec: dict[str, Any], keyed: dict[str, Span], spans: list[Span], text: str, idx: int) -> CallEvent:
    calls = _refs(spec["calls"], keyed, spans)
    participants = [
        Participant(
            name=p.get("name"),
            title=p.get("title"),
            country=p.get("country"),
            mentions=[(s.start, s.end) for s in _refs(p.get("spans", []), keyed, spans)],
            wikidata=p.get("wikidata"),
        )
        for p in spec["participants"]
    ]
    date = duration = None
    if spec.get("date"):
        d = spec["date"]
        s = keyed[d["span"]] if d.get("span") else None
        date = DateValue(
            s.text if s else d.get("text", ""),
            d["value"],
            d.get("granularity") or _granularity(d["value"]),
            s.start if s else None,
            s.end if s else None,
        )
    if spec.get("duration"):
        d = spec["duration"]
        s = keyed[d["span"]]
        duration = DurationValue(
            s.text, d["minutes"], minutes_to_iso(d["minutes"]), d.get("qualifier"), s.start, s.end
        )
    first = calls[0]
    sentences = split_sentences(text)
    sent = sentences[sentence_index(sentences, first.start)] if sentences else (0, len(text))
    return CallEvent(
        participants=participants,
        status=spec["status"],
        date=date,
        duration=duration,
        trigger=Trigger(first.text, first.start, first.end),
        call_mentions=[(c.start, c.end) for c in calls],
        evidence=text[sent[0] : sent[1]],
        id=f"E{idx}",
    )


def _granularity(value: str | None) -> str | None:
    if not value:
        return None
    return {1: "year", 2: "month", 3: "day"}.get(len(value.split("-")))


def compile_compact(record: dict[str, Any], hint=None) -> Document:
    """Turn a compact record into a full Document (offsets, ids, relations, events)."""
    text = resolve_text(record, hint)
    spans, keyed = _place_spans(text, record.get("spans", []))
    events = [_event(e, keyed, spans, text, i) for i, e in enumerate(record.get("events", []), start=1)]
    meta = dict(record.get("meta", {}))
    if "standoff" in record:
        meta["standoff"] = {**record["standoff"], "sha256": sha256_text(text)}
    doc = Document(
        id=record["id"],
        text=text,
        published=record.get("published"),
        source=record.get("source"),
        split=record.get("split"),
        spans=spans,
        events=events,
        meta=meta,
    )
    doc.relations = derive_relations(doc)
    return doc
