"""Event specs: what one event type is made of, as data.

A spec names the span labels the tagger learns, the relations the relation head learns (each with the
(head label, tail label) pairs it may join), the label of the span that mentions the event itself (its
trigger) and the statuses the status head tells apart. The phone-call spec lives in
``diplo_ie/data/call_event.json``; a model stores its spec in ``config.json`` and is read back with it, so a
model of another event type loads and predicts its own labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Final


class SpecError(ValueError):
    """An event spec that cannot describe a model: missing fields, unknown labels, duplicates."""


@dataclass(frozen=True)
class EventSpec:
    name: str
    trigger: str
    span_labels: tuple[str, ...]
    # Relation type -> the (head label, tail label) pairs it may join; the order fixes the head's classes.
    relations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    statuses: tuple[str, ...]

    def __post_init__(self) -> None:
        problems = []
        for field_name in ("span_labels", "statuses"):
            values = getattr(self, field_name)
            if not values or len(set(values)) != len(values):
                problems.append(f"{field_name} must be a non-empty list without duplicates")
        if self.trigger not in self.span_labels:
            problems.append(f"trigger {self.trigger!r} is not one of the span labels")
        if len({rel for rel, _ in self.relations}) != len(self.relations):
            problems.append("relation types must be unique")
        seen: dict[tuple[str, str], str] = {}
        for rel, pairs in self.relations:
            for pair in pairs:
                unknown = [label for label in pair if label not in self.span_labels]
                if unknown:
                    problems.append(f"relation {rel!r} joins unknown label {unknown[0]!r}")
                # The relation head sees only the two labels, so one label pair must mean one relation type.
                if pair in seen and seen[pair] != rel:
                    problems.append(f"label pair {pair} belongs to both {seen[pair]!r} and {rel!r}")
                seen[pair] = rel
        if problems:
            raise SpecError(f"event spec {self.name!r}: " + "; ".join(problems))

    # -- derived label maps ------------------------------------------------------------------------------
    @cached_property
    def relation_types(self) -> tuple[str, ...]:
        return tuple(rel for rel, _ in self.relations)

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """BIO tag set in a fixed order: O first, then B-/I- per span label."""
        return ("O", *(f"{prefix}-{label}" for label in self.span_labels for prefix in ("B", "I")))

    @cached_property
    def tag_index(self) -> dict[str, int]:
        return {tag: i for i, tag in enumerate(self.tags)}

    @cached_property
    def signature_type(self) -> dict[tuple[str, str], int]:
        """(head label, tail label) -> index of the one relation type that joins them."""
        return {pair: k for k, (_, pairs) in enumerate(self.relations) for pair in pairs}

    def relation_allowed(self, rel_type: str, head_label: str, tail_label: str) -> bool:
        k = self.signature_type.get((head_label, tail_label))
        return k is not None and self.relation_types[k] == rel_type

    # -- JSON ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trigger": self.trigger,
            "span_labels": list(self.span_labels),
            "relations": {rel: [list(pair) for pair in pairs] for rel, pairs in self.relations},
            "statuses": list(self.statuses),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EventSpec:
        try:
            relations = data["relations"]
            return cls(
                name=str(data["name"]),
                trigger=str(data["trigger"]),
                span_labels=tuple(data["span_labels"]),
                relations=tuple(
                    (str(rel), tuple((str(head), str(tail)) for head, tail in pairs))
                    for rel, pairs in relations.items()
                ),
                statuses=tuple(data["statuses"]),
            )
        except KeyError as exc:
            raise SpecError(f"event spec: missing field {exc.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, SpecError):
                raise
            raise SpecError(f"event spec: malformed ({exc})") from None


def load_spec(path: str | Path) -> EventSpec:
    """A spec from a JSON file (the format of ``diplo_ie/data/call_event.json``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SpecError(f"{path}: cannot read event spec ({exc})") from None
    return EventSpec.from_dict(data)


CALL_SPEC: Final = EventSpec.from_dict(
    json.loads(resources.files("diplo_ie").joinpath("data/call_event.json").read_text(encoding="utf-8"))
)
