"""Mention replacement: training copies of an article with other names, titles, dates and durations.

A from-scratch tagger trained on a few hundred articles learns the names it has seen; putting other leaders'
names (from the gazetteer and the training data), other date and duration expressions in the same contexts
teaches it that the context, not the name, makes a LEADER or a DATE. Spans, relations and call statuses move
with the text; CALL mentions and everything outside the replaced mentions are left as written.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable
from dataclasses import dataclass

from diplo_ie.core.schema import CallEvent, Document, Span
from diplo_ie.lexicon.leaders import Gazetteer

REPLACED_LABELS = ("LEADER", "TITLE", "DATE", "DURATION")


@dataclass
class MentionPools:
    """Surface forms to draw replacements from, per span label (sorted, so draws are reproducible)."""

    by_label: dict[str, list[str]]

    @classmethod
    def from_documents(cls, docs: Iterable[Document], gazetteer: Gazetteer | None = None) -> MentionPools:
        pools: dict[str, set[str]] = {label: set() for label in REPLACED_LABELS}
        for doc in docs:
            for span in doc.spans:
                if span.label in pools and span.text.strip():
                    pools[span.label].add(span.text.strip())
        if gazetteer is not None:
            pools["LEADER"].update(v for leader in gazetteer.leaders for v in (leader.name, *leader.variants))
        return cls({label: sorted(texts) for label, texts in pools.items() if texts})


def replace_mentions(doc: Document, pools: MentionPools, rng: random.Random) -> Document:
    """A copy of ``doc`` whose LEADER/TITLE/DATE/DURATION mentions are replaced; the same mention text gets
    the same replacement throughout the article, so a person stays one person."""
    chosen: dict[tuple[str, str], str] = {}
    pieces: list[str] = []
    moves: list[tuple[int, int]] = []  # (old offset, shift) at the start of each replaced mention's end
    spans: list[Span] = []
    at, shift = 0, 0
    for span in sorted(doc.spans, key=lambda s: s.start):
        pool = pools.by_label.get(span.label)
        if not pool or span.start < at:
            spans.append(dataclasses.replace(span, start=span.start + shift, end=span.end + shift))
            continue
        key = (span.label, span.text)
        new = chosen.setdefault(key, rng.choice(pool))
        pieces += [doc.text[at : span.start], new]
        start = span.start + shift
        spans.append(dataclasses.replace(span, start=start, end=start + len(new), text=new))
        shift += len(new) - (span.end - span.start)
        moves.append((span.end, shift))
        at = span.end
    pieces.append(doc.text[at:])

    def moved(offset: int) -> int:
        return offset + next((s for end, s in reversed(moves) if end <= offset), 0)

    # Only the CALL mentions' statuses are needed from the events (the status head's labels).
    events = [
        CallEvent(
            participants=[],
            status=e.status,
            call_mentions=[(moved(s), moved(e_)) for s, e_ in e.call_mentions],
        )
        for e in doc.events
    ]
    return dataclasses.replace(doc, text="".join(pieces), spans=spans, events=events)
