"""Leader gazetteer: heads of state/government, foreign ministers and heads of international organisations.

Data: ``diplo_ie/data/leaders.jsonl``, one person a line: canonical name as Vietnamese media write it, the
variants they use (Latin spellings, Vietnamese transliterations like "Pu-tin", Sino-Vietnamese readings like
"Tập Cận Bình"), nationality, offices with years and a Wikidata QID where known.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from diplo_ie.countries import Country, country_of
from diplo_ie.normalize.text import fold, strip_diacritics
from diplo_ie.titles import canonical_title

_HONORIFIC = re.compile(r"^(?:ông|bà|ngài|quý bà|cố)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Office:
    title: str
    start: int
    end: int | None  # None: still in office

    def covers(self, year: int) -> bool:
        return self.start <= year <= (self.end if self.end is not None else 9999)


@dataclass(frozen=True)
class Leader:
    name: str
    variants: tuple[str, ...]
    country: Country
    offices: tuple[Office, ...]
    wikidata: str | None = None
    surnames: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Leader:
        offices = tuple(Office(o["title"], o["from"], o["to"]) for o in rec["offices"])
        variants = tuple(rec.get("variants", ()))
        country = Country(rec["country"], rec.get("iso"))
        surnames = _surname_keys(rec["name"], variants, country.iso)
        return cls(rec["name"], variants, country, offices, rec.get("wikidata"), surnames)

    def holds(self, title: str | None = None, year: int | None = None) -> bool:
        """Whether some office matches ``title`` (canonical or prefix: "Tổng Thư ký") in ``year``."""
        wanted = canonical_title(title) or title if title else None
        for office in self.offices:
            office_title = canonical_title(office.title) or office.title
            if wanted and not (office_title == wanted or fold(office_title).startswith(fold(wanted))):
                continue
            if year is not None and not office.covers(year):
                continue
            return True
        return False


def _key(name: str) -> str:
    """Lookup key: folded, dots/hyphens as spaces ("V.Putin" = "V. Putin", "Kim Jong-un" = "Kim Jong un")."""
    return " ".join(re.sub(r"[.\-‐–]", " ", fold(name)).split())


# Chinese, Korean and Cambodian names put the family name first: "ông Tập", "ông Moon", "ông Hun Sen".
_FAMILY_NAME_FIRST = {"CN", "TW", "KR", "KP", "KH"}


def _surname_keys(name: str, variants: tuple[str, ...], iso: str | None) -> frozenset[str]:
    """Keys for short references after first mention ("ông Putin", "ông Pu-tin", "ông Tập")."""
    keys: set[str] = set()
    for form in (name, *variants):
        words = fold(form).split()
        if len(words) == 1:
            keys.add(_key(words[0]))
        elif words:
            keys.add(_key(words[0] if iso in _FAMILY_NAME_FIRST else words[-1]))
    return frozenset(strip_diacritics(k) for k in keys if k)


class Gazetteer:
    def __init__(self, leaders: list[Leader]) -> None:
        self.leaders = leaders
        self._exact: dict[str, list[Leader]] = {}
        self._loose: dict[str, list[Leader]] = {}
        self._surname: dict[str, list[Leader]] = {}
        for leader in leaders:
            for form in (leader.name, *leader.variants):
                _add(self._exact, _key(form), leader)
                _add(self._loose, strip_diacritics(_key(form)), leader)
            for surname in leader.surnames:
                _add(self._surname, surname, leader)

    @classmethod
    @cache
    def load(cls) -> Gazetteer:
        """The shipped gazetteer (read once, then cached)."""
        text = resources.files("diplo_ie").joinpath("data/leaders.jsonl").read_text(encoding="utf-8")
        return cls([Leader.from_record(json.loads(line)) for line in text.splitlines() if line.strip()])

    def lookup(self, name: str) -> Leader | None:
        """The leader with this name or variant; exact spelling first, then ignoring diacritics and case.

        Returns None when nothing or more than one person matches.
        """
        if not isinstance(name, str):
            return None
        key = _key(_HONORIFIC.sub("", name.strip()))
        found = self._exact.get(key) or self._loose.get(strip_diacritics(key)) or []
        return found[0] if len(found) == 1 else None

    def lookup_surname(
        self, surname: str, country: str | None = None, title: str | None = None, year: int | None = None
    ) -> list[Leader]:
        """Candidates for a short reference ("ông Putin"), filtered by country, title and year."""
        key = strip_diacritics(_key(_HONORIFIC.sub("", surname.strip())))
        candidates = self._surname.get(key, [])
        if country:
            resolved = country_of(country)
            wanted = resolved.name if resolved else country
            iso = country.upper()
            candidates = [c for c in candidates if c.country.name == wanted or c.country.iso == iso]
        if title or year is not None:
            candidates = [c for c in candidates if c.holds(title, year)]
        return candidates


def _add(index: dict[str, list[Leader]], key: str, leader: Leader) -> None:
    bucket = index.setdefault(key, [])
    if leader not in bucket:
        bucket.append(leader)
