"""Calls that are the same conversation are one: the same people, and the same date or no date on one
side, unless a status marker or an ordinal ("cuộc điện đàm thứ hai" / "đầu tiên") sets them apart."""

from __future__ import annotations

from diplo_ie.events.call import Call, Context, first_readable, ordinal_differs, status_differs


def merge_same_calls(calls: list[Call], ctx: Context) -> list[Call]:
    merged: list[Call] = []
    for call in calls:
        value = call.dates[0].value if call.dates else None
        target = next(
            (
                m for m in merged
                if m.person_ids() == call.person_ids()
                and (value is None or not m.dates or m.dates[0].value == value)
                and not status_differs(m, call, ctx)
                and not ordinal_differs(m, call, ctx)
            ),
            None,
        )  # fmt: skip
        if target is None:
            merged.append(call)
            continue
        target.mentions = sorted(
            {m.id: m for m in [*target.mentions, *call.mentions]}.values(), key=lambda s: s.start
        )
        target.dates = target.dates or call.dates
        target.duration = first_readable(target.duration, call.duration)
        target.scores += call.scores
        target.parts = list({id(leaf): leaf for leaf in [*target.leaves(), *call.leaves()]}.values())
    return merged
