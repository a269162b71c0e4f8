"""Country names, aliases and metonyms as Vietnamese media write them, resolved to (name, ISO alpha-2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from diplo_ie.normalize.text import fold, strip_diacritics


@dataclass(frozen=True)
class Country:
    name: str  # canonical Vietnamese name: "Mỹ", "Nga", "A-rập Xê-út"
    iso: str | None  # ISO 3166-1 alpha-2; None for organisations without one


COUNTRIES_FILE = "data/countries.tsv"


@cache
def _table() -> tuple[tuple[str, str | None, tuple[str, ...]], ...]:
    """(canonical name, ISO code or None, other forms) per line of ``diplo_ie/data/countries.tsv``."""
    text = resources.files("diplo_ie").joinpath(COUNTRIES_FILE).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, iso, aliases = line.split("\t")
            rows.append((name, None if iso == "-" else iso, tuple(a for a in aliases.split("|") if a)))
    return tuple(rows)


# "người Mỹ", "phía Nga", "nước Pháp" name the country too; these words are dropped before lookup.
_PREFIX = re.compile(r"^(?:người|phía|nước|chính phủ|chính quyền)\s+", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


@cache
def _index() -> tuple[dict[str, Country], dict[str, Country]]:
    exact: dict[str, Country] = {}
    loose: dict[str, Country] = {}
    for name, iso, aliases in _table():
        country = Country(name, iso)
        for form in (name, *aliases):
            exact.setdefault(_key(form), country)
            loose.setdefault(strip_diacritics(_key(form)), country)
    return exact, loose


def country_of(text: str) -> Country | None:
    """Resolve a country name, alias, capital or demonym phrase ("người Mỹ") to its canonical form."""
    if not isinstance(text, str):
        return None
    key = _key(_PREFIX.sub("", text.strip()))
    exact, loose = _index()
    # Exact (diacritics kept) first: "Úc" and "Uc", "Ý" must not collide with unrelated ASCII forms. Only a
    # form written without diacritics ("Phap", "Trieu Tien") is looked up loosely: a word that has them is
    # not a misspelt country ("Bí thư" holds no Bỉ).
    bare = strip_diacritics(key)
    return exact.get(key) or (loose.get(bare) if bare == key else None)


def country_names() -> list[str]:
    """Every surface form known, longest first (for building matchers)."""
    forms = {form for name, _iso, aliases in _table() for form in (name, *aliases)}
    return sorted(forms, key=len, reverse=True)
