"""Event-level scoring, and access to the event assembler when it is installed.

An event is right when its participant set (by normalized name, or title + country for unnamed participants),
date value, duration in minutes and status all match a gold event; the participant-only figure needs just the
participant set.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from diplo_ie.core.schema import CallEvent, Participant
from diplo_ie.evaluation.scores import count_matches
from diplo_ie.lexicon.countries import country_of
from diplo_ie.lexicon.titles import canonical_title

# "Kim Jong-un", "Kim Jong Un" and the tokenized "Moon Jae - in" are one name spelled three ways.
_NAME_DASHES = str.maketrans({dash: " " for dash in "-‐‑–—"})


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().translate(_NAME_DASHES).split())


def participant_key(p: Participant) -> tuple[str, ...]:
    """Named people compare by name; unnamed ones by office and country, spelled canonically
    ("Bộ trưởng Ngoại giao" = "Ngoại trưởng", "Úc" = "Australia"; "lãnh đạo" names no office)."""
    if p.name:
        return ("name", _norm(p.name))
    country = country_of(p.country) if p.country else None
    title = canonical_title(p.title) if p.title else None
    return ("role", _norm(title), _norm(country.name if country else p.country))


def participants_key(event: CallEvent) -> frozenset[tuple[str, ...]]:
    return frozenset(participant_key(p) for p in event.participants)


def event_key(event: CallEvent) -> tuple[Any, ...]:
    return (
        participants_key(event),
        event.date.value if event.date else None,
        event.duration.minutes if event.duration else None,
        event.status,
    )


def score_events(gold: list[CallEvent], pred: list[CallEvent]) -> dict[str, dict[str, float | int]]:
    """Full-event and participant-only P/R/F1 over one or many documents' events (pass each document's
    events with a document key folded in, or score documents one at a time and add the counts)."""
    return {
        "event": count_matches(map(event_key, gold), map(event_key, pred)).as_dict(),
        "participants": count_matches(map(participants_key, gold), map(participants_key, pred)).as_dict(),
    }
