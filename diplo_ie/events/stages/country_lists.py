"""A call with a closed list of counterparts named by country ("điện đàm với các nhà lãnh đạo Qatar, Kuwait
và Saudi Arabia", "riêng rẽ với lãnh đạo Qatar và Bahrain", "với các ngoại trưởng Ai Cập và Oman", "với những
người đồng cấp của Mỹ và Hàn Quốc") is a call with each: the listed countries' leaders (or holders of the
office the list names) are its people, as the named person of that country where the article names one, else
unnamed with their country. An open list ("như Mỹ, Nhật...") names nobody in particular. A list may also go on
after an office of a country linked to the mention ("với Thủ tướng Đức Angela Merkel, lãnh đạo Pháp và
Ireland": Ireland's leader too)."""

from __future__ import annotations

import re

from diplo_ie.core.schema import Span
from diplo_ie.events.call import Call, Context, union
from diplo_ie.events.cues import Cues, words
from diplo_ie.lexicon.countries import country_of
from diplo_ie.lexicon.titles import ROLE_WORDS, TITLE_SYNONYMS, canonical_title, read_office

_HEAD = re.compile(
    r"\s+(?:riêng\s+rẽ\s+|lần\s+lượt\s+)?với\s+(?:các\s+|những\s+)?(?:nhà\s+)?(?P<head>"
    + words((*ROLE_WORDS, *TITLE_SYNONYMS))
    + r")(?:\s+của)?(?:\s+(?:các|hai|ba|bốn|năm)\s+nước)?\s+",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:và\s+)?|\s+và\s+)")
_MAX_WORDS = 4
# How many words may describe a group of officials before its country ("thương mại hàng đầu của").
_MAX_GROUP_WORDS = 5
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\s,.;:!?()]+")


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


def _closed_list(text: str, at: int, last: bool = False) -> list[str]:
    """The countries of a list starting at ``at`` that "và" closes ("Ai Cập, Oman và Qatar"); [] for an open
    one. ``last``: "và" came already, so one country ends the list."""
    countries = []
    while (found := _country_at(text, at)) is not None:
        countries.append(found[0])
        sep = _SEPARATOR.match(text, found[1])
        if last or sep is None:
            break
        last = "và" in sep.group()  # "và" comes before the last item of a closed list
        at = sep.end()
    return countries if last else []


def listed_countries(text: str, mention: Span) -> tuple[str | None, list[str]]:
    """The office (None for a role word: "lãnh đạo") and the countries of a closed list right after a call
    mention ("với các ngoại trưởng Ai Cập và Oman": Ngoại trưởng, [Ai Cập, Oman]), or no countries."""
    head = _HEAD.match(text, mention.end)
    if head is None:
        return None, []
    countries = _closed_list(text, head.end())
    return canonical_title(head["head"]), countries if len(countries) >= 2 else []


def group_countries(text: str, mention: Span, cues: Cues) -> list[str]:
    """The countries of a group of officials right after a mention ("với các quan chức thương mại Mỹ": [Mỹ];
    "với những nhà đàm phán hàng đầu của Mỹ và Trung Quốc": both), or none when its modifiers end first."""
    group = cues.official_group.match(text, mention.end)
    if group is None:
        return []
    at = group.end()
    for _ in range(_MAX_GROUP_WORDS + 1):
        space = _SPACE.match(text, at)
        if space is None:
            return []
        if (found := _country_at(text, space.end())) is not None:
            return _closed_list(text, space.end()) or [found[0]]
        word = _WORD.match(text, space.end())
        if word is None or not word[0].islower() or word[0].casefold() in cues.group_modifier_stop:
            return []
        at = word.end()
    return []


def continued_countries(text: str, role: Span) -> list[str]:
    """The countries that close a list after an office or role of a country ("lãnh đạo Pháp và Ireland",
    "ngoại trưởng Anh, Pháp và Đức": the office of each)."""
    sep = _SEPARATOR.match(text, role.end)
    return _closed_list(text, sep.end(), last="và" in sep.group()) if sep else []


def _role_lists(leaf: Call, ctx: Context) -> list[tuple[str | None, list[str], Span]]:
    """The lists of countries after the mention, and after each office of a country it is linked to."""
    mention = leaf.mentions[0]
    lists = [(*listed_countries(ctx.text, mention), mention)]
    if "continued_lists" not in ctx.skip:
        linked = {r.tail for r in ctx.relations if r.type == "participant" and r.head == mention.id}
        for span in (s for s in ctx.spans if s.id in linked and s.label == "TITLE"):
            office, country = read_office(span.text)
            if country is not None:
                lists.append((office, continued_countries(ctx.text, span), span))
    return lists


def counterparts_by_country(calls: list[Call], ctx: Context) -> list[Call]:
    out = []
    for call in calls:
        changed = False
        for leaf in call.leaves():
            for office, countries, at in _role_lists(leaf, ctx):
                for country in countries:
                    entity = ctx.entities.resolve_role(office, country, at)
                    if entity not in leaf.people:
                        leaf.people.append(entity)
                        changed = True
            if "official_groups" not in ctx.skip:
                for country in group_countries(ctx.text, leaf.mentions[0], ctx.cues):
                    if not any(p.country == country for p in leaf.people):
                        leaf.people.append(ctx.entities.unnamed(None, country, group=True))
                        changed = True
        out.append(union(call.leaves()) if changed else call)
    return out
