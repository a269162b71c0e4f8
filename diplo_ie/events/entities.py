"""In-document resolution of participant mentions to people.

LEADER mentions are clustered by name ("Putin" joins "Vladimir Putin": its words are a prefix or suffix of the
longer name's words, which covers both Western surnames and Chinese/Vietnamese family names, "ông Tập" ->
"Tập Cận Bình"). Titles linked by ``title_of`` give a person an office and country; a role phrase with no name
("người đồng cấp Nga", "nhà lãnh đạo Nga", "Thủ tướng Đức") is resolved to the person of the article with that
country (and office, when it names one), else it stays an unnamed participant with its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diplo_ie.countries import country_of
from diplo_ie.leaders import Gazetteer, Leader
from diplo_ie.schema import Participant, Relation, Span
from diplo_ie.titles import HEAD_TITLES, split_title, titles_set_off_after_names


@dataclass
class Entity:
    name: str | None
    title: str | None = None
    country: str | None = None
    wikidata: str | None = None
    mentions: list[Span] = field(default_factory=list)

    def informative(self) -> bool:
        """Whether this can be a participant: a name that is not a country's, or a role with an office or a
        country ("Thủ tướng Iraq"); a bare mention that resolves to nothing says nobody."""
        if self.name:
            return country_of(self.name) is None
        return self.title is not None or self.country is not None

    def aide(self, aide_office: re.Pattern[str]) -> bool:
        """Whether every office this person is given is a spokesperson's or an aide's (``aide_office``:
        "Trợ lý Tổng thống", "Cố vấn chính sách đối ngoại Nga"): such people usually report a call rather
        than take part."""
        roles = [m.text for m in self.mentions if m.label == "TITLE"] + [self.title or ""]
        roles = [r.strip() for r in roles if r.strip()]
        return bool(roles) and all(aide_office.match(r) for r in roles)

    def heads_a_state(self) -> bool:
        return self.title in HEAD_TITLES

    def participant(self) -> Participant:
        offsets = sorted({(m.start, m.end) for m in self.mentions})
        return Participant(self.name, self.title, self.country, offsets, self.wikidata)


def _words(name: str) -> list[str]:
    return name.casefold().split()


def _is_short_form(short: list[str], full: list[str]) -> bool:
    n = len(short)
    return 0 < n <= len(full) and (full[:n] == short or full[-n:] == short)


class EntityIndex:
    """The people of one document, and which mention refers to whom."""

    def __init__(
        self, text: str, spans: list[Span], relations: list[Relation], gazetteer: Gazetteer, year: int | None
    ):
        self._gazetteer = gazetteer
        self._year = year
        self._by_span: dict[str, Entity] = {}
        self._roles: dict[tuple[str | None, str | None], Entity] = {}
        self.entities: list[Entity] = []
        by_id = {s.id: s for s in spans}
        # Every gold name has a capital letter; tagged punctuation or lowercase words ("”-", "sai")
        # are no name.
        leaders = [s for s in spans if s.label == "LEADER" and any(c.isupper() for c in s.text)]
        self._cluster_leaders(_name_runs(leaders, text))
        # Whichever name the tagger linked such a title to, it is the name's before it.
        set_off = titles_set_off_after_names(text, [*leaders, *(s for s in spans if s.label == "TITLE")])
        for rel in relations:
            if rel.type == "title_of" and rel.head in by_id and rel.tail in self._by_span:
                owner = set_off[rel.head].id if rel.head in set_off else rel.tail
                self._attach_title(by_id[rel.head], self._by_span[owner or ""])
        for entity in self.entities:
            self._complete_from_gazetteer(entity)

    def _cluster_leaders(self, runs: list[tuple[str, list[Span]]]) -> None:
        names = sorted({name for name, _ in runs}, key=lambda n: (-len(n.split()), n))
        canonical: dict[str, Entity] = {}
        for name in names:
            full = next((c for c in canonical if _is_short_form(_words(name), _words(c))), None)
            if full is None:
                canonical[name] = Entity(name)
                self.entities.append(canonical[name])
            else:
                canonical[name] = canonical[full]
        for name, run in runs:
            entity = canonical[name]
            for span in run:
                entity.mentions.append(span)
                self._by_span[span.id or ""] = entity

    def _attach_title(self, title: Span, entity: Entity) -> None:
        office, country = _role(title.text)
        entity.title = entity.title or office
        entity.country = entity.country or country
        entity.mentions.append(title)
        self._by_span[title.id or ""] = entity

    def _complete_from_gazetteer(self, entity: Entity) -> None:
        known = self._known(entity)
        if known is not None:
            entity.country = entity.country or known.country.name
            entity.title = entity.title or _office_in(known, self._year)
            entity.wikidata = known.wikidata

    def _known(self, entity: Entity) -> Leader | None:
        if not entity.name:
            return None
        found = self._gazetteer.lookup(entity.name)
        if found is None and len(entity.name.split()) == 1:
            candidates = self._gazetteer.lookup_surname(entity.name, entity.country, None, self._year)
            found = candidates[0] if len(candidates) == 1 else None
        return found

    def resolve(self, span: Span) -> Entity:
        """The person a LEADER or TITLE mention refers to (an unnamed role entity if nobody matches)."""
        if span.id in self._by_span:
            return self._by_span[span.id]
        office, country = _role(span.text)
        entity = self._match_role(span, office, country)
        if entity is None:
            entity = self._roles.setdefault((office, country), Entity(None, office, country))
            if entity not in self.entities:
                self.entities.append(entity)
        entity.mentions.append(span)
        self._by_span[span.id or ""] = entity
        return entity

    def _match_role(self, span: Span, office: str | None, country: str | None) -> Entity | None:
        """The named person of the article with this country (and office, when given); with only an office
        ("Tổng thống", "Thủ tướng"), the named person holding it."""
        named = [e for e in self.entities if e.name]
        if country is not None:
            candidates = [e for e in named if e.country == country]
            if office is not None:
                candidates = [e for e in candidates if e.title in (None, office)] or candidates
        elif office is not None:
            candidates = [e for e in named if e.title == office]
        else:
            candidates = []
        if not candidates:
            return None
        return min(candidates, key=lambda e: min(abs(m.start - span.start) for m in e.mentions))


def _name_runs(leaders: list[Span], text: str) -> list[tuple[str, list[Span]]]:
    """LEADER spans that touch or are separated by spaces only form one name: the tagger sometimes splits
    "Mahmoud | Abbas" or "Đ. | Mét-vê-đép", which are one person."""
    runs: list[tuple[str, list[Span]]] = []
    for span in sorted(leaders, key=lambda s: s.start):
        joinable = runs and country_of(runs[-1][0]) is None and country_of(span.text.strip()) is None
        if joinable and text and not text[runs[-1][1][-1].end : span.start].strip(" "):
            run = runs[-1][1] + [span]
            runs[-1] = (_person_name(text[run[0].start : span.end]), run)
        else:
            runs.append((_person_name(span.text), [span]))
    return runs


def _person_name(mention: str) -> str:
    """A name without what the tagger sometimes takes in with it: the country before it ("Gru-di-a
    M.Xa-ca-svi-li") and the full stop after it ("Đ.Mét-vê-đép."; an initial keeps its dot: "G.")."""
    words = mention.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        if country_of(" ".join(words[:k])) is not None:
            words = words[k:]
            break
    name = " ".join(words)
    last = re.split(r"[\s.]", name.rstrip("."))[-1]
    return name[:-1] if name.endswith(".") and len(last) > 1 else name


def _role(phrase: str) -> tuple[str | None, str | None]:
    parsed = split_title(phrase)
    return (parsed.title, parsed.country) if parsed else (None, None)


def _office_in(leader: Leader, year: int | None) -> str | None:
    """The office the leader held in ``year`` (their latest one when the year is unknown)."""
    offices = [o for o in leader.offices if year is None or o.covers(year)] or list(leader.offices)
    return offices[-1].title if offices else None
