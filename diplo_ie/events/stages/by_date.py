"""Mentions of one call carrying several date values are several calls, one per date ("ngày 28 và 31/1").
Each takes the people linked to the mentions that carry its date, filled up to two with the people most
linked in the call. Two days in a row are one call told in two time zones ("tối 9/10 theo giờ
Washington, tức rạng sáng 10/10 giờ Việt Nam": the callers' local day) or beside the report's dateline ("Hà
Nội, 15/4 (TTXVN) - Chiều 14/4, ..."): the call's own day."""

from __future__ import annotations

import datetime as dt

from diplo_ie.core.schema import DateValue
from diplo_ie.events.call import (
    Call,
    Context,
    lengths_by_counterpart,
    listed_after,
    named_in,
    nearest_first,
    union,
)
from diplo_ie.events.dates import VIETNAM_TIME, is_dateline
from diplo_ie.events.entities import Entity


def _day(value: DateValue) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.value or "")
    except ValueError:
        return None


def _one_day_across_zones(dates: list[DateValue], ctx: Context) -> DateValue | None:
    """The call's day when its two dates are one call's, told in two time zones or beside a dateline."""
    if len(dates) != 2 or None in (days := [_day(d) for d in dates]):
        return None
    if abs((days[0] - days[1]).days) != 1:  # type: ignore[operator]
        return None
    for date, other in (dates, dates[::-1]):
        if VIETNAM_TIME.search(date.text) and not VIETNAM_TIME.search(other.text):
            return other
        if date.start is not None and date.end is not None and is_dateline(ctx.text, date.start, date.end):
            return other
    return None


def _known(leaf: Call) -> list[str]:
    return [d.value for d in leaf.dates if d.value and not d.value.startswith("X")]


def _earlier(one: Call, other: Call) -> bool:
    """Whether ``one`` is an earlier call of the same two (or more) people as ``other``: all its dates end
    before ``other``'s begin, at the coarser granularity of each pair ("2022-12" before "2024-11-15")."""
    if len(one.people) < 2 or one.person_ids() != other.person_ids():
        return False
    pairs = [(a, b) for a in _known(one) for b in _known(other)]
    return bool(pairs) and all(a[: min(len(a), len(b))] < b[: min(len(a), len(b))] for a, b in pairs)


def _counterparts_only(leaf: Call, ctx: Context) -> bool:
    """Whether the mention names its people only as a list of counterparts after "với", whoever called them
    left out: "Các cuộc điện đàm với ông Zelensky và ông Starmer xoay quanh ..." tells of two calls, not of
    one between them."""
    if "counterparts_only" in ctx.skip:
        return False
    mention = leaf.mentions[0]
    start, end = ctx.sentence_of(mention.start)
    return listed_after(mention, named_in(leaf.people, start, end), ctx)


def _date_owner(leaf: Call, dated: list[Call], ctx: Context) -> Call | None:
    """The mention (of the ``dated`` ones) whose dates ``leaf`` goes with: its own, else, for a mention that
    names fewer than two people or only counterparts ("các cuộc điện đàm với A và B"), the nearest dated
    mention before it (after it when none is before) of those that name its people: "Hôm qua (12/2), A điện
    đàm với B... Cuộc điện đàm kéo dài chừng nửa tiếng". A mention dated before another is a past call told
    as background ("Lần gần đây nhất hai ông nói chuyện là vào tháng 12 năm 2022. Theo phát ngôn viên, trong
    cuộc điện đàm, ông Scholz...") and takes an undated mention only when no newer one is there: the report
    is about the newest call."""
    if any(d.value for d in leaf.dates):
        return leaf
    if len(leaf.people) >= 2 and not _counterparts_only(leaf, ctx):  # a report of its own, not an aside
        return None
    # "Trong cuộc điện đàm kéo dài hơn 20 phút với ông Biden": the dated mention that names Biden.
    named = leaf.person_ids()
    dated = [c for c in dated if named and named <= c.person_ids()] or dated
    start = leaf.mentions[0].start
    before = [c for c in dated if c.mentions[0].start < start]
    newest = [c for c in before if not any(_earlier(c, other) for other in dated)]
    nearest = nearest_first(newest or dated, start, lambda c: c.mentions[0].start)
    return nearest[0] if nearest else None


def _counterpart_of_each_date(whole: Call, ctx: Context) -> dict[str | None, list[Entity]]:
    """For a mention followed by counterparts each with their own day ("điện đàm với A hôm thứ Hai (3/3), với
    B hôm thứ Tư (5/3) và với C hôm thứ Sáu (7/3)"): the date value -> the people named between the date
    before it (or the mention) and itself, with those named before the mention, the caller; {} for any other
    shape."""
    for leaf in whole.leaves():
        mention = leaf.mentions[0]
        _, end = ctx.sentence_of(mention.start)
        dates = sorted((d for d in leaf.dates if d.start is not None and mention.end <= d.start < end),
                       key=lambda d: d.start or 0)  # fmt: skip
        if len(dates) < 2 or len(dates) != len(leaf.dates):
            continue
        firsts = {id(p): min(m.start for m in p.mentions) for p in whole.people}
        callers = [p for p in whole.people if firsts[id(p)] < mention.start]
        by_date: dict[str | None, list[Entity]] = {}
        at = mention.end
        for date in dates:
            named = [p for p in whole.people if any(at <= m.start < (date.start or 0) for m in p.mentions)]
            if not named or date.value in by_date:
                break
            by_date[date.value] = callers + named
            at = date.end or 0
        else:
            if callers:
                return by_date
    return {}


def _fill_up(call: Call, whole: Call, calls_by_date: list[Call], ctx: Context) -> list[Entity]:
    """Who else was on a date's call that names only one person: of the others of the whole, first those
    no other date's call names ("Macron lần lượt điện đàm với Rouhani và Thủ tướng Iraq. Trong cuộc điện
    đàm hôm 5/1, ông Macron ... Hôm 6/1, ông Macron gọi điện cho Thủ tướng Iraq": Rouhani on 5/1: each
    counterpart of a list was called once), then the most linked."""
    others = [p for p in whole.people if p not in call.people]
    if "listed_once" in ctx.skip:
        return others
    named_elsewhere = {i for c in calls_by_date if c is not call for i in c.person_ids()}
    return sorted(others, key=lambda p: id(p) in named_elsewhere)


def split_by_date(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for whole in calls:
        if len(whole.dates) > 1:  # a date word the normalizer cannot read ("ngày") is no second date
            whole.dates = [d for d in whole.dates if d.value is not None]
        one_day = _one_day_across_zones(whole.dates, ctx)
        if one_day is not None:
            whole.dates = [one_day]
        if len(whole.dates) <= 1:
            out.append(whole)
            continue
        leaves = whole.leaves()
        dated = [leaf for leaf in leaves if any(d.value for d in leaf.dates)]
        owners = [_date_owner(leaf, dated, ctx) for leaf in leaves]
        listed = _counterpart_of_each_date(whole, ctx)
        lengths = lengths_by_counterpart(whole, [p for people in listed.values() for p in people[-1:]], ctx)
        calls_by_date = []
        for date in whole.dates:
            owned = [
                leaf
                for leaf, o in zip(leaves, owners, strict=True)
                if o and any(d.value == date.value for d in o.dates)
            ]
            calls_by_date.append(union(owned, [date]))
        for date, call in zip(whole.dates, calls_by_date, strict=True):
            if date.value in listed:
                call.people = listed[date.value]
                call.duration = lengths.get(id(call.people[-1]))
            elif len(call.people) < 2:
                call.people = [*call.people, *_fill_up(call, whole, calls_by_date, ctx)][:2]
            out.append(call)
        undated = [leaf for leaf, o in zip(leaves, owners, strict=True) if o is None]
        if undated:  # merged later into a dated call of the same people, if there is one
            out.append(union(undated, []))
    return out
