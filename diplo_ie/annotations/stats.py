"""Counts over annotated documents, rendered as a Markdown table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from diplo_ie.core.schema import Document
from diplo_ie.core.spec import CALL_SPEC


@dataclass
class AnnotationStats:
    documents: Counter[str] = field(default_factory=Counter)  # per source/split group
    spans: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    with_events: Counter[str] = field(default_factory=Counter)


def _group(doc: Document) -> str:
    return f"{doc.source or '?'}/{doc.split or '-'}"


def compute_stats(docs: Iterable[Document]) -> AnnotationStats:
    stats = AnnotationStats()
    for doc in docs:
        group = _group(doc)
        stats.documents[group] += 1
        stats.with_events[group] += bool(doc.events)
        stats.spans.update(s.label for s in doc.spans)
        stats.events.update(e.status for e in doc.events)
        stats.relations.update(r.type for r in doc.relations)
    return stats


def render_stats(stats: AnnotationStats) -> str:
    lines = ["| documents (source/split) | count | with events |", "|---|---:|---:|"]
    for group in sorted(stats.documents):
        lines.append(f"| {group} | {stats.documents[group]} | {stats.with_events[group]} |")
    lines.append(f"| **total** | {sum(stats.documents.values())} | {sum(stats.with_events.values())} |")
    for title, counter, keys in (
        ("spans per label", stats.spans, CALL_SPEC.span_labels),
        ("events per status", stats.events, CALL_SPEC.statuses),
        ("relations per type", stats.relations, CALL_SPEC.relation_types),
    ):
        lines += ["", f"| {title} | count |", "|---|---:|"]
        lines += [f"| {k} | {counter[k]} |" for k in keys]
        lines.append(f"| **total** | {sum(counter.values())} |")
    return "\n".join(lines)
