"""A call with a closed list of counterparts named by country ("điện đàm với các nhà lãnh đạo Qatar, Kuwait
và Saudi Arabia", "riêng rẽ với lãnh đạo Qatar và Bahrain", "với các ngoại trưởng Ai Cập và Oman") is a call
with each: the listed countries' leaders (or holders of the office the list names) are its people, as the
named person of that country where the article names one, else unnamed with their country. An open list
("như Mỹ, Nhật...") names nobody in particular."""

from __future__ import annotations

import re

from diplo_ie.core.schema import Span
from diplo_ie.events.call import Call, Context, union
from diplo_ie.events.cues import words
from diplo_ie.lexicon.countries import country_of
from diplo_ie.lexicon.titles import ROLE_WORDS, TITLE_SYNONYMS, canonical_title

_HEAD = re.compile(
    r"\s+(?:riêng\s+rẽ\s+|lần\s+lượt\s+)?với\s+(?:các\s+|những\s+)?(?:nhà\s+)?(?P<head>"
    + words((*ROLE_WORDS, *TITLE_SYNONYMS))
    + r")(?:\s+(?:các|hai|ba|bốn|năm)\s+nước)?\s+",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:và\s+)?|\s+và\s+)")
_MAX_WORDS = 4


def _country_at(text: str, at: int) -> tuple[str, int] | None:
    """The longest country name starting at ``at`` (up to four words) and where it ends."""
    found = None
    for m in re.finditer(r"\S+", text[at : at + 60]):
        if m.start() and text[at + m.start() - 1] not in " -":
            break
        piece = text[at : at + m.end()].rstrip(",.;:")
        country = country_of(piece)
        if country is not None:
            found = (country.name, at + len(piece))
        if len(piece.split()) >= _MAX_WORDS:
            break
    return found


def listed_countries(text: str, mention: Span) -> tuple[str | None, list[str]]:
    """The office (None for a role word: "lãnh đạo") and the countries of a closed list right after a call
    mention ("với các ngoại trưởng Ai Cập và Oman": Ngoại trưởng, [Ai Cập, Oman]), or no countries."""
    head = _HEAD.match(text, mention.end)
    if head is None:
        return None, []
    countries, at, last = [], head.end(), False
    while (found := _country_at(text, at)) is not None:
        countries.append(found[0])
        sep = _SEPARATOR.match(text, found[1])
        if last or sep is None:
            break
        last = "và" in sep.group()  # "và" comes before the last item of a closed list
        at = sep.end()
    return canonical_title(head["head"]), countries if last and len(countries) >= 2 else []


def counterparts_by_country(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        changed = False
        for leaf in call.leaves():
            mention = leaf.mentions[0]
            office, countries = listed_countries(ctx.text, mention)
            for country in countries:
                entity = ctx.entities.resolve_role(office, country, mention)
                if entity not in leaf.people:
                    leaf.people.append(entity)
                    changed = True
        out.append(union(call.leaves()) if changed else call)
    return out
