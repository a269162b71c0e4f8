"""News introduce the parties to a call by office or country ("Thủ tướng Jamaica Andrew Holness"); a name
the article never gives an office or a country, and that the gazetteer does not know, is mostly someone else
linked to the call: a quoted expert or reporter ("Bhadrakumar", "Abdulkadir Selvi"), an outlet or a place
tagged as a name ("WSJ", "Ramstein"), or the subject of the talks ("Khashoggi"). Such a person is dropped
from a call that keeps two introduced people; a call with fewer keeps them all, since someone must have
spoken."""

from __future__ import annotations

from dataclasses import replace

from diplo_ie.events.call import Call, Context


def introduced_people(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        introduced = [p for p in call.people if p.introduced()]
        out.append(replace(call, people=introduced) if len(introduced) >= 2 else call)
    return out
