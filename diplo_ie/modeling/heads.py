"""Cheap heads over encoder token representations: span representation, relation and status classifiers.

All heads work on a flat ``[N, H]`` tensor of token representations (a padded batch reshaped, or documents
concatenated) and on global token indices, so one call serves a whole batch.
"""

from __future__ import annotations

import torch
from torch import nn

from diplo_ie.core.spec import EventSpec
from diplo_ie.modeling.config import HeadConfig
from diplo_ie.modeling.pairs import N_BUCKETS


def _mlp(n_in: int, n_hidden: int, n_out: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(n_in, n_hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(n_hidden, n_out)
    )


class SpanPairHeads(nn.Module):
    def __init__(self, hidden_size: int, cfg: HeadConfig, spec: EventSpec) -> None:
        super().__init__()
        self.cfg = cfg
        d = cfg.span_dim
        # Span = [first token; last token; mean] projected, plus its label (known from the BIO decoding).
        self.span_proj = nn.Sequential(nn.Linear(3 * hidden_size, d), nn.GELU())
        self.label_embedding = nn.Embedding(len(spec.span_labels), d)
        self.distance_embedding = nn.Embedding(N_BUCKETS, cfg.distance_dim)
        self.same_sentence_embedding = nn.Embedding(2, cfg.distance_dim)
        self.relation_mlp = _mlp(
            3 * d + 2 * cfg.distance_dim, cfg.hidden_dim, len(spec.relation_types) + 1, cfg.dropout
        )
        self.context_proj = nn.Linear(hidden_size, d)
        self.status_key = nn.Linear(hidden_size, d) if cfg.status_attention else None
        self.attended_proj = nn.Linear(hidden_size, d) if cfg.status_attention else None
        n_status_in = (3 if cfg.status_attention else 2) * d
        self.status_mlp = _mlp(n_status_in, cfg.hidden_dim, len(spec.statuses), cfg.dropout)

    @staticmethod
    def prefix_sums(tokens: torch.Tensor) -> torch.Tensor:
        """Row i+1 holds the sum of tokens[:i+1]: any range mean in O(1)."""
        return torch.cat([tokens.new_zeros(1, tokens.shape[1]), tokens.cumsum(0)])

    @staticmethod
    def range_mean(sums: torch.Tensor, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
        """Mean of tokens[start..end] (inclusive) for each row."""
        return (sums[end + 1] - sums[start]) / (end - start + 1).unsqueeze(-1).to(sums.dtype)

    def span_reps(
        self,
        tokens: torch.Tensor,
        sums: torch.Tensor,
        start: torch.Tensor,
        end: torch.Tensor,
        label: torch.Tensor,
    ) -> torch.Tensor:
        feats = torch.cat([tokens[start], tokens[end], self.range_mean(sums, start, end)], dim=-1)
        return self.span_proj(feats) + self.label_embedding(label)

    def relation_logits(
        self,
        reps: torch.Tensor,
        head: torch.Tensor,
        tail: torch.Tensor,
        bucket: torch.Tensor,
        same_sentence: torch.Tensor,
    ) -> torch.Tensor:
        h, t = reps[head], reps[tail]
        feats = torch.cat(
            [h, t, h * t, self.distance_embedding(bucket), self.same_sentence_embedding(same_sentence)],
            dim=-1,
        )
        return self.relation_mlp(feats)

    def status_logits(
        self,
        tokens: torch.Tensor,
        sums: torch.Tensor,
        reps: torch.Tensor,
        start: torch.Tensor,
        end: torch.Tensor,
        lo: torch.Tensor,
        hi: torch.Tensor,
    ) -> torch.Tensor:
        """Status of CALL mentions from the mention and a window of ``status_context`` tokens around it,
        clipped to the sequence bounds [lo, hi]; with ``status_attention``, also from the tokens of [lo, hi]
        weighted by their match with the mention."""
        w = self.cfg.status_context
        ctx = self.range_mean(sums, torch.maximum(start - w, lo), torch.minimum(end + w, hi))
        feats = [reps, self.context_proj(ctx)]
        if self.status_key is not None and self.attended_proj is not None:
            feats.append(self.attended_proj(self.attend(tokens, reps, lo, hi, self.status_key)))
        return self.status_mlp(torch.cat(feats, dim=-1))

    @staticmethod
    def attend(
        tokens: torch.Tensor, queries: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor, key: nn.Linear
    ) -> torch.Tensor:
        """For each query, the mean of tokens[lo..hi] weighted by softmax(query · key(token) / √d); a mask
        over all tokens rather than gathered ranges keeps the shapes static for export."""
        keys = key(tokens)
        scores = queries @ keys.T / keys.shape[-1] ** 0.5
        position = torch.arange(tokens.shape[0], device=tokens.device)
        outside = (position < lo.unsqueeze(-1)) | (position > hi.unsqueeze(-1))
        weights = scores.masked_fill(outside, torch.finfo(scores.dtype).min).softmax(-1)
        return weights.to(tokens.dtype) @ tokens

    def forward(
        self,
        tokens: torch.Tensor,
        starts: torch.Tensor,
        ends: torch.Tensor,
        labels: torch.Tensor,
        pair_heads: torch.Tensor,
        pair_tails: torch.Tensor,
        pair_buckets: torch.Tensor,
        pair_same_sentence: torch.Tensor,
        calls: torch.Tensor,
        call_lo: torch.Tensor,
        call_hi: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Inference over predicted spans (the fields of :class:`diplo_ie.modeling.predict.SpanQuery`):
        relation logits of the candidate pairs and status logits of the CALL spans."""
        sums = self.prefix_sums(tokens)
        reps = self.span_reps(tokens, sums, starts, ends, labels)
        relations = self.relation_logits(reps, pair_heads, pair_tails, pair_buckets, pair_same_sentence)
        statuses = self.status_logits(tokens, sums, reps[calls], starts[calls], ends[calls], call_lo, call_hi)
        return relations, statuses
