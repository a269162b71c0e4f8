"""The hand-off from the tagger to event assembly: one text's spans, relations and call statuses.

The model writes an :class:`Analysis` (:meth:`diplo_ie.modeling.predict.Prediction.to_analysis`); gold
annotations give one too (:meth:`Analysis.from_gold`), so event assembly runs the same on both and never needs
torch, the model or the annotation store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from diplo_ie.core.schema import Document, Relation, Span
from diplo_ie.normalize import parse_date
from diplo_ie.text.prepare import find_dateline

# Document.meta key of a corpus article's estimated publication date (set by the annotation store).
PUBLISHED_ESTIMATE = "published_estimate"
# An estimate is weeks off: leave room so dates just after it still fall in the same year.
ESTIMATE_MARGIN = dt.timedelta(days=21)


@dataclass(frozen=True)
class StatusVote:
    """The status a call mention reports (occurred, planned, denied) and the probability given to it."""

    status: str
    score: float


@dataclass
class Analysis:
    """What the tagger says about one text. ``statuses`` is keyed by CALL span id; ``anchor`` is the date that
    relative expressions ("hôm qua", "cùng ngày") resolve against; ``anchor_bound`` says it is only the latest
    date the article gives, which its publication may follow by days or years."""

    text: str
    spans: list[Span]
    relations: list[Relation]
    statuses: dict[str, StatusVote] = field(default_factory=dict)
    anchor: dt.date | None = None
    anchor_bound: bool = False

    @classmethod
    def from_gold(cls, doc: Document) -> Analysis:
        """The gold annotation of ``doc`` as an analysis: its spans and relations, and each CALL span voting
        for its event's status with probability 1."""
        by_offsets = {(s.start, s.end): s.id for s in doc.spans}
        statuses: dict[str, StatusVote] = {}
        for event in doc.events:
            for offsets in event.call_mentions:
                statuses.setdefault(by_offsets[tuple(offsets)] or "", StatusVote(event.status, 1.0))
        return cls(doc.text, doc.spans, doc.relations, statuses, *document_anchor(doc))


def document_anchor(doc: Document) -> tuple[dt.date | None, bool]:
    """The date relative expressions resolve against: ``published``, else a dateline, else the corpus's
    estimate of the publication date, else the latest full date the article itself gives; and whether it is
    that last one, a lower bound only."""
    if doc.published:
        try:
            return dt.date.fromisoformat(doc.published[:10]), False
        except ValueError:
            pass
    dateline = find_dateline(doc.text)
    if dateline is not None:
        return dateline, False
    estimate = doc.meta.get(PUBLISHED_ESTIMATE)
    if estimate:
        return dt.date.fromisoformat(estimate) + ESTIMATE_MARGIN, False
    latest = _latest_full_date(doc.spans)
    return latest, latest is not None


def _latest_full_date(spans: list[Span]) -> dt.date | None:
    found = []
    for span in spans:
        if span.label == "DATE":
            value = parse_date(span.text)
            if value is not None and value.value and value.granularity == "day" and value.value[0].isdigit():
                found.append(dt.date.fromisoformat(value.value))
    return max(found) if found else None
