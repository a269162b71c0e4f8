"""More than two people on one call are separate calls by the caller to each counterpart ("điện đàm với Thủ
tướng Úc và Tổng thống Mexico"), unless the text says it was a joint call ("ba bên"). Aides and spokespeople
among more than two, or beside a head of state or government, are the call's reporters ("Trợ lý Ushakov cho
biết, Tổng thống Putin hài lòng về cuộc điện đàm"), not counterparts: a head of state talks with peers, an
aide with aides and ministers. Each stated length goes to the call with the counterpart its sentence names (else
the one named last before it), not to every call of the list: "cuộc điện đàm với ông Putin kéo dài 40 phút,
trong khi cuộc điện đàm với ông Zelensky kéo dài 25 phút" gives each call its own length."""

from __future__ import annotations

from diplo_ie.core.schema import DurationValue, Span
from diplo_ie.events.call import Call, Context, first_readable
from diplo_ie.events.entities import Entity


def _joint_call(mention: Span, ctx: Context) -> bool:
    start, end = ctx.sentence_of(mention.start)
    return bool(ctx.cues.joint.search(ctx.text[start:end]))


def _lone_side(call: Call, ctx: Context) -> Entity | None:
    """The person named alone on one side of a call mention that names others on the other side: the one
    everybody talked with ("A và B đã lần lượt điện đàm với C", "A điện đàm riêng rẽ với B và C")."""
    for mention in call.mentions:
        start, end = ctx.sentence_of(mention.start)
        firsts = [(min(ms), p) for p in call.people if (ms := [m.start for m in p.mentions if start <= m.start < end])]
        before = [p for at, p in firsts if at < mention.start]
        after = [p for at, p in firsts if at >= mention.end]
        if len(before) + len(after) == len(call.people) and sorted((len(before), len(after))) [0] == 1 < max(len(before), len(after)):
            return before[0] if len(before) == 1 else after[0]
    return None


def _caller_and_counterparts(call: Call, ctx: Context) -> tuple[Entity, list[Entity]]:
    """The caller is the person named alone on one side of a mention that names everyone; else the person most
    mentions link; on a tie, the one named first in the call's sentence ("A điện đàm với B và C")."""
    hub = _lone_side(call, ctx)
    if hub is not None:
        return hub, [p for p in call.people if p is not hub]
    start, end = ctx.sentence_of(call.mentions[0].start)

    def first_in_sentence(entity: Entity) -> int:
        inside = [m.start for m in entity.mentions if start <= m.start < end]
        return min(inside) if inside else end

    ordered = sorted(call.people, key=lambda p: (-call.links[id(p)], first_in_sentence(p)))
    return ordered[0], ordered[1:]


def _duration_owner(duration: DurationValue, counterparts: list[Entity], ctx: Context) -> Entity | None:
    """The counterpart whose call a duration measures: the only one named in the duration's sentence ("cuộc
    điện đàm kéo dài 30 phút với Thủ tướng Abe"), else the one named last before it ("... điện đàm với Thủ
    tướng Đức. Cuộc điện đàm kéo dài một tiếng")."""
    if duration.start is None:
        return None
    at = duration.start
    start, end = ctx.sentence_of(at)
    in_sentence = [p for p in counterparts if any(start <= m.start < end for m in p.mentions)]
    if len(in_sentence) == 1:
        return in_sentence[0]
    before = [(max(m.start for m in p.mentions if m.start < at), i) for i, p in enumerate(counterparts)
              if any(m.start < at for m in p.mentions)]  # fmt: skip
    return counterparts[max(before)[1]] if before else None


def split_by_counterpart(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        principals = [p for p in call.people if not p.aide(ctx.cues.aide)]
        if len(principals) >= 2 or any(p.heads_a_state() for p in principals):
            call.people = principals
        if len(call.people) <= 2 or any(_joint_call(m, ctx) for m in call.mentions):
            out.append(call)
            continue
        caller, others = _caller_and_counterparts(call, ctx)
        lengths = _lengths(call, others, ctx)
        out += [
            Call(call.mentions, [caller, o], call.dates, lengths.get(id(o), lengths.get(None)), call.scores,
                 parts=call.parts)
            for o in others
        ]  # fmt: skip
    return out


def _lengths(call: Call, counterparts: list[Entity], ctx: Context) -> dict[int | None, DurationValue]:
    """The first readable length of each counterpart's call (by id), and under ``None`` the one of a length
    that names no counterpart, for the counterparts without one of their own."""
    found = [leaf.duration for leaf in call.leaves() if leaf.duration is not None]
    lengths: dict[int | None, DurationValue] = {}
    for duration in sorted(found, key=lambda d: d.start or 0):
        owner = _duration_owner(duration, counterparts, ctx)
        key = None if owner is None else id(owner)
        lengths[key] = first_readable(lengths.get(key), duration)  # type: ignore[assignment]
    return lengths
