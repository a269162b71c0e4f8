"""Mentions of one call carrying several date values are several calls, one per date ("ngày 28 và 31/1").
Each takes the people linked to the mentions that carry its date, or, if those are fewer than two, the two
people most linked in the call."""

from __future__ import annotations

from diplo_ie.events.call import Call, Context, nearest_first, union


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
