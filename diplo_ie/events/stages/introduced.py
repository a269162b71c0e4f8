"""News introduce the parties to a call by office or country ("Thủ tướng Jamaica Andrew Holness"); a name
the article never gives an office or a country, and that the gazetteer does not know, is mostly someone else
linked to the call: a quoted expert or reporter ("Bhadrakumar", "Abdulkadir Selvi"), an outlet or a place
tagged as a name ("WSJ", "Ramstein"), or the subject of the talks ("Khashoggi"). Such a person is dropped
from a call that keeps two introduced people; a call with fewer keeps them all, since someone must have
spoken. A name listed with an introduced caller before the call is told ("Tướng Joe Dunford và người đứng đầu
bộ chỉ huy Thái Bình Dương, đô đốc Harry Harris đã có cuộc thảo luận qua điện thoại với ...") is a caller,
whatever office the lexicon reads for them."""

from __future__ import annotations

from dataclasses import replace

from diplo_ie.events.call import Call, Context, listed_with
from diplo_ie.events.entities import Entity


def introduced_people(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        introduced = [p for p in call.people if p.introduced() or _listed_caller(p, call, ctx)]
        out.append(replace(call, people=introduced) if len(introduced) >= 2 else call)
    return out


def _listed_caller(person: Entity, call: Call, ctx: Context) -> bool:
    if "listed_callers" in ctx.skip:
        return False
    return listed_with(person, call, ctx, Entity.introduced, by_word=True)
