"""diplo_ie: extract diplomatic phone-call events from Vietnamese news."""

from diplo_ie.schema import (
    CallEvent,
    DateValue,
    Document,
    DurationValue,
    Participant,
    Relation,
    Span,
    Trigger,
)

__version__ = "0.1.0"

__all__ = [
    "CallEvent",
    "DateValue",
    "Document",
    "DurationValue",
    "Participant",
    "Relation",
    "Span",
    "Trigger",
    "__version__",
]
