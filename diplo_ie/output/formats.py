"""Output formats for extracted events: JSON lines, CSV, PLOVER/CAMEO event-data records and a text table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from diplo_ie.core.schema import CallEvent, Participant

CAMEO_PHONE = "041"  # CAMEO "Discuss by telephone"
CSV_COLUMNS = (
    "article_id", "event", "status", "participants", "date_text", "date_value", "duration_text",
    "duration_minutes", "duration_iso", "trigger", "evidence", "confidence",
)  # fmt: skip


def participant_label(p: Participant) -> str:
    role = ", ".join(x for x in (p.title, p.country) if x)
    name = p.name or "(unnamed)"
    return f"{name} ({role})" if role else name


def batch_record(article_id: str, events: Iterable[CallEvent]) -> dict[str, Any]:
    """The batch output line of one article: ``{"id": ..., "events": [...]}``."""
    return {"id": article_id, "events": [e.to_dict() for e in events]}


def csv_rows(article_id: str, events: Iterable[CallEvent]) -> list[dict[str, Any]]:
    rows = []
    for index, e in enumerate(events, start=1):
        rows.append(
            {
                "article_id": article_id,
                "event": index,
                "status": e.status,
                "participants": " ; ".join(participant_label(p) for p in e.participants),
                "date_text": e.date.text if e.date else "",
                "date_value": (e.date.value or "") if e.date else "",
                "duration_text": e.duration.text if e.duration else "",
                "duration_minutes": e.duration.minutes if e.duration else "",
                "duration_iso": (e.duration.iso or "") if e.duration else "",
                "trigger": e.trigger.text if e.trigger else "",
                "evidence": e.evidence or "",
                "confidence": "" if e.confidence is None else round(e.confidence, 4),
            }
        )
    return rows


def csv_writer(stream: io.TextIOBase, write_header: bool = True) -> csv.DictWriter:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    if write_header:
        writer.writeheader()
    return writer


def plover_records(article_id: str, events: Iterable[CallEvent]) -> list[dict[str, Any]]:
    """Event-data rows in the shape of PLOVER/CAMEO records: one per pair of participants.

    A call is symmetric, so the first participant (the caller when the article says so) is the source actor.
    Only occurred calls are events in the political-science sense; planned and denied calls keep their status
    so users can filter.
    """
    rows = []
    for index, e in enumerate(events, start=1):
        for pair, (src, tgt) in enumerate(combinations(e.participants, 2), start=1):
            rows.append(
                {
                    "event_id": f"{article_id}-{index}-{pair}",
                    "article_id": article_id,
                    "event_date": e.date.value if e.date else None,
                    "event_type": "CONSULT",
                    "mode": "telephone",
                    "cameo_code": CAMEO_PHONE,
                    "source_actor": src.name or participant_label(src),
                    "source_title": src.title,
                    "source_country": src.country,
                    "target_actor": tgt.name or participant_label(tgt),
                    "target_title": tgt.title,
                    "target_country": tgt.country,
                    "status": e.status,
                    "duration_minutes": e.duration.minutes if e.duration else None,
                    "text": e.evidence,
                    "confidence": e.confidence,
                }
            )
    return rows


def render_table(article_id: str, events: list[CallEvent]) -> str:
    """A human-readable table of the events of one article."""
    if not events:
        return f"{article_id}: no call events"
    header = ("#", "status", "participants", "date", "duration", "conf.")
    rows = [
        (
            str(i),
            e.status,
            " — ".join(participant_label(p) for p in e.participants),
            (e.date.value or e.date.text) if e.date else "-",
            f"{e.duration.minutes} min" if e.duration and e.duration.minutes is not None else "-",
            "-" if e.confidence is None else f"{e.confidence:.2f}",
        )
        for i, e in enumerate(events, start=1)
    ]
    widths = [max(len(r[c]) for r in (header, *rows)) for c in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [
        f"{article_id}: {len(events)} call event(s)",
        fmt.format(*header),
        fmt.format(*("-" * w for w in widths)),
    ]
    lines += [fmt.format(*r) for r in rows]
    return "\n".join(lines)
