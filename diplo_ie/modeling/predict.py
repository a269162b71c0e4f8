"""Batched inference: documents -> spans, relations and CALL statuses with scores.

Windows of all documents in a call are encoded together (sorted by length to limit padding); each token is
read from the window where it is farthest from an edge; the heads then run once over all predicted spans.
Everything here is shared by the backends; a backend (:class:`ForwardPass`) only computes the tensors.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Protocol

import torch

from diplo_ie.core.analysis import Analysis, StatusVote, document_anchor
from diplo_ie.core.schema import Document, Relation, Span
from diplo_ie.core.spec import EventSpec
from diplo_ie.modeling.config import HeadConfig
from diplo_ie.modeling.encoding import (
    DocumentEncoder,
    EncodedDocument,
    decode_spans,
    join_fragments,
    viterbi_tags,
)
from diplo_ie.modeling.pairs import TokenSpan, candidate_pairs


@dataclass
class SpanQuery:
    """What the span heads are asked about, as global token indices into the flat ``[N, H]`` token tensor:
    spans (first and last token, label), candidate relation pairs (indices into the spans, distance bucket,
    same sentence) and event mentions, the spec's trigger spans (indices into the spans, with the bounds of
    their document)."""

    starts: torch.Tensor
    ends: torch.Tensor
    labels: torch.Tensor
    pair_heads: torch.Tensor
    pair_tails: torch.Tensor
    pair_buckets: torch.Tensor
    pair_same_sentence: torch.Tensor
    calls: torch.Tensor
    call_lo: torch.Tensor
    call_hi: torch.Tensor

    def tensors(self) -> tuple[torch.Tensor, ...]:
        """The fields in declaration order: the inputs of the span heads' forward pass."""
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))


class ForwardPass(Protocol):
    """The forward pass of a model: all the prediction path needs besides its tokenizer and settings."""

    document_encoder: DocumentEncoder
    head_config: HeadConfig
    spec: EventSpec

    def window_hidden(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, feature_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        """float32 ``[B, T, H]`` token representations of a padded batch of windows; ``feature_ids``
        (``[B, T, channels]``) for a model with lexical features."""
        ...

    def token_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """``[N, len(spec.tags)]`` tag logits of ``[N, H]`` token representations."""
        ...

    def span_logits(self, tokens: torch.Tensor, query: SpanQuery) -> tuple[torch.Tensor, torch.Tensor]:
        """Relation logits of the query's pairs and status logits of its event mentions."""
        ...


class Predicts:
    """Prediction methods over a :class:`ForwardPass`'s forward pass."""

    def predict_detailed(self, docs: list[Document], batch_size: int = 16) -> list[Prediction]:
        return predict_documents(self, docs, batch_size)  # type: ignore[arg-type]

    def predict(self, docs: list[Document], batch_size: int = 16) -> list[Document]:
        """Documents with predicted spans and relations (scored)."""
        return [p.to_document(d) for p, d in zip(self.predict_detailed(docs, batch_size), docs, strict=True)]

    def analyze(self, docs: list[Document], batch_size: int = 16) -> list[Analysis]:
        """The hand-off to event assembly for each document: spans, relations and call statuses."""
        return [p.to_analysis(d) for p, d in zip(self.predict_detailed(docs, batch_size), docs, strict=True)]


@dataclass
class Prediction:
    """What the model says about one document. Span ids are P1..Pn; ``call_status`` is keyed by span id."""

    doc_id: str
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    call_status: dict[str, StatusVote] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # per content token, for token-level evaluation

    def to_document(self, source: Document) -> Document:
        """``source`` with the predicted spans and relations (no events)."""
        return dataclasses.replace(source, spans=self.spans, relations=self.relations, events=[])

    def to_analysis(self, source: Document) -> Analysis:
        """The hand-off to event assembly; relative dates resolve against ``source``'s anchor date."""
        return Analysis(source.text, self.spans, self.relations, self.call_status,
                        *document_anchor(self.to_document(source)))  # fmt: skip


def _document_tokens(hidden_windows: list[torch.Tensor], enc: EncodedDocument) -> torch.Tensor:
    """[n_tokens, H] representations, each token taken from the window that owns it (contiguous runs)."""
    pieces = []
    run_start = 0
    owners = enc.owners
    for i in range(1, len(owners) + 1):
        if i == len(owners) or owners[i][0] != owners[run_start][0]:
            w, pos = owners[run_start]
            pieces.append(hidden_windows[w][1 + pos : 1 + pos + (i - run_start)])
            run_start = i
    return torch.cat(pieces) if pieces else hidden_windows[0].new_zeros(0, hidden_windows[0].shape[-1])


def encode_all_windows(
    model: ForwardPass, encs: list[EncodedDocument], batch_size: int
) -> list[list[torch.Tensor]]:
    """Hidden states of every window of every document, batched across documents."""
    encoder = model.document_encoder
    jobs = [(d, w) for d, enc in enumerate(encs) for w in range(len(enc.windows))]
    inputs = {job: encoder.window_input_ids(encs[job[0]], encs[job[0]].windows[job[1]]) for job in jobs}
    jobs.sort(key=lambda job: -len(inputs[job]))
    channels = len(encoder.lexical.channels) if encoder.lexical else 0
    out: list[list[torch.Tensor]] = [[None] * len(enc.windows) for enc in encs]  # type: ignore[list-item]
    for i in range(0, len(jobs), batch_size):
        chunk = jobs[i : i + batch_size]
        width = len(inputs[chunk[0]])
        ids = torch.full((len(chunk), width), encoder.pad_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        features = torch.zeros((len(chunk), width, channels), dtype=torch.long) if channels else None
        for b, (d, w) in enumerate(chunk):
            n = len(inputs[(d, w)])
            ids[b, :n] = torch.tensor(inputs[(d, w)])
            mask[b, :n] = 1
            if features is not None:
                features[b, :n] = torch.from_numpy(encoder.window_feature_ids(encs[d], encs[d].windows[w]))
        hidden = model.window_hidden(ids, mask, features)
        for b, (d, w) in enumerate(chunk):
            out[d][w] = hidden[b, : len(inputs[(d, w)])]
    return out


def predict_documents(model: ForwardPass, docs: list[Document], batch_size: int = 16) -> list[Prediction]:
    with torch.inference_mode():
        encs = [model.document_encoder.encode(doc) for doc in docs]
        nonempty = [i for i, enc in enumerate(encs) if len(enc.tokens)]
        windows = encode_all_windows(model, [encs[i] for i in nonempty], batch_size)
        preds = [Prediction(doc.id) for doc in docs]
        token_reps, token_spans, offsets = [], [], 0
        for k, i in enumerate(nonempty):
            enc = encs[i]
            reps = _document_tokens(windows[k], enc)
            log_probs = model.token_logits(reps).log_softmax(-1)
            tags = viterbi_tags(log_probs, enc.tokens.word_ids, model.spec.tags)
            # Scores are the tagger's own: a mended fragment keeps the confidence of its B- tag.
            chosen = torch.tensor([model.spec.tag_index[t] for t in tags])
            scores = log_probs.gather(-1, chosen.unsqueeze(-1)).squeeze(-1).exp()
            preds[i].tags = join_fragments(tags, enc.tokens, enc.doc.text)
            decoded = decode_spans(preds[i].tags, enc.tokens, enc.doc.text, scores.tolist())
            for n, (span, _, _) in enumerate(decoded, start=1):
                span.id = f"P{n}"
            preds[i].spans = [span for span, _, _ in decoded]
            token_spans.append([(i, offsets, first, last, span) for span, first, last in decoded])
            token_reps.append(reps)
            offsets += len(reps)
        if token_reps:
            _predict_relations_and_status(model, encs, preds, torch.cat(token_reps), token_spans)
    return preds


def _predict_relations_and_status(
    model: ForwardPass,
    encs: list[EncodedDocument],
    preds: list[Prediction],
    tokens: torch.Tensor,
    token_spans: list[list[tuple[int, int, int, int, Span]]],
) -> None:
    flat = [item for doc_spans in token_spans for item in doc_spans]
    if not flat:
        return
    spec = model.spec
    # Candidate pairs per document, then one call of the heads for all pairs and event mentions.
    pair_rows: list[tuple[int, int, int, int, int, int]] = []  # (doc, head, tail, type, bucket, same)
    offset = 0
    for doc_spans in token_spans:
        if doc_spans:
            d = doc_spans[0][0]
            sentence_ids = encs[d].sentence_ids
            tspans = [TokenSpan(f, la, span.label, sentence_ids[f]) for _, _, f, la, span in doc_spans]
            pairs = candidate_pairs(tspans, model.head_config.max_pair_distance, spec.signature_type)
            pair_rows += [
                (d, offset + h, offset + t, ty, b, s)
                for h, t, ty, b, s in zip(
                    pairs.heads, pairs.tails, pairs.types, pairs.buckets, pairs.same_sentence, strict=True
                )
            ]
        offset += len(doc_spans)
    calls = [k for k, item in enumerate(flat) if item[4].label == spec.trigger]
    cols = list(zip(*pair_rows, strict=True)) if pair_rows else [()] * 6

    def column(values) -> torch.Tensor:
        return torch.tensor(list(values), dtype=torch.long)

    query = SpanQuery(
        starts=column(base + first for _, base, first, _, _ in flat),
        ends=column(base + last for _, base, _, last, _ in flat),
        labels=column(spec.span_labels.index(span.label) for *_, span in flat),
        pair_heads=column(cols[1]),
        pair_tails=column(cols[2]),
        pair_buckets=column(cols[4]),
        pair_same_sentence=column(cols[5]),
        calls=column(calls),
        call_lo=column(flat[k][1] for k in calls),
        call_hi=column(flat[k][1] + len(encs[flat[k][0]].tokens) - 1 for k in calls),
    )
    relation_logits, status_logits = model.span_logits(tokens, query)

    if pair_rows:
        # Only the type the label pair allows competes with "none".
        types = column(cols[3])
        allowed = torch.stack(
            [relation_logits.gather(1, types[:, None])[:, 0], relation_logits[:, len(spec.relation_types)]],
            dim=-1,
        )
        probs = allowed.softmax(-1)[:, 0].tolist()
        for (d, h, t, ty, _, _), p in zip(pair_rows, probs, strict=True):
            if p > 0.5:
                rel_id = f"R{len(preds[d].relations) + 1}"
                preds[d].relations.append(
                    Relation(
                        spec.relation_types[ty], flat[h][4].id or "", flat[t][4].id or "", id=rel_id, score=p
                    )
                )
    if calls:
        scores, best = status_logits.softmax(-1).max(-1)
        for k, s, b in zip(calls, scores.tolist(), best.tolist(), strict=True):
            d, span = flat[k][0], flat[k][4]
            preds[d].call_status[span.id or ""] = StatusVote(spec.statuses[b], s)
