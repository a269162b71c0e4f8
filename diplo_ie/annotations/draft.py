"""Pre-annotation: a model's spans and events in the compact authoring form, for an annotator to correct.

Every predicted span becomes ``[key, label, text, occurrence]`` and every assembled event refers to those
keys, so the draft compiles as it is (``diplo-ie annotations compile``) and an annotator edits, adds or
deletes entries instead of writing a document from nothing. Drafts carry the model's mistakes: they are a
starting point, never gold.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from diplo_ie.annotations.compact import occurrences
from diplo_ie.annotations.corpus import fixed_split, load_corpus
from diplo_ie.core.schema import CallEvent, Document, Span
from diplo_ie.events import assemble_events
from diplo_ie.lexicon.leaders import Gazetteer


def compact_spans(text: str, spans: list[Span]) -> tuple[list[list[Any]], dict[tuple[int, int], str]]:
    """Compact entries for the spans that sit on word boundaries, and each kept span's key by its offsets."""
    entries: list[list[Any]] = []
    keys: dict[tuple[int, int], str] = {}
    for span in sorted(spans, key=lambda s: s.start):
        found = occurrences(text, span.text)
        if span.start not in found:
            continue  # a fragment inside a word cannot be written by its text
        key = f"{span.label[0].lower()}{len(entries) + 1}"
        entries.append([key, span.label, span.text, found.index(span.start)])
        keys[(span.start, span.end)] = key
    return entries, keys


def compact_event(event: CallEvent, keys: dict[tuple[int, int], str]) -> dict[str, Any]:
    def refs(offsets: Iterable[tuple[int, int]]) -> list[str]:
        return [keys[tuple(o)] for o in offsets if tuple(o) in keys]

    out: dict[str, Any] = {
        "status": event.status,
        "calls": refs(event.call_mentions),
        "participants": [
            {"name": p.name, "title": p.title, "country": p.country, "spans": refs(p.mentions)}
            for p in event.participants
        ],
    }
    if event.date is not None:
        out["date"] = {"value": event.date.value, "span": keys.get((event.date.start, event.date.end))}
    if event.duration is not None and (event.duration.start, event.duration.end) in keys:
        out["duration"] = {
            "minutes": event.duration.minutes,
            "span": keys[(event.duration.start, event.duration.end)],
            "qualifier": event.duration.qualifier,
        }
    return out


def draft_records(model, corpus: str, article_ids: list[str]) -> list[dict[str, Any]]:
    """Compact stand-off records for ``article_ids`` of ``corpus``, pre-annotated by ``model``."""
    texts = load_corpus(corpus)
    missing = [a for a in article_ids if a not in texts]
    if missing:
        raise KeyError(f"not in corpus {corpus!r}: {', '.join(missing[:5])}")
    docs = [Document(id=f"{corpus}-{a}", text=texts[a]) for a in article_ids]
    gazetteer = Gazetteer.load()
    records = []
    for doc, analysis in zip(docs, model.analyze(docs), strict=True):
        entries, keys = compact_spans(doc.text, analysis.spans)
        events = [e for e in assemble_events(analysis, gazetteer) if e.call_mentions]
        record: dict[str, Any] = {
            "id": doc.id,
            "standoff": {"corpus": corpus, "article_id": doc.id.removeprefix(f"{corpus}-")},
            "source": "corpus",
            "split": fixed_split(corpus, doc.id.removeprefix(f"{corpus}-")),
            "spans": entries,
            "events": [compact_event(e, keys) for e in events],
        }
        records.append(record)
    return records
