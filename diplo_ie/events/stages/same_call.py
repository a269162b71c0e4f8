"""Mentions linked by ``same_call`` are one call."""

from __future__ import annotations

from collections import defaultdict

from diplo_ie.events.call import Call, Context, union


def same_call(calls: list[Call], ctx: Context) -> list[Call]:
    by_mention = {c.mentions[0].id: c for c in calls}
    parent = {k: k for k in by_mention}

    def find(x: str | None) -> str | None:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in ctx.relations:
        if rel.type == "same_call" and rel.head in parent and rel.tail in parent:
            parent[find(rel.head)] = find(rel.tail)
    groups: dict[str | None, list[Call]] = defaultdict(list)
    for key, call in by_mention.items():
        groups[find(key)].append(call)
    return [union(g) for g in sorted(groups.values(), key=lambda g: g[0].mentions[0].start)]
