"""Inter-annotator agreement between two annotations of the same articles.

Documents are paired by id, a trailing ``#N`` (the second annotation's marker) ignored. Span agreement is
F1 over exact (label, start, end) spans, per label and overall; event agreement is F1 over events compared as
the evaluation compares them (participants, date value, duration, status), plus the participant-only figure.
F1 is symmetric, so neither annotation is privileged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diplo_ie.core.schema import Document
from diplo_ie.core.spec import CALL_SPEC
from diplo_ie.evaluation.events import event_key, participants_key
from diplo_ie.evaluation.scores import PRF, count_matches


def base_id(doc_id: str) -> str:
    return doc_id.split("#", 1)[0]


@dataclass
class Agreement:
    documents: int
    spans: dict[str, PRF] = field(default_factory=dict)
    events: PRF | None = None
    participants: PRF | None = None
    event_differences: list[tuple[str, str, tuple]] = field(default_factory=list)


def agreement(first: list[Document], second: list[Document]) -> Agreement:
    by_id = {base_id(d.id): d for d in first}
    pairs = [(by_id[base_id(d.id)], d) for d in second if base_id(d.id) in by_id]
    span_keys = {
        label: (
            [(base_id(a.id), s.start, s.end) for a, _ in pairs for s in a.spans if s.label == label],
            [(base_id(b.id), s.start, s.end) for _, b in pairs for s in b.spans if s.label == label],
        )
        for label in CALL_SPEC.span_labels
    }
    result = Agreement(len(pairs))
    result.spans = {label: count_matches(a, b) for label, (a, b) in span_keys.items()}
    result.spans["all"] = count_matches(
        [(label, *k) for label, (a, _) in span_keys.items() for k in a],
        [(label, *k) for label, (_, b) in span_keys.items() for k in b],
    )
    events_a = [(base_id(a.id), event_key(e)) for a, _ in pairs for e in a.events]
    events_b = [(base_id(b.id), event_key(e)) for _, b in pairs for e in b.events]
    result.events = count_matches(events_a, events_b)
    result.participants = count_matches(
        [(base_id(a.id), participants_key(e)) for a, _ in pairs for e in a.events],
        [(base_id(b.id), participants_key(e)) for _, b in pairs for e in b.events],
    )
    only_a, only_b = set(events_a) - set(events_b), set(events_b) - set(events_a)
    result.event_differences = [("first only", d, k) for d, k in sorted(only_a, key=str)] + [
        ("second only", d, k) for d, k in sorted(only_b, key=str)
    ]
    return result


def render_agreement(result: Agreement) -> str:
    lines = [f"Documents annotated twice: {result.documents}", "", "| spans | F1 | first | second | both |",
             "|---|---:|---:|---:|---:|"]  # fmt: skip
    for label, prf in result.spans.items():
        lines.append(f"| {label} | {prf.f1:.3f} | {prf.tp + prf.fn} | {prf.tp + prf.fp} | {prf.tp} |")
    for name, prf in (("events (full)", result.events), ("events (participants only)", result.participants)):
        assert prf is not None
        lines.append(f"| {name} | {prf.f1:.3f} | {prf.tp + prf.fn} | {prf.tp + prf.fp} | {prf.tp} |")
    return "\n".join(lines)
