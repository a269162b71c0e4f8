"""A call mention naming fewer than two people ("Theo ông Ushakov, cuộc điện đàm kéo dài 1 giờ 15 phút")
usually takes up the call just told: it joins the nearest earlier call with two people (else the next one)
unless its date or person says it is another call."""

from __future__ import annotations

from diplo_ie.events.call import Call, Context, nearest_first, union


def _date_values(call: Call) -> set[str | None]:
    return {d.value for leaf in call.leaves() for d in leaf.dates}


def anaphoric_mentions(calls: list[Call], ctx: Context) -> list[Call]:
    full = [c for c in calls if len(c.person_ids()) >= 2]
    merged = {id(c): [c] for c in full}
    for call in calls:
        if id(call) in merged:
            continue
        own_dates = _date_values(call)
        target = next(
            (
                c for c in nearest_first(full, call.mentions[0].start, lambda c: c.mentions[0].start)
                if not (own_dates and _date_values(c) and own_dates != _date_values(c))
                and call.person_ids() <= c.person_ids()
            ),
            None,
        )  # fmt: skip
        if target is None:
            merged[id(call)] = [call]
        else:
            merged[id(target)].append(call)
    return sorted((union(g) for g in merged.values()), key=lambda c: c.mentions[0].start)
