"""A mention that counts its calls ("đã có hai cuộc điện đàm với ông Trump", "điện đàm với ông Trump hai lần
hôm 3-2") names that many calls between its people, even with one date: as many calls as the article does
not tell apart otherwise (by date, status or counterpart) are added, each with the counting mention, its
people and its date."""

from __future__ import annotations

import re
from functools import lru_cache

from diplo_ie.core.schema import Span
from diplo_ie.events.call import Call, Context
from diplo_ie.normalize.numbers import DIGITS

# "năm" (five) is left out: it is also "year" ("đầu năm cuộc điện đàm ...").
_NUMBER = r"(?:hai|ba|bốn|[2-5])"


@lru_cache(maxsize=4)
def _before(times: str) -> re.Pattern[str]:
    """A number right before the mention ("hai cuộc điện đàm"), or "N lần" ("từng hai lần điện đàm"),
    ``times`` being the cue pattern of "lần"; not the end of a date ("3/2 điện đàm")."""
    return re.compile(r"(?<![\w/.,:-])(?P<n>" + _NUMBER + r")\s+(?:(?:" + times + r")\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _times_after(times: str) -> re.Pattern[str]:
    """ "N lần" later in the mention's clause, ``times`` being the cue pattern of "lần"."""
    return re.compile(r"[^,.;:!?\n]{0,60}?(?<!\w)(?P<n>" + _NUMBER + r")\s+" + times, re.IGNORECASE)


def _count(mention: Span, ctx: Context) -> int:
    """How many calls a mention counts: 1 unless a number stands right before it or "N lần" follows it in
    its clause."""
    found = _before(ctx.cues.times.pattern).search(ctx.text, max(0, mention.start - 16), mention.start)
    if found is None:
        found = _times_after(ctx.cues.times.pattern).match(ctx.text, mention.end)
    if found is None:
        return 1
    number = found["n"].casefold()
    return int(number) if number.isdigit() else DIGITS[number]


def counted_calls(calls: list[Call], ctx: Context) -> list[Call]:
    out = list(calls)
    for call in calls:
        if len(call.people) != 2:
            continue
        for mention in call.mentions:
            told = sum(
                c.person_ids() == call.person_ids() or any(m.id == mention.id for m in c.mentions)
                for c in out
            )
            out += [
                Call([mention], list(call.people), call.dates, scores=call.scores)
                for _ in range(_count(mention, ctx) - told)
            ]
    return out
