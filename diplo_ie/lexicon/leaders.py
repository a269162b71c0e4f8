"""Leader gazetteer: heads of state/government, foreign and defence ministers, heads of organisations.

Data: ``diplo_ie/data/leaders.jsonl``, one person a line, with the fields

- ``name``: canonical name as Vietnamese media write it; ``variants``: the other forms they use (Latin
  spellings, Vietnamese transliterations like "Pu-tin", Sino-Vietnamese readings like "Tập Cận Bình");
- ``country`` (canonical Vietnamese name, see ``diplo_ie.lexicon.countries``) and ``iso`` (ISO 3166-1
  alpha-2);
- ``offices``: one object per term, ``title`` as Vietnamese media write the office, ``from`` and ``to`` as
  "YYYY-MM-DD", "YYYY-MM" or a bare year ``YYYY`` (older terms), ``to`` null while in office, and ``source``:
  the pages the dates were checked against (URLs), or "legacy ..." for terms carried over from the year-only
  edition unchecked (a year bound after 2015 is marked "not re-checked"). ``to`` is the day the term ended,
  which is its successor's first day in office; a month or year covers the whole month or year. An acting
  holder's title starts with "Quyền". Of the offices that cover a date, a head of state's or government's is
  the one reported, else the last one listed, so a rotating chair held beside a national office ("Chủ tịch
  ASEAN" of the chair country's leader) comes first;
- ``wikidata``: the person's Wikidata QID where known, else null.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from diplo_ie.lexicon.countries import Country, country_of
from diplo_ie.lexicon.titles import canonical_title
from diplo_ie.normalize.text import fold, strip_diacritics

_HONORIFIC = re.compile(r"^(?:ông|bà|ngài|quý bà|cố)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Office:
    title: str
    start: datetime.date  # first day in office
    end: datetime.date | None  # first day out of office (the successor's first day); None: still in office
    source: str | None = None

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Office:
        end = _parse_date(rec["to"], last=True) if rec["to"] is not None else None
        return cls(rec["title"], _parse_date(rec["from"], last=False), end, rec.get("source"))

    def covers(self, year: int) -> bool:
        """Whether the term overlaps ``year``."""
        last_year = (self.end - _ONE_DAY).year if self.end is not None else year
        return self.start.year <= year <= last_year

    def covers_date(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


_ONE_DAY = datetime.timedelta(days=1)


def _parse_date(value: int | str, last: bool) -> datetime.date:
    """A term bound: 2024, "2024-08" or "2024-08-03". A year or month as an end covers the whole of it, so
    ``last`` makes it the day after."""
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else 1
    if not last:
        return datetime.date(year, month, 1)
    if len(parts) == 1 or month == 12:
        return datetime.date(year + 1, 1, 1)
    return datetime.date(year, month + 1, 1)


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
        offices = tuple(Office.from_record(o) for o in rec["offices"])
        variants = tuple(rec.get("variants", ()))
        country = Country(rec["country"], rec.get("iso"))
        surnames = _surname_keys(rec["name"], variants, country.iso)
        return cls(rec["name"], variants, country, offices, rec.get("wikidata"), surnames)

    def holds(
        self, title: str | None = None, year: int | None = None, on: datetime.date | None = None
    ) -> bool:
        """Whether some office matches ``title`` (canonical or prefix: "Tổng Thư ký") in ``year`` and on
        ``on``."""
        wanted = _office_title(title) if title else None
        for office in self.offices:
            office_title = _office_title(office.title)
            if wanted and not (office_title == wanted or fold(office_title).startswith(fold(wanted))):
                continue
            if year is not None and not office.covers(year):
                continue
            if on is not None and not office.covers_date(on):
                continue
            return True
        return False


_ACTING = re.compile(r"^quyền\s+", re.IGNORECASE)


def _office_title(title: str) -> str:
    """Canonical office title; an acting holder ("Quyền Chủ tịch nước") holds the office itself."""
    title = _ACTING.sub("", title.strip())
    return canonical_title(title) or title


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
            for form in written_forms(leader):
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
        candidates = _of_country(self._surname.get(key, []), country)
        if title or year is not None:
            candidates = [c for c in candidates if c.holds(title, year)]
        return candidates

    def holders(self, title: str, country: str | None, on: datetime.date) -> list[Leader]:
        """The people who held ``title`` (as ``Leader.holds`` matches it) in ``country`` on ``on``: "Thủ tướng
        Nhật Bản" on the article's date. ``country`` None for offices of organisations ("Tổng Thư ký NATO").
        Usually one; more where the data cannot tell a handover's day."""
        return [c for c in _of_country(self.leaders, country) if c.holds(title, on=on)]


# Vietnamese media write Japanese names in either order: "Shinzo Abe" and "Abe Shinzo".
_EITHER_ORDER = {"JP"}


def written_forms(leader: Leader) -> list[str]:
    forms = [leader.name, *leader.variants]
    if leader.country.iso in _EITHER_ORDER:
        forms += [" ".join(reversed(f.split())) for f in forms if len(f.split()) == 2]
    return forms


def _of_country(leaders: list[Leader], country: str | None) -> list[Leader]:
    """``leaders`` of ``country`` (a name, alias or ISO code); all of them without one."""
    if not country:
        return leaders
    resolved = country_of(country)
    wanted = resolved.name if resolved else country
    iso = country.upper()
    return [c for c in leaders if c.country.name == wanted or c.country.iso == iso]


def _add(index: dict[str, list[Leader]], key: str, leader: Leader) -> None:
    bucket = index.setdefault(key, [])
    if leader not in bucket:
        bucket.append(leader)
