"""Mentions linked by ``same_call`` are one call, unless a summary links calls told apart. A mention that
names fewer than two people ("Ấn Độ điện đàm dồn dập với các đối tác") may sum up several calls and be
linked to each; it does not join two groups of mentions that each name two or more people, neither group's
people among the other's ("Vương Nghị điện đàm riêng rẽ với Doval và Dar ... Cùng ngày, Rubio cũng lần lượt
điện đàm với Jaishankar và ông Dar"). Two mentions that each name two people and are linked directly are one
call even when they name its people differently (a headline's "Chủ tịch ASEAN" for the body's Anwar)."""

from __future__ import annotations

from collections import defaultdict

from diplo_ie.events.call import Call, Context, union


def _told_apart(one: set[int], other: set[int]) -> bool:
    return len(one) >= 2 and len(other) >= 2 and not (one <= other or other <= one)


def same_call(calls: list[Call], ctx: Context) -> list[Call]:
    by_mention = {c.mentions[0].id: c for c in calls}
    parent = {k: k for k in by_mention}
    people = {k: c.person_ids() for k, c in by_mention.items()}
    keep_apart = "calls_told_apart" not in ctx.skip

    def find(x: str | None) -> str | None:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in ctx.relations:
        if rel.type == "same_call" and rel.head in parent and rel.tail in parent:
            head, tail = find(rel.head), find(rel.tail)
            direct = min(len(by_mention[rel.head].people), len(by_mention[rel.tail].people)) >= 2
            if head == tail or (keep_apart and not direct and _told_apart(people[head], people[tail])):
                continue
            parent[head] = tail
            people[tail] |= people[head]
    groups: dict[str | None, list[Call]] = defaultdict(list)
    for key, call in by_mention.items():
        groups[find(key)].append(call)
    return [union(g) for g in sorted(groups.values(), key=lambda g: g[0].mentions[0].start)]
