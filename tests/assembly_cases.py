"""Reading ``tests/data/assembly_cases.tsv``: short passages with a hand-written analysis and their events.

Columns (tab-separated): ``id``, ``stage`` (the assembly stage or rule the case exercises; several joined by
``+`` where each of them alone already gives the case's events, as independent safeguards do), ``anchor`` (the date relative
expressions resolve against; empty for an undated article), ``text`` with its spans marked inline as
``[[X:span text]]`` (X: L leader, T title, D date, U duration, C call; ``[[C/planned:...]]`` gives a call mention its status, occurred by default),
``relations`` as ``type:head-tail`` with 1-based span numbers in order of appearance (p participant, t time,
u duration, o title_of, s same_call), and ``events``: ``;``-separated, each ``people@date/minutes/status`` with
people ``|``-separated, a named person by name and an unnamed one as ``role:office:country`` (empty parts
allowed), an empty date or minutes for none; ``gap``: empty, or why assembly does not give these events yet (a
known gap, run as an expected failure so that it is noticed when fixed).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from diplo_ie.core.analysis import Analysis, StatusVote
from diplo_ie.core.schema import CallEvent, DateValue, DurationValue, Participant, Relation, Span
from diplo_ie.evaluation.events import event_key

CASES = Path(__file__).parent / "data" / "assembly_cases.tsv"
LABELS = {"L": "LEADER", "T": "TITLE", "D": "DATE", "U": "DURATION", "C": "CALL"}
RELATIONS = {"p": "participant", "t": "time", "u": "duration", "o": "title_of", "s": "same_call"}
_MARK = re.compile(r"\[\[([LTDUC])(?:/(\w+))?:(.+?)\]\]")


@dataclass(frozen=True)
class Case:
    id: str
    stage: str
    analysis: Analysis
    expected: list[tuple]
    gap: str = ""

    @property
    def stages(self) -> frozenset[str]:
        return frozenset(self.stage.split("+"))


def _analysis(marked: str, relations: str, anchor: str) -> Analysis:
    text, spans, statuses, at = "", [], {}, 0
    for m in _MARK.finditer(marked):
        text += marked[at : m.start()]
        span = Span(LABELS[m[1]], len(text), len(text) + len(m[3]), m[3], f"P{len(spans) + 1}")
        spans.append(span)
        if span.label == "CALL":
            statuses[span.id] = StatusVote(m[2] or "occurred", 1.0)
        text += m[3]
        at = m.end()
    text += marked[at:]
    rels = []
    for item in relations.split():
        kind, pair = item.split(":")
        head, tail = pair.split("-")
        rels.append(Relation(RELATIONS[kind], f"P{head}", f"P{tail}"))
    return Analysis(text, spans, rels, statuses, dt.date.fromisoformat(anchor) if anchor else None)


def _participant(item: str) -> Participant:
    if item.startswith("role:"):
        _, office, country = item.split(":")
        return Participant(None, office or None, country or None)
    return Participant(item, None, None)


def _expected(events: str) -> list[tuple]:
    out = []
    for item in filter(None, (e.strip() for e in events.split(";"))):
        people, rest = item.split("@")
        date, minutes, status = rest.split("/")
        event = CallEvent(
            participants=[_participant(p) for p in people.split("|")],
            status=status,
            date=DateValue(date, date) if date else None,
            duration=DurationValue(minutes, int(minutes)) if minutes else None,
        )
        out.append(event_key(event))
    return sorted(out, key=_order)


def load_cases() -> list[Case]:
    with open(CASES, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if not r["id"].startswith("#")]
    return [
        Case(
            r["id"],
            r["stage"],
            _analysis(r["text"], r["relations"], r["anchor"]),
            _expected(r["events"]),
            r.get("gap") or "",
        )
        for r in rows
    ]


def _order(key: tuple) -> str:
    # A frozenset's repr follows its hash-table order, which differs with PYTHONHASHSEED and insertion order,
    # so two equal keys could sort apart: order by its members, sorted.
    participants, *rest = key
    return repr((sorted(participants, key=repr), rest))


def keys(events: list[CallEvent]) -> list[tuple]:
    return sorted((event_key(e) for e in events), key=_order)
