"""From an assembled call to a :class:`~diplo_ie.core.schema.CallEvent`: status by the mentions' votes (a
status marker right before some mentions letting those alone vote), date and status made to agree with the
anchor date, the evidence sentence and a confidence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from diplo_ie.core.schema import CallEvent, DateValue, Span, Trigger
from diplo_ie.events.call import Call, Context
from diplo_ie.events.dates import SLACK
from diplo_ie.normalize.dates import bare_weekday

_YEAR = re.compile(r"\d{4}")
# A plan reported for a day half a year gone is rather a day of the coming year whose year the text left out.
_STALE_PLAN = dt.timedelta(days=180)
_WEEK = dt.timedelta(days=7)


def _date_and_status(date: DateValue, status: str, anchor: dt.date) -> tuple[DateValue, str]:
    """Make date and status agree with the publication date: a call dated after it has not happened yet
    (planned); a planned call's day or month without a year is the next such one, not last year's ("thứ Bảy
    (14-10)" in an article of 12/10, "tháng 6" in one of May), and its weekday alone the coming one ("sẽ điện
    đàm với ông Putin vào thứ Hai" in an article of Saturday 17/5: 19/5)."""
    value = date.value or ""
    if status == "planned" and date.granularity == "day" and bare_weekday(date.text):
        day = dt.date.fromisoformat(value)
        if day < anchor - SLACK:
            return dataclasses.replace(date, value=(day + _WEEK).isoformat()), status
    if status == "planned" and date.granularity in ("day", "month") and not _YEAR.search(date.text):
        day = dt.date.fromisoformat(value if date.granularity == "day" else value + "-28")
        ahead = _next_year(day)
        if day < anchor - _STALE_PLAN and ahead is not None and ahead >= anchor - SLACK:
            return dataclasses.replace(date, value=ahead.isoformat()[: len(value)]), status
    if status == "occurred" and value > (anchor + SLACK).isoformat()[: len(value)]:
        return date, "planned"
    return date, status


def _next_year(day: dt.date) -> dt.date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return None


def _main_mention(call: Call, ctx: Context) -> Span:
    """The mention whose sentence names the most of the call's people (the headline rarely does); the
    earliest on a tie. Its sentence is the event's evidence."""

    def named(mention: Span) -> int:
        start, end = ctx.sentence_of(mention.start)
        return sum(any(start <= m.start < end for m in person.mentions) for person in call.people)

    return max(call.mentions, key=lambda m: (named(m), -m.start))


def to_event(call: Call, ctx: Context) -> CallEvent:
    totals = ctx.status_totals(call.mentions)
    status = ctx.status_of(call.mentions)
    status_conf = totals[status] / max(len(ctx.status_voters(call.mentions)), 1)
    date = call.dates[0] if call.dates else None
    if ctx.anchor is not None and date is not None and date.value:
        date, status = _date_and_status(date, status, ctx.anchor)
    trigger = _main_mention(call, ctx)
    start, end = ctx.sentence_of(trigger.start)
    confidence = min([status_conf, *call.scores]) if call.scores else status_conf
    return CallEvent(
        participants=[p.participant() for p in call.people],
        status=status,
        date=date,
        duration=call.duration,
        trigger=Trigger(trigger.text, trigger.start, trigger.end),
        call_mentions=[(m.start, m.end) for m in call.mentions],
        evidence=ctx.text[start:end],
        confidence=round(confidence, 4),
    )
