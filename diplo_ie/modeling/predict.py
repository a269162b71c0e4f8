"""Batched inference: documents -> spans, relations and CALL statuses with scores.

Windows of all documents in a call are encoded together (sorted by length to limit padding); each token is
read from the window where it is farthest from an edge; the heads then run once over all predicted spans.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch

from diplo_ie.analysis import Analysis, StatusVote, document_anchor
from diplo_ie.encoding import TAGS, EncodedDocument, decode_spans, join_fragments, viterbi_tags
from diplo_ie.labels import RELATION_TYPES, SPAN_LABELS, STATUSES
from diplo_ie.modeling.pairs import NO_RELATION, TokenSpan, candidate_pairs
from diplo_ie.precision import autocast
from diplo_ie.schema import Document, Relation, Span

if TYPE_CHECKING:
    from diplo_ie.modeling.model import DiploModel

TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}


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
                        document_anchor(self.to_document(source)))  # fmt: skip


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
    model: DiploModel, encs: list[EncodedDocument], batch_size: int
) -> list[list[torch.Tensor]]:
    """Hidden states of every window of every document, batched across documents."""
    encoder = model.document_encoder
    jobs = [(d, w) for d, enc in enumerate(encs) for w in range(len(enc.windows))]
    inputs = {job: encoder.window_input_ids(encs[job[0]], encs[job[0]].windows[job[1]]) for job in jobs}
    jobs.sort(key=lambda job: -len(inputs[job]))
    out: list[list[torch.Tensor]] = [[None] * len(enc.windows) for enc in encs]  # type: ignore[list-item]
    for i in range(0, len(jobs), batch_size):
        chunk = jobs[i : i + batch_size]
        width = len(inputs[chunk[0]])
        ids = torch.full((len(chunk), width), encoder.pad_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for b, job in enumerate(chunk):
            ids[b, : len(inputs[job])] = torch.tensor(inputs[job])
            mask[b, : len(inputs[job])] = 1
        with autocast(model.precision):
            hidden = model.encode_windows(ids, mask).float()
        for b, (d, w) in enumerate(chunk):
            out[d][w] = hidden[b, : len(inputs[(d, w)])]
    return out


def predict_documents(model: DiploModel, docs: list[Document], batch_size: int = 16) -> list[Prediction]:
    model.eval()
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
            tags = viterbi_tags(log_probs, enc.tokens.word_ids)
            # Scores are the tagger's own: a mended fragment keeps the confidence of its B- tag.
            chosen = torch.tensor([TAG_INDEX[t] for t in tags])
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
    model: DiploModel,
    encs: list[EncodedDocument],
    preds: list[Prediction],
    tokens: torch.Tensor,
    token_spans: list[list[tuple[int, int, int, int, Span]]],
) -> None:
    flat = [item for doc_spans in token_spans for item in doc_spans]
    if not flat:
        return
    heads = model.heads
    sums = heads.prefix_sums(tokens)
    starts = torch.tensor([base + first for _, base, first, _, _ in flat])
    ends = torch.tensor([base + last for _, base, _, last, _ in flat])
    labels = torch.tensor([SPAN_LABELS.index(span.label) for *_, span in flat])
    reps = heads.span_reps(tokens, sums, starts, ends, labels)

    # Candidate pairs per document, then one relation call for all of them.
    pair_rows: list[tuple[int, int, int, int, int, int]] = []  # (doc, head, tail, type, bucket, same)
    offset = 0
    for doc_spans in token_spans:
        if doc_spans:
            d = doc_spans[0][0]
            sentence_ids = encs[d].sentence_ids
            tspans = [TokenSpan(f, la, span.label, sentence_ids[f]) for _, _, f, la, span in doc_spans]
            pairs = candidate_pairs(tspans, model.head_config.max_pair_distance)
            pair_rows += [
                (d, offset + h, offset + t, ty, b, s)
                for h, t, ty, b, s in zip(
                    pairs.heads, pairs.tails, pairs.types, pairs.buckets, pairs.same_sentence, strict=True
                )
            ]
        offset += len(doc_spans)
    if pair_rows:
        cols = list(zip(*pair_rows, strict=True))
        logits = heads.relation_logits(
            reps, *(torch.tensor(c) for c in cols[1:3]), torch.tensor(cols[4]), torch.tensor(cols[5])
        )
        # Only the type the label pair allows competes with "none".
        types = torch.tensor(cols[3])
        allowed = torch.stack([logits.gather(1, types[:, None])[:, 0], logits[:, NO_RELATION]], dim=-1)
        probs = allowed.softmax(-1)[:, 0].tolist()
        for (d, h, t, ty, _, _), p in zip(pair_rows, probs, strict=True):
            if p > 0.5:
                rel_id = f"R{len(preds[d].relations) + 1}"
                preds[d].relations.append(
                    Relation(RELATION_TYPES[ty], flat[h][4].id or "", flat[t][4].id or "", id=rel_id, score=p)
                )

    calls = [k for k, item in enumerate(flat) if item[4].label == "CALL"]
    if calls:
        idx = torch.tensor(calls)
        lo = torch.tensor([flat[k][1] for k in calls])
        hi = torch.tensor([flat[k][1] + len(encs[flat[k][0]].tokens) - 1 for k in calls])
        probs = heads.status_logits(sums, reps[idx], starts[idx], ends[idx], lo, hi).softmax(-1)
        scores, best = probs.max(-1)
        for k, s, b in zip(calls, scores.tolist(), best.tolist(), strict=True):
            d, span = flat[k][0], flat[k][4]
            preds[d].call_status[span.id or ""] = StatusVote(STATUSES[b], s)
