"""Evaluation on gold documents: token (seqeval, strict IOB2), span, relation, status and event scores.

Written documents (the project's own) and real ones (seeds and corpus articles) are reported apart, and each
corpus of the real ones on its own (``corpus:NAME``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from diplo_ie.core.schema import CallEvent, Document, Relation, Span
from diplo_ie.evaluation.events import event_key, participants_key
from diplo_ie.evaluation.scores import by_label, count_matches
from diplo_ie.events import SPEC, assemble_events
from diplo_ie.modeling.encoding import repair_iob2, spans_to_tags, word_consistent
from diplo_ie.modeling.model import DiploModel
from diplo_ie.modeling.predict import Prediction
from diplo_ie.text.sentences import sentence_index, split_sentences

MISSED = "(span missed)"
GROUPS = {"all": None, "real": ("seed", "corpus"), "written": ("written",)}


def _span_key(span: Span) -> tuple[str, int, int]:
    return (span.label, span.start, span.end)


def _relation_keys(doc_key: str, spans: list[Span], relations: list[Relation]) -> list[tuple[str, Any]]:
    by_id = {s.id: s for s in spans}
    keys = []
    for r in relations:
        if r.head not in by_id or r.tail not in by_id:
            continue
        ends = (_span_key(by_id[r.head]), _span_key(by_id[r.tail]))
        if by_id[r.head].label == by_id[r.tail].label:  # mention–mention relations are symmetric
            ends = tuple(sorted(ends))
        keys.append((r.type, (doc_key, *ends)))
    return keys


def _sentence(doc: Document, offset: int) -> str:
    """The sentence around ``offset``, or its offsets only for third-party corpus articles (stand-off
    documents), whose text must not leak into reports that may be shared or committed."""
    sentences = split_sentences(doc.text)
    if not sentences:
        return ""
    start, end = sentences[sentence_index(sentences, offset)]
    if doc.source == "corpus":
        return f"[{doc.meta['standoff']['corpus']} text, characters {start}-{end}]"
    return doc.text[start:end]


def score_group(
    model: DiploModel,
    gold: list[Document],
    preds: list[Prediction],
    events: list[list[CallEvent]] | None,
) -> dict[str, Any]:
    """Scores of one group of documents; ``events``: the assembled events of each, None where the model's
    spec has no assembly."""
    gold_tags, pred_tags = [], []
    gold_spans, pred_spans, gold_rels, pred_rels = [], [], [], []
    spec = model.spec
    confusion: dict[str, Counter[str]] = {s: Counter() for s in spec.statuses}
    gold_events, pred_events = [], []
    errors = []
    for k, (doc, pred) in enumerate(zip(gold, preds, strict=True)):
        tokens = model.document_encoder.tokenize(doc.text)
        gold_tags.append(spans_to_tags(doc.spans, tokens))
        pred_tags.append(repair_iob2(word_consistent(pred.tags, tokens.word_ids)))
        g = Counter(_span_key(s) for s in doc.spans)
        p = Counter(_span_key(s) for s in pred.spans)
        gold_spans += [(k[0], (doc.id, *k)) for k in g.elements()]
        pred_spans += [(k[0], (doc.id, *k)) for k in p.elements()]
        gr, pr = (
            _relation_keys(doc.id, doc.spans, doc.relations),
            _relation_keys(doc.id, pred.spans, pred.relations),
        )
        gold_rels += gr
        pred_rels += pr
        doc_errors = [("missed", *k) for k in (g - p).elements()] + [
            ("spurious", *k) for k in (p - g).elements()
        ]
        doc_errors += [("missed relation", k[0], *k[1][1][1:], 0) for k in sorted(set(gr) - set(pr))]
        doc_errors += [("spurious relation", k[0], *k[1][1][1:], 0) for k in sorted(set(pr) - set(gr))]
        for kind, label, start, end, *_ in doc_errors:
            errors.append(
                {
                    "doc": doc.id,
                    "kind": kind,
                    "label": label,
                    "text": doc.text[start:end],
                    "sentence": _sentence(doc, start),
                }
            )
        pred_status = {
            (s.start, s.end): pred.call_status[s.id].status for s in pred.spans if s.id in pred.call_status
        }
        for event in doc.events:
            for mention in event.call_mentions:
                confusion[event.status][pred_status.get(tuple(mention), MISSED)] += 1
        if events is not None:
            gold_events += [(doc.id, e) for e in doc.events]
            pred_events += [(doc.id, e) for e in events[k]]
    report = classification_report(
        gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    result: dict[str, Any] = {
        "documents": len(gold),
        "tokens_seqeval": {k: {m: round(float(v), 4) for m, v in row.items()} for k, row in report.items()},
        "spans": by_label(gold_spans, pred_spans, spec.span_labels),
        "relations": by_label(gold_rels, pred_rels, spec.relation_types),
        "status_confusion": {g: dict(c) for g, c in confusion.items()},
        "worst_errors": _worst(errors),
    }
    if events is not None:
        result["events"] = {
            "event": count_matches(
                [(d, event_key(e)) for d, e in gold_events], [(d, event_key(e)) for d, e in pred_events]
            ).as_dict(),
            "participants": count_matches(
                [(d, participants_key(e)) for d, e in gold_events],
                [(d, participants_key(e)) for d, e in pred_events],
            ).as_dict(),
        }
    return result


def _worst(errors: list[dict[str, Any]], limit: int = 25) -> list[dict[str, Any]]:
    """Errors of the documents with the most errors first."""
    per_doc = Counter(e["doc"] for e in errors)
    return sorted(errors, key=lambda e: (-per_doc[e["doc"]], e["doc"]))[:limit]


def evaluate(model: DiploModel, docs: list[Document], batch_size: int = 16) -> dict[str, Any]:
    preds = model.predict_detailed(docs, batch_size)
    # Assembled once per document; the groups below share them.
    events = (
        [assemble_events(p.to_analysis(d)) for d, p in zip(docs, preds, strict=True)]
        if model.spec == SPEC
        else None
    )

    def scores(chosen: list[int]) -> dict[str, Any]:
        chosen_events = None if events is None else [events[i] for i in chosen]
        return score_group(model, [docs[i] for i in chosen], [preds[i] for i in chosen], chosen_events)

    out: dict[str, Any] = {}
    for name, sources in GROUPS.items():
        chosen = [i for i, d in enumerate(docs) if sources is None or d.source in sources]
        if chosen or name == "all":
            out[name] = scores(chosen)
    # Each corpus apart too: a model can gain on one newspaper's style and lose on another's.
    for corpus in sorted({_corpus(d) for d in docs} - {None}):
        chosen = [i for i, d in enumerate(docs) if _corpus(d) == corpus]
        out[f"corpus:{corpus}"] = scores(chosen)
    return out


def _corpus(doc: Document) -> str | None:
    """The corpus a stand-off corpus article comes from; None for seeds and written articles."""
    return doc.meta.get("standoff", {}).get("corpus") if doc.source == "corpus" else None
