"""A self-contained HTML view of articles: highlighted event mentions and the event table (displaCy-like).

The view shows each article as the model read it: cleaned of HTML and page furniture (:func:`clean_text`),
so an HTML page reads as text rather than as escaped source. Event offsets, which refer to the input as
given, are mapped onto that cleaned text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from html import escape

from diplo_ie.core.schema import CallEvent
from diplo_ie.output.formats import participant_label
from diplo_ie.text.prepare import CleanText, clean_text, find_dateline

COLOURS = {"CALL": "#f6c26b", "PARTICIPANT": "#9fd3f2", "DATE": "#b9e4a8", "DURATION": "#e3b5ef"}
# The superscript before the event number(s): one distinct letter per kind.
MARKERS = {"CALL": "C", "PARTICIPANT": "P", "DATE": "D", "DURATION": "L"}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.7}"
    "mark{padding:.1em .3em;border-radius:.3em}mark sup{font-size:.6em;font-weight:bold;margin-left:.2em}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
    ".text{white-space:pre-wrap}.published{color:#555}"
)


@dataclass
class Article:
    """One article of the view: its name, the text as given to the extractor, its events and the publication
    date it was given (``None`` if none)."""

    name: str
    text: str
    events: list[CallEvent]
    published: str | None = None


def _clean_span(clean: CleanText, start: int, end: int) -> tuple[int, int]:
    """The clean characters that come from ``original[start:end]``."""
    first = bisect.bisect_left(clean.starts, start)
    last = bisect.bisect_left(clean.starts, end, lo=first)
    return first, last


def _marks(events: list[CallEvent], clean: CleanText) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, event numbers) in clean offsets for every mention, without overlaps (first one
    wins)."""
    found: dict[tuple[int, int], tuple[str, set[int]]] = {}
    for n, event in enumerate(events, start=1):
        items = [(o, "CALL") for o in event.call_mentions]
        items += [(o, "PARTICIPANT") for p in event.participants for o in p.mentions]
        for kind, value in (("DATE", event.date), ("DURATION", event.duration)):
            if value is not None and value.start is not None and value.end is not None:
                items.append(((value.start, value.end), kind))
        for (start, end), kind in items:
            span = _clean_span(clean, start, end)
            if span[0] < span[1]:
                found.setdefault(span, (kind, set()))[1].add(n)
    marks, last_end = [], -1
    for (start, end), (kind, numbers) in sorted(found.items()):
        if start >= last_end:
            marks.append((start, end, kind, ",".join(map(str, sorted(numbers)))))
            last_end = end
    return marks


def _highlight(clean: CleanText, events: list[CallEvent]) -> str:
    text, parts, pos = clean.text, [], 0
    for start, end, kind, numbers in _marks(events, clean):
        parts.append(escape(text[pos:start]))
        parts.append(
            f'<mark style="background:{COLOURS[kind]}" title="{kind} (event {numbers})">'
            f"{escape(text[start:end])}<sup>{MARKERS[kind]}{numbers}</sup></mark>"
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


def _published(article: Article, clean: CleanText) -> str:
    if article.published:
        return f"published {article.published} (given)"
    dateline = find_dateline(clean.text)
    if dateline is not None:
        return f"published {dateline.isoformat()} (from the article's dateline)"
    return "no publication date: relative dates resolve against the article's own dates"


def _section(article: Article) -> str:
    clean = clean_text(article.text)
    return (
        f"<section><h2>{escape(article.name)}</h2>"
        f"<p class='published'>{escape(_published(article, clean))}</p>{_table(article.events)}"
        f"<div class='text'>{_highlight(clean, article.events)}</div></section>"
    )


def render_html(articles: list[Article]) -> str:
    """One page for the articles."""
    legend = " ".join(
        f'<mark style="background:{c}">{k}<sup>{MARKERS[k]}</sup></mark>' for k, c in COLOURS.items()
    )
    body = "".join(_section(article) for article in articles)
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>diplo_ie</title>"
        f"<style>{_STYLE}</style></head><body><p>{legend}</p>{body}</body></html>"
    )
