"""Validation of annotation files: every problem is reported with file:line and a plain message."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplo_ie.annotations.corpus import CorpusUnavailableError, blind_ids, sha256_text
from diplo_ie.annotations.store import (
    AnnotationFormatError,
    RecordLocation,
    annotation_files,
    read_records,
    record_to_document,
)
from diplo_ie.core.schema import SOURCES, SPLITS, Document
from diplo_ie.core.spec import CALL_SPEC


@dataclass(frozen=True)
class Problem:
    location: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


def validate_paths(paths: Iterable[str | Path]) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    blind: frozenset[str] | None = None
    for path in annotation_files(paths):
        if not path.is_file():
            problems.append(Problem(str(path), "no such file"))
            continue
        if blind is None:
            blind = blind_ids(path.parent)
        try:
            for loc, record in read_records(path):
                problems += _validate_record(loc, record, seen_ids, blind)
        except AnnotationFormatError as exc:
            problems.append(Problem(str(path), str(exc)))
        except UnicodeDecodeError:
            problems.append(Problem(str(path), "file is not UTF-8"))
    return problems


def _validate_record(
    loc: RecordLocation, record: dict[str, Any], seen_ids: dict[str, str], blind: frozenset[str]
) -> list[Problem]:
    def err(message: str) -> Problem:
        return Problem(str(loc), message)

    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        return [err("record has no string 'id'")]
    out: list[Problem] = []
    if doc_id in seen_ids:
        out.append(err(f"duplicate document id {doc_id!r} (first at {seen_ids[doc_id]})"))
    seen_ids.setdefault(doc_id, str(loc))
    standoff = record.get("standoff")
    article_id = str(standoff.get("article_id")) if isinstance(standoff, dict) else None
    if article_id in blind or doc_id in blind or any(part in blind for part in doc_id.split("-")):
        out.append(err(f"document {doc_id!r} is from the blind test set, which must never be annotated"))
    if ("text" in record) == (standoff is not None):
        return [*out, err("a record needs exactly one of 'text' and 'standoff'")]
    try:
        doc = record_to_document(record, loc.path.parent)
    except CorpusUnavailableError as exc:
        return [*out, Problem(str(loc), f"{doc_id}: cannot check stand-off document: {exc}", "warning")]
    except (AnnotationFormatError, KeyError, TypeError, ValueError) as exc:
        return [*out, err(f"{doc_id}: malformed record: {exc}")]
    if standoff is not None and standoff.get("sha256") != sha256_text(doc.text):
        return [*out, err(f"{doc_id}: stand-off sha256 does not match the text of article {article_id!r}")]
    return out + [err(f"{doc_id}: {m}") for m in check_document(doc)]


def check_document(doc: Document) -> list[str]:
    """Plain messages for every inconsistency inside one document."""
    msgs: list[str] = []
    if doc.source is not None and doc.source not in SOURCES:
        msgs.append(f"unknown source {doc.source!r} (known: {', '.join(SOURCES)})")
    if doc.split is not None and doc.split not in SPLITS:
        msgs.append(f"unknown split {doc.split!r}")
    msgs += _check_spans(doc)
    msgs += _check_relations(doc)
    msgs += _check_events(doc)
    return msgs


def _check_spans(doc: Document) -> list[str]:
    msgs: list[str] = []
    n = len(doc.text)
    for span in doc.spans:
        where = f"span {span.id or '?'} [{span.start}:{span.end}]"
        if span.label not in CALL_SPEC.span_labels:
            msgs.append(f"{where}: unknown label {span.label!r} (known: {', '.join(CALL_SPEC.span_labels)})")
        if not (0 <= span.start < span.end <= n):
            msgs.append(f"{where}: offsets out of range (text has {n} characters)")
        elif doc.text[span.start : span.end] != span.text:
            msgs.append(
                f"{where}: span text {span.text!r} != text at offsets {doc.text[span.start : span.end]!r}"
            )
    for sid, count in Counter(s.id for s in doc.spans).items():
        if sid is None:
            msgs.append(f"{count} span(s) without id")
        elif count > 1:
            msgs.append(f"duplicate span id {sid!r}")
    ordered = sorted(doc.spans, key=lambda s: (s.start, s.end))
    for a, b in itertools.pairwise(ordered):
        if (a.start, a.end) == (b.start, b.end):
            msgs.append(f"duplicate span: {a.id} and {b.id} both cover [{a.start}:{a.end}]")
        elif b.start < a.end:
            msgs.append(f"overlapping spans {a.id} [{a.start}:{a.end}] and {b.id} [{b.start}:{b.end}]")
    return msgs


def _check_relations(doc: Document) -> list[str]:
    msgs: list[str] = []
    spans = doc.span_by_id()
    for rel in doc.relations:
        head, tail = spans.get(rel.head), spans.get(rel.tail)
        missing = [r for r, s in ((rel.head, head), (rel.tail, tail)) if s is None]
        if missing:
            msgs.append(f"relation {rel.id}: points to missing span(s) {', '.join(missing)}")
        elif head and tail and not CALL_SPEC.relation_allowed(rel.type, head.label, tail.label):
            msgs.append(f"relation {rel.id}: type {rel.type!r} does not link {head.label} -> {tail.label}")
    for rid, count in Counter(r.id for r in doc.relations).items():
        if count > 1:
            msgs.append(f"duplicate relation id {rid!r}")
    for key, count in Counter((r.type, r.head, r.tail) for r in doc.relations).items():
        if count > 1:
            msgs.append(f"duplicate relation {key[0]} {key[1]} -> {key[2]}")
    return msgs


def _check_events(doc: Document) -> list[str]:
    msgs: list[str] = []
    by_offsets = {(s.start, s.end): s for s in doc.spans}
    owned_calls: set[tuple[int, int]] = set()

    def expect(offsets: tuple[int, int] | None, labels: tuple[str, ...], what: str, eid: str) -> None:
        span = by_offsets.get(tuple(offsets)) if offsets is not None else None
        if span is None or span.label not in labels:
            msgs.append(f"event {eid}: {what} {list(offsets or [])} is not a {'/'.join(labels)} span")

    for event in doc.events:
        eid = event.id or "?"
        if event.status not in CALL_SPEC.statuses:
            msgs.append(
                f"event {eid}: unknown status {event.status!r} (known: {', '.join(CALL_SPEC.statuses)})"
            )
        if not event.call_mentions:
            msgs.append(f"event {eid}: has no CALL mention")
        for offsets in event.call_mentions:
            expect(offsets, (CALL_SPEC.trigger,), "call mention", eid)
            owned_calls.add(tuple(offsets))
        if len(event.participants) < 2:
            msgs.append(f"event {eid}: a call needs at least two participants")
        for participant in event.participants:
            for offsets in participant.mentions:
                expect(offsets, ("LEADER", "TITLE"), "participant mention", eid)
        for attr, label in (("date", "DATE"), ("duration", "DURATION")):
            value = getattr(event, attr)
            if value is not None and value.start is not None:
                expect((value.start, value.end), (label,), attr, eid)
    for span in doc.spans:
        if span.label == CALL_SPEC.trigger and (span.start, span.end) not in owned_calls:
            msgs.append(f"CALL span {span.id} belongs to no event")
    for eid, count in Counter(e.id for e in doc.events).items():
        if eid is not None and count > 1:
            msgs.append(f"duplicate event id {eid!r}")
    return msgs
