"""Precision/recall/F1 counting shared by the span, relation and event scorers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.tp + self.fn,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def count_matches(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> PRF:
    """Multiset matching: each gold item is matched at most once."""
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return PRF(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def by_label(
    gold: Iterable[tuple[str, Hashable]], pred: Iterable[tuple[str, Hashable]], labels: Iterable[str]
) -> dict[str, dict[str, float | int]]:
    """Per-label PRF for (label, key) items, with micro and macro averages."""
    gold, pred = list(gold), list(pred)
    table: dict[str, PRF] = {
        label: count_matches([k for la, k in gold if la == label], [k for la, k in pred if la == label])
        for label in labels
    }
    micro = PRF()
    for prf in table.values():
        micro.add(prf)
    out = {label: prf.as_dict() for label, prf in table.items()}
    out["micro"] = micro.as_dict()
    scored = [prf for prf in table.values() if prf.tp + prf.fn]
    out["macro"] = {
        "f1": round(sum(p.f1 for p in scored) / len(scored), 4) if scored else 0.0,
        "precision": round(sum(p.precision for p in scored) / len(scored), 4) if scored else 0.0,
        "recall": round(sum(p.recall for p in scored) / len(scored), 4) if scored else 0.0,
    }
    return out
