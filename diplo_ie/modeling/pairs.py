"""Relation candidates: span pairs of allowed label types within a token window, with their pair features.

The same function builds candidates from gold spans in training (teacher forcing) and from predicted spans at
inference, so both see identical features.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_BUCKET_EDGES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128)
N_BUCKETS = 2 * (len(_BUCKET_EDGES) + 1)  # times two: tail before or after head


def distance_bucket(gap: int, tail_first: bool) -> int:
    bucket = sum(gap >= edge for edge in _BUCKET_EDGES)
    return bucket + (len(_BUCKET_EDGES) + 1 if tail_first else 0)


@dataclass
class TokenSpan:
    """A span as token positions (inclusive) in one sequence, with its label and sentence."""

    start: int
    end: int
    label: str
    sentence: int


@dataclass
class Pairs:
    heads: list[int] = field(default_factory=list)
    tails: list[int] = field(default_factory=list)
    types: list[int] = field(default_factory=list)  # the one relation type the label pair allows
    buckets: list[int] = field(default_factory=list)
    same_sentence: list[int] = field(default_factory=list)


def candidate_pairs(
    spans: Sequence[TokenSpan], max_distance: int, signature_type: Mapping[tuple[str, str], int]
) -> Pairs:
    """Ordered (head, tail) span index pairs whose labels fit a relation signature, at most ``max_distance``
    tokens apart (``signature_type``: (head label, tail label) -> relation type index, as
    :attr:`~diplo_ie.core.spec.EventSpec.signature_type` gives it). Pairs of one label (mention–mention) are
    taken once, earlier mention as head."""
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    pairs = Pairs()
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1 :]:
            sa, sb = spans[a], spans[b]
            gap = max(sb.start - sa.end, 0)
            if gap > max_distance:
                break  # sorted by start: every later span is farther
            if (sa.label, sb.label) in signature_type:
                head, tail = a, b
            elif (sb.label, sa.label) in signature_type:
                head, tail = b, a
            else:
                continue
            pairs.heads.append(head)
            pairs.tails.append(tail)
            pairs.types.append(signature_type[(spans[head].label, spans[tail].label)])
            pairs.buckets.append(distance_bucket(gap, tail_first=spans[tail].start < spans[head].start))
            pairs.same_sentence.append(int(sa.sentence == sb.sentence))
    return pairs
