"""Training rows: one per window of a gold document, with BIO targets and teacher-forced span/pair targets.

Rows hold plain lists so they go into a Hugging Face ``datasets.Dataset``; :func:`collate` pads a list of rows
into a :class:`WindowBatch`. Positions in a row count the leading special token (position 0). A model with
lexical feature groups also gets each position's feature ids (``feature_ids``, all 0 at special tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from diplo_ie.core.schema import Document
from diplo_ie.core.spec import EventSpec
from diplo_ie.modeling.encoding import IGNORE_INDEX, DocumentEncoder, EncodedDocument, span_token_range
from diplo_ie.modeling.pairs import TokenSpan, candidate_pairs


def gold_mention_status(doc: Document) -> dict[tuple[int, int], str]:
    """Status of each event mention, from the first event that lists it."""
    status: dict[tuple[int, int], str] = {}
    for event in doc.events:
        for start, end in event.call_mentions:
            status.setdefault((start, end), event.status)
    return status


def window_rows(
    enc: EncodedDocument,
    encoder: DocumentEncoder,
    max_pair_distance: int,
    spec: EventSpec,
    relations: bool = True,
) -> list[dict[str, Any]]:
    """Training rows of one labelled document, one per window. Without ``relations`` (silver documents: spans
    only) no span pair is an example, since a relation nobody annotated is not a gold "no relation"."""
    assert enc.tag_ids is not None, "encode the document with labels"
    doc = enc.doc
    statuses = gold_mention_status(doc)
    no_relation = len(spec.relation_types)
    token_ranges = {id(s): span_token_range(s, enc.tokens) for s in doc.spans}
    gold_types = {
        (r.head, r.tail): spec.relation_types.index(r.type)
        for r in doc.relations
        if r.type in spec.relation_types
    }
    rows: list[dict[str, Any]] = []
    for w_start, w_end in enc.windows:
        inside = [
            s
            for s in doc.spans
            if token_ranges[id(s)] is not None
            and w_start <= token_ranges[id(s)][0]
            and token_ranges[id(s)][1] < w_end
            and s.label in spec.span_labels
        ]
        tspans = [
            TokenSpan(
                token_ranges[id(s)][0] - w_start + 1,
                token_ranges[id(s)][1] - w_start + 1,
                s.label,
                enc.sentence_ids[token_ranges[id(s)][0]],
            )
            for s in inside
        ]
        pairs = candidate_pairs(tspans if relations else [], max_pair_distance, spec.signature_type)
        pair_labels = []
        for h, t in zip(pairs.heads, pairs.tails, strict=True):
            hid, tid = inside[h].id, inside[t].id
            rel = gold_types.get((hid, tid))
            if rel is None and inside[h].label == inside[t].label:  # same_call is symmetric
                rel = gold_types.get((tid, hid))
            pair_labels.append(no_relation if rel is None else rel)
        status_spans = [
            i for i, s in enumerate(inside) if s.label == spec.trigger and (s.start, s.end) in statuses
        ]
        rows.append(
            {
                "input_ids": encoder.window_input_ids(enc, (w_start, w_end)),
                "tag_ids": [IGNORE_INDEX, *enc.tag_ids[w_start:w_end], IGNORE_INDEX],
                "span_starts": [t.start for t in tspans],
                "span_ends": [t.end for t in tspans],
                "span_labels": [spec.span_labels.index(t.label) for t in tspans],
                "pair_heads": pairs.heads,
                "pair_tails": pairs.tails,
                "pair_buckets": pairs.buckets,
                "pair_same_sentence": pairs.same_sentence,
                "pair_labels": pair_labels,
                "status_spans": status_spans,
                "status_labels": [
                    spec.statuses.index(statuses[(inside[i].start, inside[i].end)]) for i in status_spans
                ],
            }
        )
        if enc.feature_ids is not None:
            rows[-1]["feature_ids"] = encoder.window_feature_ids(enc, (w_start, w_end)).tolist()
    return rows


@dataclass
class WindowBatch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    tag_ids: torch.Tensor
    # Flat over the batch; span positions are indices into the flattened [B * L] token axis.
    span_starts: torch.Tensor
    span_ends: torch.Tensor
    span_labels: torch.Tensor
    span_lo: torch.Tensor  # first and last content position of the span's sequence (status context bounds)
    span_hi: torch.Tensor
    pair_heads: torch.Tensor  # indices into the flat span list
    pair_tails: torch.Tensor
    pair_buckets: torch.Tensor
    pair_same_sentence: torch.Tensor
    pair_labels: torch.Tensor
    status_spans: torch.Tensor
    status_labels: torch.Tensor
    feature_ids: torch.Tensor | None = None  # [B, L, channels] for a model with lexical features


def collate(rows: list[dict[str, Any]], pad_id: int) -> WindowBatch:
    width = max(len(r["input_ids"]) for r in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    tags = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
    features = None
    if "feature_ids" in rows[0]:
        features = torch.zeros((len(rows), width, len(rows[0]["feature_ids"][0])), dtype=torch.long)
    flat: dict[str, list[int]] = {
        k: []
        for k in (
            "span_starts",
            "span_ends",
            "span_labels",
            "span_lo",
            "span_hi",
            "pair_heads",
            "pair_tails",
            "pair_buckets",
            "pair_same_sentence",
            "pair_labels",
            "status_spans",
            "status_labels",
        )
    }
    n_spans = 0
    for b, row in enumerate(rows):
        n = len(row["input_ids"])
        input_ids[b, :n] = torch.tensor(row["input_ids"])
        attention[b, :n] = 1
        tags[b, :n] = torch.tensor(row["tag_ids"])
        if features is not None:
            features[b, :n] = torch.tensor(row["feature_ids"])
        base = b * width
        flat["span_starts"] += [base + p for p in row["span_starts"]]
        flat["span_ends"] += [base + p for p in row["span_ends"]]
        flat["span_labels"] += row["span_labels"]
        flat["span_lo"] += [base + 1] * len(row["span_starts"])
        flat["span_hi"] += [base + n - 2] * len(row["span_starts"])
        flat["pair_heads"] += [n_spans + i for i in row["pair_heads"]]
        flat["pair_tails"] += [n_spans + i for i in row["pair_tails"]]
        flat["status_spans"] += [n_spans + i for i in row["status_spans"]]
        for key in ("pair_buckets", "pair_same_sentence", "pair_labels", "status_labels"):
            flat[key] += row[key]
        n_spans += len(row["span_starts"])
    tensors = {k: torch.tensor(v, dtype=torch.long) for k, v in flat.items()}
    return WindowBatch(
        input_ids=input_ids, attention_mask=attention, tag_ids=tags, feature_ids=features, **tensors
    )
