"""Each CALL span that names a call becomes a call of its own, with the people, dates and duration the
analysis links to it. Counting words alone ("cuộc"), a conversation with the press and a call verb negated
on the spot ("chưa từng điện đàm") name no call."""

from __future__ import annotations

from collections import defaultdict

from diplo_ie.core.schema import DurationValue, Relation, Span
from diplo_ie.events.call import Call, Context, first_readable, score
from diplo_ie.normalize import parse_duration


def names_a_call(mention: Span, ctx: Context) -> bool:
    cues = ctx.cues
    return not (
        cues.counting_only.fullmatch(mention.text)
        or cues.with_press_after.match(ctx.text, mention.end)
        or cues.negated_before.search(ctx.text[max(0, mention.start - 30) : mention.start])
    )


def duration_value(span: Span) -> DurationValue:
    parsed = parse_duration(span.text)
    if parsed is None:
        return DurationValue(span.text, None, None, None, span.start, span.end)
    return DurationValue(span.text, parsed.minutes, parsed.iso, parsed.qualifier, span.start, span.end)


def call_mentions(calls: list[Call], ctx: Context) -> list[Call]:
    by_id = {s.id: s for s in ctx.spans}
    outgoing: dict[str, list[Relation]] = defaultdict(list)
    for rel in ctx.relations:
        if rel.head in by_id and rel.tail in by_id:
            outgoing[rel.head].append(rel)
    out = list(calls)
    institution = None if "institutions" in ctx.skip else ctx.cues.institution
    for mention in (s for s in ctx.spans if s.label == "CALL" and names_a_call(s, ctx)):
        call = Call([mention], scores=[score(mention)])
        relations = outgoing[mention.id or ""]
        tails = [by_id[r.tail] for r in relations if r.type == "participant"]
        people = ctx.entities.resolve_together(mention, tails)
        call.people = [p for i, p in enumerate(people) if p.informative(institution) and p not in people[:i]]
        for rel in relations:
            tail = by_id[rel.tail]
            call.scores.append(score(rel))
            if rel.type == "time":
                seen = {x.value for x in call.dates}
                call.dates += [d for d in ctx.dates.values(tail) if d.value not in seen]
            elif rel.type == "duration":
                call.duration = first_readable(call.duration, duration_value(tail))
        out.append(call)
    return out
