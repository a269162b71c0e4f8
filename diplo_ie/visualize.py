"""A self-contained HTML view of articles: highlighted event mentions and the event table (displaCy-like)."""

from __future__ import annotations

from html import escape

from diplo_ie.export import participant_label
from diplo_ie.schema import CallEvent

COLOURS = {"CALL": "#f6c26b", "PARTICIPANT": "#9fd3f2", "DATE": "#b9e4a8", "DURATION": "#e3b5ef"}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.7}"
    "mark{padding:.1em .3em;border-radius:.3em}mark sup{font-size:.6em;font-weight:bold;margin-left:.2em}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
    ".text{white-space:pre-wrap}"
)


def _marks(events: list[CallEvent]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, event numbers) for every mention, without overlaps (first one wins)."""
    found: dict[tuple[int, int], tuple[str, set[int]]] = {}
    for n, event in enumerate(events, start=1):
        items = [(o, "CALL") for o in event.call_mentions]
        items += [(o, "PARTICIPANT") for p in event.participants for o in p.mentions]
        for kind, value in (("DATE", event.date), ("DURATION", event.duration)):
            if value is not None and value.start is not None:
                items.append(((value.start, value.end), kind))
        for (start, end), kind in items:
            found.setdefault((start, end), (kind, set()))[1].add(n)
    marks, last_end = [], -1
    for (start, end), (kind, numbers) in sorted(found.items()):
        if start >= last_end:
            marks.append((start, end, kind, ",".join(map(str, sorted(numbers)))))
            last_end = end
    return marks


def _highlight(text: str, events: list[CallEvent]) -> str:
    parts, pos = [], 0
    for start, end, kind, numbers in _marks(events):
        parts.append(escape(text[pos:start]))
        parts.append(
            f'<mark style="background:{COLOURS[kind]}" title="{kind} (event {numbers})">'
            f"{escape(text[start:end])}<sup>{kind[0]}{numbers}</sup></mark>"
        )
        pos = end
    parts.append(escape(text[pos:]))
    return "".join(parts)


def _table(events: list[CallEvent]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{n}</td><td>{escape(e.status)}</td>"
        f"<td>{escape(' — '.join(participant_label(p) for p in e.participants))}</td>"
        f"<td>{escape((e.date.value or e.date.text) if e.date else '-')}</td>"
        f"<td>{escape(str(e.duration.minutes) + ' min' if e.duration and e.duration.minutes else '-')}</td>"
        f"<td>{'-' if e.confidence is None else f'{e.confidence:.2f}'}</td>"
        "</tr>"
        for n, e in enumerate(events, start=1)
    )
    head = (
        "<tr><th>#</th><th>status</th><th>participants</th><th>date</th><th>duration</th><th>conf.</th></tr>"
    )
    return f"<table>{head}{rows}</table>" if events else "<p>No call events.</p>"


def render_html(articles: list[tuple[str, str, list[CallEvent]]]) -> str:
    """One page for ``(name, text, events)`` triples."""
    legend = " ".join(f'<mark style="background:{c}">{k}</mark>' for k, c in COLOURS.items())
    body = "".join(
        f"<section><h2>{escape(name)}</h2>{_table(events)}"
        f"<div class='text'>{_highlight(text, events)}</div></section>"
        for name, text, events in articles
    )
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>diplo_ie</title>"
        f"<style>{_STYLE}</style></head><body><p>{legend}</p>{body}</body></html>"
    )
