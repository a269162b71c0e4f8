"""A mention that names two people but is linked to no date takes a "cùng ngày" earlier in its sentence
("Trong khi đó, cùng ngày, Điện Elysee cho biết Tổng thống Pháp đã điện đàm ..."), a fixed phrase the tagger
sometimes misses; unless a dated mention of its call names the same people, which makes it that call told
again ("... hôm Chủ nhật (29/5). Phát biểu tối cùng ngày, ông Vučić cho biết cuộc điện đàm với ông Putin
...")."""

from __future__ import annotations

from diplo_ie.core.schema import Span
from diplo_ie.events.call import Call, Context, union
from diplo_ie.normalize.dates import SAME_DAY


def same_day_reports(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        leaves = call.leaves()
        dated_people = [leaf.person_ids() for leaf in leaves if leaf.dates]
        changed = False
        for leaf in leaves:
            people = leaf.person_ids()
            if leaf.dates or len(people) < 2 or any(people <= other for other in dated_people):
                continue
            mention = leaf.mentions[0]
            found = SAME_DAY.search(ctx.text, ctx.sentence_of(mention.start)[0], mention.start)
            if found is not None:
                same_day = Span("DATE", found.start(), found.end(), found.group())
                leaf.dates = [v for v in ctx.dates.values(same_day) if v.value]
                changed = True
        out.append(union(leaves) if changed else call)
    return out
