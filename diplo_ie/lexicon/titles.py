"""Title lexicon: split role phrases like "Tổng thống Nga" into (title, country)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from diplo_ie.core.schema import Span
from diplo_ie.lexicon.countries import Country, country_names, country_of
from diplo_ie.normalize.text import fold, same_tones

TITLES_FILE = "data/titles.tsv"


@dataclass(frozen=True)
class _Lexicon:
    """The rows of diplo_ie/data/titles.tsv, by kind (the file's header says what each kind is)."""

    synonyms: dict[str, str]
    heads: frozenset[str]
    roles: tuple[str, ...]
    domestic: dict[str, str]  # folded institution -> country, local units included
    local: frozenset[str]  # folded units of local administration
    seats: dict[str, tuple[str, str]]  # folded seat of power -> (office, country)
    seat_holders: tuple[str, ...]
    elect: dict[str, str]  # canonical office-elect -> the office it leads to


def _read_titles() -> _Lexicon:
    synonyms: dict[str, str] = {}
    heads: set[str] = set()
    roles: list[str] = []
    domestic: dict[str, str] = {}
    local: set[str] = set()
    seats: dict[str, tuple[str, str]] = {}
    holders: list[str] = []
    elect: dict[str, str] = {}
    text = resources.files("diplo_ie").joinpath(TITLES_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, phrase, *rest = line.split("\t")
        if kind == "title":
            synonyms[phrase] = rest[0]
        elif kind == "head":
            heads.add(phrase)
        elif kind in ("domestic", "local"):
            domestic[fold(phrase)] = rest[0]
            if kind == "local":
                local.add(fold(phrase))
        elif kind == "seat":
            seats[fold(phrase)] = (rest[0], rest[1])
        elif kind == "seat_holder":
            holders.append(fold(phrase))
        elif kind == "elect":
            elect[phrase] = rest[0]
        else:
            roles.append(phrase)
    return _Lexicon(
        synonyms, frozenset(heads), tuple(roles), domestic, frozenset(local), seats, tuple(holders), elect
    )


_LEXICON = _read_titles()
# Office titles -> canonical form; offices of heads of state or government; role words that carry no office
# ("người đồng cấp Pháp" -> (None, "Pháp")). From diplo_ie/data/titles.tsv.
TITLE_SYNONYMS, HEAD_TITLES, ROLE_WORDS = _LEXICON.synonyms, _LEXICON.heads, _LEXICON.roles
# "Tổng thống đắc cử" -> "Tổng thống": an office-elect is held by whoever is about to hold that office.
ELECT_OFFICES = _LEXICON.elect


# "Yuri Ushakov - Trợ lý chính sách đối ngoại của Tổng thống Nga Vladimir Putin": a title set off after a name
# and ending in a possessive describes that name; the name after it is the possessor's.
_APPOSITION = re.compile(r"\s*[-–—,]\s*")


def titles_set_off_after_names(text: str, spans: Iterable[Span]) -> dict[str, Span]:
    """TITLE id -> the LEADER right before it, for titles set off after a name with a possessive: those are
    that name's, not the possessor's named after them."""
    ordered = sorted(spans, key=lambda s: s.start)
    return {
        title.id or "": name
        for name, title in itertools.pairwise(ordered)
        if name.label == "LEADER"
        and title.label == "TITLE"
        and _APPOSITION.fullmatch(text[name.end : title.start])
        and " của " in title.text
    }


@dataclass(frozen=True)
class RoleParse:
    title: str | None  # canonical title ("Ngoại trưởng" for "Bộ trưởng Ngoại giao")
    country: str | None  # canonical Vietnamese country name
    iso: str | None = None


def canonical_title(title: str) -> str | None:
    """Canonical form of an office title, case-insensitively; None when unknown."""
    return _titles().get(" ".join(fold(title).split()))


@cache
def _titles() -> dict[str, str]:
    return {fold(k): v for k, v in TITLE_SYNONYMS.items()}


@cache
def _pattern() -> re.Pattern[str]:
    heads = sorted([*TITLE_SYNONYMS, *ROLE_WORDS], key=len, reverse=True)
    countries = [re.escape(fold(c)) for c in country_names()]
    # "tân/cựu/đương kim Thủ tướng", "Tổng thống đắc cử Mỹ": modifiers around the office keep its meaning.
    return re.compile(
        r"(?:(?:tân|cựu|nữ|đương kim|quyền)\s+)?"
        r"(?P<head>" + "|".join(re.escape(fold(h)) for h in heads) + r")"
        r"(?:\s+(?:mới đắc cử|đắc cử|mới))?"
        r"(?:\s+(?P<country>" + "|".join(countries) + r"))?(?!\w)"
    )


@cache
def _country_pattern() -> re.Pattern[str]:
    # Case kept: a country is capitalised ("tư pháp" holds no Pháp). Searched in same_tones(text).
    countries = "|".join(re.escape(same_tones(c)) for c in country_names())
    return re.compile(r"(?<!\w)(?:(?P<aside>tại|ở|về)\s+)?(?P<country>" + countries + r")(?!\w)")


def _last_country(rest: str) -> re.Match[str] | None:
    """The country an office the lexicon does not know in full belongs to: the last one named after it
    ("Bộ trưởng Tài chính Mỹ", "Trợ lý chính sách đối ngoại của Tổng thống Nga", "đặc phái viên về Bán đảo
    Triều Tiên của Bộ Ngoại giao Hàn Quốc"), not a place of posting or a topic ("Đại sứ Mỹ tại Nga",
    "Đặc phái viên Mỹ về Triều Tiên")."""
    named = [m for m in _country_pattern().finditer(same_tones(rest)) if not m["aside"]]
    return named[-1] if named else None


def countries_named(text: str, end: int) -> list[tuple[int, str]]:
    """Where ``text[:end]`` names a country as a country (its canonical name), in text order: not a place
    ("văn phòng ở Doha") nor an organisation ("ASEAN")."""
    return [
        (m.start(), country.name)
        for m in _country_pattern().finditer(same_tones(text[:end]))
        if not m["aside"] and (country := country_of(m["country"])) is not None and country.iso
    ]


def _later_country(rest: str) -> Country | None:
    found = _last_country(rest)
    return country_of(found["country"]) if found else None


def _domestic_country(phrase: str, words_before: int = 0) -> Country | None:
    """The country of an office of an institution named without one: Vietnamese news names its own
    government and administration so ("Thủ tướng Chính phủ", "Tổng Thanh tra Chính phủ", "Bí thư Huyện uỷ",
    "Chủ tịch UBND tỉnh Quảng Nam", where the institution comes before the place). ``words_before``: how many
    words must come before the institution ("Chính phủ" alone is nobody)."""
    words = fold(phrase).split()
    for start in range(words_before, len(words)):
        for size in range(min(len(words) - start, 4), 0, -1):
            if (country := _LEXICON.domestic.get(" ".join(words[start : start + size]))) is not None:
                return country_of(country)
    return None


def names_local_unit(phrase: str) -> bool:
    """Whether the phrase names a unit of local administration after its first word ("lãnh đạo huyện Văn
    Giang", "Chủ tịch UBND tỉnh"), whose offices and leadership are that unit's."""
    words = fold(phrase).split()
    return any(
        " ".join(words[start : start + size]) in _LEXICON.local
        for start in range(1, len(words))
        for size in range(1, min(len(words) - start, 4) + 1)
    )


def domestic_office(phrase: str) -> tuple[str | None, str | None]:
    """(office as written, country) of an office the lexicon does not know, held in an institution that names
    no country ("Bí thư Huyện uỷ" -> ("Bí thư Huyện uỷ", "Việt Nam")); (None, None) otherwise."""
    domestic = _domestic_country(phrase, words_before=1)
    return (phrase.strip(" ,-–"), domestic.name) if domestic else (None, None)


def read_office(phrase: str) -> tuple[str | None, str | None]:
    """(office, country) of a title phrase: the lexicon's canonical reading, else, for an office it does not
    know, the words before the country the phrase names and that country ("Đại diện Thương mại Mỹ" ->
    ("Đại diện Thương mại", "Mỹ")); (None, None) when neither."""
    parsed = split_title(phrase)
    if parsed is not None:
        return parsed.title, parsed.country
    found = _last_country(phrase)
    country = country_of(found["country"]) if found else None
    if found is None or country is None:
        return domestic_office(phrase)
    return phrase[: found.start()].strip(" ,-–") or None, country.name


@cache
def _seat_pattern() -> re.Pattern[str]:
    holders = "|".join(re.escape(h) for h in sorted(_LEXICON.seat_holders, key=len, reverse=True))
    seats = "|".join(re.escape(s) for s in sorted(_LEXICON.seats, key=len, reverse=True))
    return re.compile(r"(?:tân\s+)?(?:" + holders + r")(?:\s+mới)?(?:\s+của)?\s+(?P<seat>" + seats + r")")


def split_title(phrase: str) -> RoleParse | None:
    """Split "Tổng thống Nga" into RoleParse("Tổng thống", "Nga", "RU"); None without a title or role word.
    The holder of a seat of power is its office ("ông chủ Nhà Trắng": the President of the United States)."""
    if not isinstance(phrase, str):
        return None
    words = phrase.split()
    folded = fold(" ".join(words))
    if seat := _seat_pattern().fullmatch(folded):
        office, name = _LEXICON.seats[seat["seat"]]
        country = country_of(name)
        return RoleParse(office, country.name if country else name, country.iso if country else None)
    m = _pattern().match(folded)
    if not m:
        return None
    head = m["head"]
    title = _titles().get(head)  # role words have no title
    rest = " ".join(words[len(m[0].split()) :])
    country = country_of(m["country"]) if m["country"] else _later_country(rest) or _domestic_country(rest)
    return RoleParse(title, country.name if country else None, country.iso if country else None)
