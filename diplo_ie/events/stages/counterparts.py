"""More than two people on one call are separate calls by the caller to each counterpart ("điện đàm với Thủ
tướng Úc và Tổng thống Mexico"), unless the text says it was a joint call ("ba bên") or it is a call between
two delegations ("Lưu Hạc điện đàm với Bộ trưởng Tài chính Mỹ Steven Mnuchin và Đại diện Thương mại Mỹ
Robert Lighthizer"). Aides and spokespeople among more than two, or beside a head of state or government, are
the call's reporters ("Trợ lý Ushakov cho biết, Tổng thống Putin hài lòng về cuộc điện đàm"), not
counterparts: a head of state talks with peers, an aide with aides and ministers; an aide named in one list
with a caller before the mention ("Kushner và cố vấn an ninh quốc gia John Bolton đã gọi điện") calls too.
The caller is whoever is named alone on one side of the mention ("A và B đã lần lượt điện đàm với C": C).
Each stated length goes to the call with the counterpart its sentence names (else the one named last before
it), not to every call of the list: "cuộc điện đàm với ông Putin kéo dài 40 phút, trong khi cuộc điện đàm với
ông Zelensky kéo dài 25 phút" gives each call its own length."""

from __future__ import annotations

import itertools
from typing import NamedTuple

from diplo_ie.core.schema import Span
from diplo_ie.events.call import (
    Call,
    Context,
    lengths_by_counterpart,
    listed_after,
    listed_with,
    named_in,
    one_after_another,
)
from diplo_ie.events.entities import Entity


def _joint_call(mention: Span, ctx: Context) -> bool:
    start, end = ctx.sentence_of(mention.start)
    return bool(ctx.cues.joint.search(ctx.text[start:end]))


class Sides(NamedTuple):
    before: list[Entity]
    after: list[Entity]
    mention: Span


def _sides(call: Call, ctx: Context) -> Sides | None:
    """The people named before and after the first call mention whose sentence names them all ("A và B đã
    điện đàm với C và D"), and that mention; None without such a mention."""
    for mention in call.mentions:
        start, end = ctx.sentence_of(mention.start)
        firsts = [
            (min(inside), p)
            for p in call.people
            if (inside := [m.start for m in p.mentions if start <= m.start < end])
        ]
        if len(firsts) == len(call.people):
            before = [p for at, p in firsts if at < mention.start]
            after = [p for at, p in firsts if at >= mention.end]
            if before and after:
                return Sides(before, after, mention)
    return None


def _lone_side(sides: Sides | None) -> Entity | None:
    """The person named alone on one side of a call mention that names others on the other side: the one
    everybody talked with ("A và B đã lần lượt điện đàm với C", "A điện đàm riêng rẽ với B và C")."""
    if sides is None:
        return None
    lone = [side for side in (sides.before, sides.after) if len(side) == 1]
    return lone[0][0] if len(lone) == 1 else None


def _outside_a_list(call: Call, ctx: Context) -> Entity | None:
    """The one person of the call whom a list of two or more of its people after "với", closed by "và",
    leaves out: the caller, also where the sentence does not name them ("Hôm 7/7, ông tiếp tục nói chuyện qua
    điện thoại với Tổng thống Pháp Emmanuel Macron và Thủ tướng Đức Olaf Scholz"). A comma alone rather ends
    the clause ("trong cuộc điện đàm với Quốc vương Bahrain Hamad, ông Putin nói")."""
    if "listed_counterparts" in ctx.skip:
        return None
    for mention in call.mentions:
        named = named_in(call.people, mention.end, ctx.sentence_of(mention.start)[1])
        listed = next(
            (named[:n] for n in range(len(named), 0, -1) if listed_after(mention, named[:n], ctx)), []
        )
        joins = [(a.end, b.start) for (a, x), (b, y) in itertools.pairwise(listed) if x is not y]
        if not joins or not ctx.cues.list_word.search(ctx.text, *joins[-1]):
            continue
        inside = {id(p) for _, p in listed}
        outside = [p for p in call.people if id(p) not in inside]
        if len(inside) >= 2 and len(outside) == 1:
            return outside[0]
    return None


def _caller_and_counterparts(call: Call, ctx: Context) -> tuple[Entity, list[Entity]]:
    """The caller is the one person a list of counterparts after "với" leaves out; else the person named alone
    on one side of a mention that names everyone; else the person most mentions link; on a tie, the one named
    first in the call's sentence ("A điện đàm với B và C")."""
    hub = _outside_a_list(call, ctx) or _lone_side(_sides(call, ctx))
    if hub is not None:
        return hub, [p for p in call.people if p is not hub]
    start, end = ctx.sentence_of(call.mentions[0].start)

    def first_in_sentence(entity: Entity) -> int:
        inside = [m.start for m in entity.mentions if start <= m.start < end]
        return min(inside) if inside else end

    ordered = sorted(call.people, key=lambda p: (-call.links[id(p)], first_in_sentence(p)))
    return ordered[0], ordered[1:]


def _delegations(call: Call, ctx: Context) -> bool:
    """Whether the call is one between two delegations, which the guidelines make one call: a mention with the
    people of one country on each side of it, named one after another ("Phó Thủ tướng Lưu Hạc điện đàm với
    Bộ trưởng Tài chính Mỹ Steven Mnuchin và Đại diện Thương mại Mỹ Robert Lighthizer"). A president and a
    prime minister of one country are called one by one, and a person named further on in the sentence is
    rather its topic. Delegations are named people; one named without a country ("và Bộ trưởng Tài chính
    Scott Bessent") is of the country of the others on their side. A group of officials ("với các quan chức
    thương mại Mỹ") is a delegation itself, with everyone else on the other side."""
    if "delegations" not in ctx.skip and any(p.group for p in call.people):
        return True
    sides = _sides(call, ctx)
    if "delegations" in ctx.skip or sides is None or any(p.name is None for p in call.people):
        return False
    if len(sides.before) == 1 and len(sides.after) == 1:
        return False
    start, end = ctx.sentence_of(sides.mention.start)
    for side in (sides.before, sides.after):
        countries = {p.country for p in side} - {None}
        if len(countries) != 1 or sum(p.heads_a_state() for p in side) > 1:
            return False
        if not one_after_another(named_in(side, start, end), ctx):
            return False
    return True


def _named_together(call: Call, ctx: Context) -> bool:
    """Whether a mention's sentence names all the call's three or more people as one list on one side of it,
    not as its counterparts: a call among them all ("Tổng thống Pháp, Thủ tướng Nhật Bản và Tổng thống Mỹ hôm
    qua có cuộc điện đàm", "Trong cuộc điện đàm, A, B và C cùng nhấn mạnh"). A list after "với" names the
    counterparts of someone else, and "lần lượt", "riêng rẽ" tell separate calls."""
    if "named_together" in ctx.skip or len(call.people) < 3:
        return False
    for mention in call.mentions:
        start, end = ctx.sentence_of(mention.start)
        named = named_in(call.people, start, end)
        if {id(p) for _, p in named} != call.person_ids() or ctx.cues.separately.search(ctx.text, start, end):
            continue
        before = all(m.end <= mention.start for m, _ in named)
        after = all(m.start >= mention.end for m, _ in named)
        if (before or after) and one_after_another(named, ctx) and not listed_after(mention, named, ctx):
            return True
    return False


def _roles_of_one_country(people: list[Entity], ctx: Context) -> list[Entity]:
    """An unnamed role with no office ("người đồng cấp Hàn Quốc") is the unnamed office holder of its country
    on the same call ("tân Ngoại trưởng nước này"), not a second counterpart."""
    if "one_role_a_country" in ctx.skip:
        return people
    offices = {p.country for p in people if p.name is None and p.title is not None}
    return [p for p in people if p.name is not None or p.title is not None or p.country not in offices]


def split_by_counterpart(calls: list[Call], ctx: Context) -> list[Call]:
    out = []

    def principal(p: Entity) -> bool:
        return not p.aide(ctx.cues.aide)

    for call in calls:
        principals = [
            p
            for p in _roles_of_one_country(call.people, ctx)
            # an aide listed with a principal before the mention calls beside them, and reports nothing
            if principal(p) or ("aides_listed" not in ctx.skip and listed_with(p, call, ctx, principal))
        ]
        if len(principals) >= 2 or any(p.heads_a_state() for p in principals):
            call.people = principals
        if (
            len(call.people) <= 2
            or any(_joint_call(m, ctx) for m in call.mentions)
            or _named_together(call, ctx)
            or _delegations(call, ctx)
        ):
            out.append(call)
            continue
        caller, others = _caller_and_counterparts(call, ctx)
        lengths = lengths_by_counterpart(call, others, ctx)
        out += [
            Call(call.mentions, [caller, o], call.dates, lengths.get(id(o), lengths.get(None)), call.scores,
                 parts=call.parts)
            for o in others
        ]  # fmt: skip
    return out
