"""A call mention naming fewer than two people ("Theo ông Ushakov, cuộc điện đàm kéo dài 1 giờ 15 phút")
usually takes up the call just told: it joins the nearest earlier call with two people (else the next one)
unless its date, person, status or number says it is another call. A mention with a date of its own that no
call of its people has, a status marker that sets it apart ("Hai bên nhất trí sẽ điện đàm lần nữa" after the
call that was held) or another number ("cuộc điện đàm đầu tiên" beside "cuộc điện đàm thứ hai") is another
call between them ("Cuộc điện đàm trước đó giữa hai nhà lãnh đạo hôm 12/2", "sau cuộc điện đàm hồi tháng
11/2022"): it takes the people of the call it would have joined."""

from __future__ import annotations

from diplo_ie.events.call import Call, Context, nearest_first, ordinal_differs, status_differs, union


def _date_values(call: Call) -> set[str | None]:
    return {d.value for leaf in call.leaves() for d in leaf.dates}


def anaphoric_mentions(calls: list[Call], ctx: Context) -> list[Call]:
    full = [c for c in calls if len(c.person_ids()) >= 2]
    merged = {id(c): [c] for c in full}
    for call in calls:
        if id(call) in merged:
            continue
        own_dates = _date_values(call)
        # A spokesperson or a name never introduced, linked to the mention ("Người phát ngôn Dmitry Peskov
        # cho biết cuộc điện đàm kéo dài khoảng 45 phút"), reports the call just told.
        named = {id(p) for p in call.people if p.introduced() and not p.aide(ctx.cues.aide)}
        referents = [
            c for c in nearest_first(full, call.mentions[0].start, lambda c: c.mentions[0].start)
            if named <= c.person_ids()
        ]  # fmt: skip
        target = next(
            (
                c for c in referents
                if not (own_dates and _date_values(c) and own_dates != _date_values(c))
                and not status_differs(call, c, ctx)
                and not ordinal_differs(call, c, ctx)
            ),
            None,
        )  # fmt: skip
        if target is not None:
            merged[id(target)].append(call)
            continue
        if referents:
            for leaf in call.leaves():  # the stages after this one read the people of each mention
                leaf.people = list(referents[0].people)
        merged[id(call)] = [call]
    return sorted((union(g) for g in merged.values()), key=lambda c: c.mentions[0].start)
