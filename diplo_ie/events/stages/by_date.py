"""Mentions of one call carrying several date values are several calls, one per date ("ngày 28 và 31/1").
Each takes the people linked to the mentions that carry its date, or, if those are fewer than two, the two
people most linked in the call. Two days in a row are one call told in two time zones ("tối 9/10 theo giờ
Washington, tức rạng sáng 10/10 giờ Việt Nam": the callers' local day) or beside the report's dateline ("Hà
Nội, 15/4 (TTXVN) - Chiều 14/4, ..."): the call's own day."""

from __future__ import annotations

import datetime as dt
import re

from diplo_ie.core.schema import DateValue
from diplo_ie.events.call import Call, Context, nearest_first, union

# The Vietnam-time restatement of a call told in the callers' time ("tức rạng sáng 10/10 giờ Việt Nam"). A
# local time alone ("rạng sáng 16/11 (giờ địa phương)") marks no restatement: the day before may be another
# call.
_VIETNAM_TIME = re.compile(r"giờ\s+(?:Việt\s+Nam|Hà\s+Nội|VN)\b", re.IGNORECASE)
# A dateline: the place and day of the report, before the agency and a dash ("Hà Nội, 15/4 (TTXVN) -").
_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,20}\))?\s*[-–—]")
_DATELINE_REACH = 60


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
        if _VIETNAM_TIME.search(date.text) and not _VIETNAM_TIME.search(other.text):
            return other
        dateline = date.start is not None and date.start < _DATELINE_REACH
        if dateline and date.end is not None and _DATELINE_END.match(ctx.text, date.end):
            return other
    return None


def _date_owner(leaf: Call, dated: list[Call]) -> Call | None:
    """The mention (of the ``dated`` ones) whose dates ``leaf`` goes with: its own, else, for a mention that
    names fewer than two people, the nearest dated mention before it (after it when none is before): "Hôm
    qua (12/2), A điện đàm với B... Cuộc điện đàm kéo dài chừng nửa tiếng"."""
    if any(d.value for d in leaf.dates):
        return leaf
    if len(leaf.people) >= 2:  # a report of its own ("A đã điện đàm riêng rẽ với B và C"), not an aside
        return None
    nearest = nearest_first(dated, leaf.mentions[0].start, lambda c: c.mentions[0].start)
    return nearest[0] if nearest else None


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
        owners = [_date_owner(leaf, dated) for leaf in leaves]
        for date in whole.dates:
            owned = [
                leaf
                for leaf, o in zip(leaves, owners, strict=True)
                if o and any(d.value == date.value for d in o.dates)
            ]
            call = union(owned, [date])
            if len(call.people) < 2:
                call.people = whole.people[:2]
            out.append(call)
        undated = [leaf for leaf, o in zip(leaves, owners, strict=True) if o is None]
        if undated:  # merged later into a dated call of the same people, if there is one
            out.append(union(undated, []))
    return out
