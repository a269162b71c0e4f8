"""The label inventory shared by annotations, the model and evaluation."""

from typing import Final

SPAN_LABELS: Final = ("LEADER", "TITLE", "DATE", "DURATION", "CALL")

# Relation type -> allowed (head label, tail label) pairs.
RELATION_SIGNATURES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "participant": (("CALL", "LEADER"), ("CALL", "TITLE")),
    "time": (("CALL", "DATE"),),
    "duration": (("CALL", "DURATION"),),
    "title_of": (("TITLE", "LEADER"),),
    "same_call": (("CALL", "CALL"),),
}
RELATION_TYPES: Final = tuple(RELATION_SIGNATURES)

STATUSES: Final = ("occurred", "planned", "denied")

SOURCES: Final = ("seed", "written", "corpus")
SPLITS: Final = ("train", "dev", "test")


def bio_labels() -> list[str]:
    """BIO tag set in a fixed order: O first, then B-/I- per span label."""
    tags = ["O"]
    for label in SPAN_LABELS:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


def relation_allowed(rel_type: str, head_label: str, tail_label: str) -> bool:
    return (head_label, tail_label) in RELATION_SIGNATURES.get(rel_type, ())
