"""Event assembly: from a document's predicted (or gold) spans, relations and call statuses to CallEvents."""

from __future__ import annotations

import datetime as dt

from diplo_ie.annotations.store import PUBLISHED_ESTIMATE
from diplo_ie.events.assemble import assemble
from diplo_ie.leaders import Gazetteer
from diplo_ie.modeling.predict import CALL_STATUS_KEY, StatusPrediction
from diplo_ie.normalize import parse_date
from diplo_ie.prepare import find_dateline
from diplo_ie.schema import CallEvent, Document, Span

__all__ = ["assemble", "assemble_events", "document_anchor", "gold_status_votes"]

ESTIMATE_MARGIN = dt.timedelta(days=21)


def document_anchor(doc: Document) -> dt.date | None:
    """The date relative expressions resolve against: ``published``, else a dateline, else the corpus's
    estimate of the publication date, else the latest full date the article itself gives."""
    if doc.published:
        try:
            return dt.date.fromisoformat(doc.published[:10])
        except ValueError:
            pass
    dateline = find_dateline(doc.text)
    if dateline is not None:
        return dateline
    estimate = doc.meta.get(PUBLISHED_ESTIMATE)
    if estimate:
        # An estimate is weeks off: leave room so dates just after it still fall in the same year.
        return dt.date.fromisoformat(estimate) + ESTIMATE_MARGIN
    return _latest_full_date(doc.spans)


def _latest_full_date(spans: list[Span]) -> dt.date | None:
    found = []
    for span in spans:
        if span.label == "DATE":
            value = parse_date(span.text)
            if value is not None and value.value and value.granularity == "day" and value.value[0].isdigit():
                found.append(dt.date.fromisoformat(value.value))
    return max(found) if found else None


def gold_status_votes(doc: Document) -> dict[str, StatusPrediction]:
    """The gold status of each CALL span, in the form the model predicts it (probability 1)."""
    by_offsets = {(s.start, s.end): s.id for s in doc.spans}
    votes: dict[str, StatusPrediction] = {}
    for event in doc.events:
        for offsets in event.call_mentions:
            votes.setdefault(by_offsets[tuple(offsets)] or "", StatusPrediction(event.status, 1.0))
    return votes


def assemble_events(doc: Document, gazetteer: Gazetteer | None = None) -> list[CallEvent]:
    """Events of a predicted document (statuses in ``doc.meta["call_status"]``, as the model writes them)."""
    votes = {k: StatusPrediction(**v) for k, v in doc.meta.get(CALL_STATUS_KEY, {}).items()}
    return assemble(
        doc.text, doc.spans, doc.relations, votes, gazetteer or Gazetteer.load(), document_anchor(doc)
    )
