"""In-document resolution of participant mentions to people.

LEADER mentions are clustered by name ("Putin" joins "Vladimir Putin": its words are a prefix or suffix of the
longer name's words, which covers both Western surnames and Chinese/Vietnamese family names, "ông Tập" ->
"Tập Cận Bình"; initials and Arabic articles aside, "Bu-sơ" joins "G.Bu-sơ" and "Sisi" joins "Abdel Fattah
al-Sisi"; one word inside a long name joins it, "Lula" -> "Luiz Inácio Lula da Silva"; a short form of two
people's names, "Kim", joins the one named last before it). Titles linked by ``title_of`` give a person an
office and country (an office the lexicon does not know too, as written), and so do the other titles of a
chain of offices before one name ("Thủ tướng, Chủ tịch Đảng Nhân dân Campuchia Hun Sen"), each of which the
person holds. A role phrase with no name ("người đồng cấp Nga", "Thủ tướng Đức") is resolved to the person of
the article with that country and office, never to someone the article calls former or late, and, among
several, to whoever held the office on the article's date; else it stays an unnamed participant with its
role. A peer ("người đồng cấp Israel") has the office of the person named before it in its sentence (a head of
state or government's peer heads one too).
"""

from __future__ import annotations

import collections
import datetime as dt
import difflib
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from diplo_ie.core.schema import Participant, Relation, Span
from diplo_ie.events.cues import Cues
from diplo_ie.lexicon.countries import country_of
from diplo_ie.lexicon.leaders import Gazetteer, Leader, written_forms
from diplo_ie.lexicon.titles import (
    ELECT_OFFICES,
    HEAD_TITLES,
    countries_named,
    domestic_office,
    names_local_unit,
    read_office,
    split_title,
    titles_set_off_after_names,
)
from diplo_ie.normalize.text import fold, strip_diacritics
from diplo_ie.text.sentences import sentence_index

# The resolution rules that can be switched off (``assemble(..., skip=...)``), to measure what each does.
ENTITY_RULES = (
    "other_holder",
    "name_variants",
    "name_given_first",
    "misspellings",
    "patronyms",
    "name_suffixes",
    "full_names",
    "organisation_offices",
    "stacked_titles",
    "office_holders",
    "institutions",
    "peer_office",
    "peer_any_office",
    "peer_of_caller",
    "general_offices",
    "office_countries",
    "domestic_offices",
    "local_leadership",
    "office_given",
    "indefinite",
    "office_of_name",
    "office_elect",
    "elect_as_office",
    "country_anaphor",
)
# Initials ("G.", "V.") and the Arabic article ("al-", "el-") do not tell two forms of a name apart.
_INITIAL = re.compile(r"(?:^|(?<=\s))\w{1,2}\.\s*")
_ARTICLE = re.compile(r"^(?:al|el|ad|as)-", re.IGNORECASE)
_HYPHENS = re.compile(r"[-‐‑–]+")
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")
_ENDS_IN_INITIAL = re.compile(r"(?:^|[\s.])\w\.$")
# How alike two foreign names' letters must be for one to be the other misspelt ("Tayyep" for "Tayyip").
_NEAR_SPELLING = 0.9
_VIETNAMESE = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@dataclass
class Entity:
    name: str | None
    title: str | None = None
    country: str | None = None
    wikidata: str | None = None
    mentions: list[Span] = field(default_factory=list)
    former: bool = False  # the article calls them former or late ("cựu", "nguyên", "cố")
    # Every office the article gives them ("Hoàng Thái tử, Thủ tướng"); ``title`` is the one reported.
    offices: list[str] = field(default_factory=list)
    # A group of one country's officials ("các quan chức thương mại Mỹ"): one side of a call.
    group: bool = False

    def informative(self, institution: re.Pattern[str] | None = None) -> bool:
        """Whether this can be a participant: a person's name (not a country's, nor, with ``institution``, a
        party's, company's or office's), or a role with an office or a country ("Thủ tướng Iraq"); a bare
        mention that resolves to nothing says nobody."""
        if self.name:
            return country_of(self.name) is None and not (institution and institution.match(self.name))
        return self.title is not None or self.country is not None

    def introduced(self) -> bool:
        """Whether the article gives this person an office that the title lexicon reads, or a country, or the
        gazetteer knows them; a role without a name ("Thủ tướng Iraq") is. A TITLE span that names neither an
        office the lexicon reads nor a country does not count: counting it kept more spurious pairs on the
        training articles, gold and predicted."""
        return not self.name or bool(self.title or self.country or self.wikidata)

    def presented(self) -> bool:
        """Whether the article presents them as someone in public life: :meth:`introduced`, or given any
        title at all ("Thống đốc bang Texas", "thượng nghị sĩ Cộng hòa bang Utah"), which the title lexicon
        need not read."""
        return self.introduced() or any(m.label == "TITLE" for m in self.mentions)

    def aide(self, aide_office: re.Pattern[str]) -> bool:
        """Whether every office this person is given is a spokesperson's or an aide's (``aide_office``:
        "Trợ lý Tổng thống", "Cố vấn chính sách đối ngoại Nga"): such people usually report a call rather
        than take part."""
        roles = [m.text for m in self.mentions if m.label == "TITLE"] + [self.title or ""]
        roles = [r.strip() for r in roles if r.strip()]
        return bool(roles) and all(aide_office.match(r) for r in roles)

    def holds(self, office: str | None) -> bool:
        """Whether the article gives them no office, or gives them ``office`` among theirs."""
        return self.title is None or office == self.title or office in self.offices

    def holds_a_kind_of(self, office: str) -> bool:
        """Whether one of their offices is a kind of ``office`` ("Bộ trưởng Quốc phòng" of "Bộ trưởng"); an
        office-elect ("Tổng thống đắc cử") is none."""
        return any(
            o.startswith(office + " ") and o not in ELECT_OFFICES for o in [self.title or "", *self.offices]
        )

    def heads_a_state(self) -> bool:
        return any(o in HEAD_TITLES for o in [self.title, *self.offices])

    def participant(self) -> Participant:
        offsets = sorted({(m.start, m.end) for m in self.mentions})
        return Participant(self.name, self.title, self.country, offsets, self.wikidata)


def _first_named(entity: Entity) -> int:
    return min(m.start for m in entity.mentions if m.label == "LEADER")


def _latin_fold(name: str) -> str:
    """Letters with marks Vietnamese does not use lose them ("Erdoğan" = "Erdogan"); Vietnamese ones keep
    theirs ("Lê" is not "Le")."""
    return "".join(c if c in _VIETNAMESE or c.isascii() else strip_diacritics(c) for c in name)


def name_words(name: str) -> list[str]:
    """The words that identify a name: casefolded, without initials and Arabic articles, and hyphenated
    syllables apart ("Yoon Suk-yeol" = "Yoon Suk Yeol", "Moon Jae - in" = "Moon Jae-in")."""
    words = _INITIAL.sub(" ", _latin_fold(name.casefold()).replace(".", ". ")).split()
    parts = [part for w in words for part in _HYPHENS.split(_ARTICLE.sub("", w)) if part]
    return parts or name.casefold().split()


def _misspelt(name: list[str], other: list[str]) -> bool:
    """Whether ``name`` is ``other`` (or, one word, a word of ``other``) misspelt, as news copy does: its
    words in another order ("Thái Văn Anh" for "Thái Anh Văn", "Sanae Takaichi" for "Takaichi Sanae"), two
    letters swapped in a word of five or more ("Marci" for "Macri"), or, for a foreign name of as many words,
    a letter or two off ("Recep Tayyep Erdogan"). Vietnamese names differ by a tone ("Thành", "Thanh"): no
    near spelling of theirs is one."""
    if sorted(name) == sorted(other):
        return True
    if len(name) == 1:
        return any(len(w) >= 5 and w != name[0] and sorted(w) == sorted(name[0]) for w in other)
    foreign = not any(c in _VIETNAMESE for w in (*name, *other) for c in w)
    letters = "".join(name), "".join(other)
    near = difflib.SequenceMatcher(None, *letters).ratio() >= _NEAR_SPELLING
    return foreign and len(name) == len(other) and near


def is_short_form(
    short: list[str], full: list[str], inner: bool = True, patronymic: frozenset[str] = frozenset()
) -> bool:
    """Whether ``short`` names the same person as ``full``: its words start or end ``full``, or (``inner``) it
    is one word of a name of three or more ("Lula" of "Luiz Inácio Lula da Silva"); never the one word after a
    ``patronymic`` particle, the father's name ("Salman" of "Mohammed bin Salman")."""
    n = len(short)
    if not 0 < n <= len(full):
        return False
    if n == 1 and any(a in patronymic and b == short[0] for a, b in itertools.pairwise(full)):
        return False
    inner_word = inner and n == 1 and len(full) >= 3 and short[0] in full
    return full[:n] == short or full[-n:] == short or inner_word


def stacked_titles(text: str, spans: list[Span], joiner: re.Pattern[str]) -> dict[str, str]:
    """TITLE id -> the id of the last TITLE of its chain, for chains of offices joined by commas or "kiêm"
    before one name: "Thủ tướng, Chủ tịch Đảng Nhân dân Campuchia Hun Sen" is one person's two offices. A
    comma between two titles of different countries separates two people instead."""
    ordered = sorted(spans, key=lambda s: s.start)
    chains: dict[str, str] = {}
    for i in range(len(ordered) - 2, -1, -1):
        first, second = ordered[i], ordered[i + 1]
        if first.label != "TITLE" or second.label != "TITLE":
            continue
        gap = text[first.end : second.start]
        if not joiner.fullmatch(gap) or "\n" in gap:
            continue
        a, b = split_title(first.text), split_title(second.text)
        if gap.strip() == "," and a and b and a.country and b.country and a.country != b.country:
            continue
        chains[first.id or ""] = chains.get(second.id or "", second.id or "")
    return chains


class EntityIndex:
    """The people of one document, and which mention refers to whom."""

    def __init__(
        self,
        text: str,
        spans: list[Span],
        relations: list[Relation],
        gazetteer: Gazetteer,
        anchor: dt.date | None,
        cues: Cues,
        sentences: list[tuple[int, int]],
        skip: Collection[str] = (),
    ):
        self._skip = frozenset(skip)
        self._text = text
        self._sentences = sentences
        self._gazetteer = gazetteer
        self._anchor = anchor
        self._cues = cues
        self._by_span: dict[str, Entity] = {}
        self._roles: dict[tuple[str | None, str | None, bool], Entity] = {}
        self._role_mentions: set[str] = set()  # spans resolved as role phrases, not as a name or its title
        # span id -> the spans linked with it as participants of one call mention
        by_mention: dict[str, set[str]] = {}
        for rel in relations:
            if rel.type == "participant":
                by_mention.setdefault(rel.head, set()).add(rel.tail)
        self._co_participants: dict[str, set[str]] = {}
        for tails in by_mention.values():
            for tail in tails:
                self._co_participants.setdefault(tail, set()).update(tails - {tail})
        self.entities: list[Entity] = []
        by_id = {s.id: s for s in spans}
        # Every gold name has a capital letter; tagged punctuation or lowercase words ("”-", "sai")
        # are no name.
        leaders = [s for s in spans if s.label == "LEADER" and any(c.isupper() for c in s.text)]
        suffixes = cues.name_suffix if "name_suffixes" not in self._skip else frozenset()
        self._cluster_leaders(_name_runs(leaders, text, "name_variants" not in self._skip, suffixes))
        if "name_variants" not in self._skip:
            self._join_glosses(leaders, text)
        titles = [s for s in spans if s.label == "TITLE"]
        # Whichever name the tagger linked such a title to, it is the name's before it.
        set_off = titles_set_off_after_names(text, [*leaders, *titles])
        for rel in relations:
            if rel.type == "title_of" and rel.head in by_id and rel.tail in self._by_span:
                owner = set_off[rel.head].id if rel.head in set_off else rel.tail
                self._attach_title(by_id[rel.head], self._by_span[owner or ""])
        if "stacked_titles" not in self._skip:
            self._attach_stacked_titles(text, leaders, titles)
        for entity in self.entities:
            entity.former = "office_holders" not in self._skip and any(
                cues.former.match(m.text) for m in entity.mentions if m.label == "TITLE"
            )
            self._complete_from_gazetteer(entity)

    def _attach_stacked_titles(self, text: str, leaders: list[Span], titles: list[Span]) -> None:
        """The earlier titles of a chain go to the person of its last title, or of the name right after it."""
        by_id = {s.id: s for s in titles}
        for first, last in stacked_titles(text, [*leaders, *titles], self._cues.title_joiner).items():
            owner = self._by_span.get(last)
            if owner is None and (name := _name_after(by_id[last], leaders, text)) is not None:
                owner = self._by_span.get(name.id or "")
            if owner is None:
                continue
            if last not in self._by_span:
                self._attach_title(by_id[last], owner)
            if self._by_span.get(first) is not owner:
                self._detach(first)
                self._attach_title(by_id[first], owner)

    def _detach(self, span_id: str) -> None:
        entity = self._by_span.pop(span_id, None)
        if entity is not None:
            entity.mentions = [m for m in entity.mentions if m.id != span_id]

    def _cluster_leaders(self, runs: list[tuple[str, list[Span]]]) -> None:
        """One entity per full name; a short form joins its full name, and one that several names share
        ("Kim" of "Kim Jong-un" and "Kim Eui-kyeom") joins, at each mention, the one named last before it
        (the first after it when none is)."""
        variants = "name_variants" not in self._skip
        words = name_words if variants else (lambda n: n.casefold().split())
        patronymic = self._cues.patronymic if "patronyms" not in self._skip else frozenset()
        names = sorted({name for name, _ in runs}, key=lambda n: (-len(words(n)), -len(n), n))
        canonical: dict[str, list[Entity]] = {}
        times_named = collections.Counter(name for name, _ in runs)

        def _support(full: str) -> tuple[bool, int, int]:
            shorts = [n for n in times_named if n != full and is_short_form(words(n), words(full), False)]
            known = self._gazetteer.lookup(full) is not None
            return known, sum(times_named[n] for n in shorts), times_named[full]

        for name in names:
            fulls = [c for c in canonical if is_short_form(words(name), words(c), variants, patronymic)]
            people: list[Entity] = []
            for entity in (e for c in fulls for e in canonical[c]):
                if not any(entity is p for p in people):
                    people.append(entity)
            if not people and "misspellings" not in self._skip:
                people = next((canonical[c][:1] for c in canonical if _misspelt(words(name), words(c))), [])
                # Of two spellings of a full name, the one the gazetteer knows, else the one its short forms
                # spell too, else the one written more often, is the name ("Donald Trump", once "Doanld").
                spelt = (people[0].name or "") if people else ""
                if people and len(words(name)) == len(words(spelt)) and _support(name) > _support(spelt):
                    people[0].name = name
            if not people:
                people = [Entity(name)]
                self.entities.append(people[0])
            canonical[name] = people if variants and not _spellings_of_one(people) else people[:1]
        named_at: dict[int, list[int]] = {}
        for name, run in runs:
            if len(canonical[name]) == 1:
                named_at.setdefault(id(canonical[name][0]), []).append(run[0].start)
        for name, run in runs:
            entity = min(canonical[name], key=lambda e: _distance(named_at.get(id(e), []), run[0].start))
            for span in run:
                entity.mentions.append(span)
                self._by_span[span.id or ""] = entity

    def _join_glosses(self, leaders: list[Span], text: str) -> None:
        """A name glossed in brackets right after another is the same person: "Đô-nan Trăm (Donald Trump)",
        the transliteration of wire copy followed by the original spelling, or "ông Abu Mazen (Abbas)", a
        byname glossed with the name the article introduced the person by, which stays their name."""
        ordered = sorted(leaders, key=lambda s: s.start)
        for name, gloss in itertools.pairwise(ordered):
            if text[name.end : gloss.start] != " (" or text[gloss.end : gloss.end + 1] != ")":
                continue
            person, alias = self._by_span.get(name.id or ""), self._by_span.get(gloss.id or "")
            if person is None or alias is None or person is alias:
                continue
            if "name_given_first" not in self._skip and _first_named(alias) < _first_named(person):
                person, alias = alias, person
            for mention in alias.mentions:
                person.mentions.append(mention)
                self._by_span[mention.id or ""] = person
            self.entities.remove(alias)

    def _attach_title(self, title: Span, entity: Entity) -> None:
        """Give the person the title's office and country, also for an office the lexicon does not know
        ("Đại diện Thương mại Mỹ", "Tư lệnh Bộ chỉ huy Thái Bình Dương Mỹ"): that office, as written, keeps a
        role phrase of another office ("Tổng thống Mỹ") from resolving to them."""
        office, country = (
            read_office(title.text) if "office_countries" not in self._skip else _role(title.text)
        )
        entity.title = entity.title or office
        if office is not None and office not in entity.offices:
            entity.offices.append(office)
        entity.country = entity.country or country
        entity.mentions.append(title)
        self._by_span[title.id or ""] = entity

    def _complete_from_gazetteer(self, entity: Entity) -> None:
        known = self._known(entity)
        if known is not None:
            entity.country = entity.country or known.country.name
            entity.title = entity.title or _office_on(known, self._anchor)
            entity.wikidata = known.wikidata
            if "full_names" not in self._skip:
                entity.name = self._full_name(entity.name or "", known)

    def _full_name(self, name: str, known: Leader) -> str:
        """The fullest form of the known person's name that the article writes, of which ``name`` is a short
        form: the tagger may take only "Sandu" of "Tổng thống Moldova Maia Sandu". Forms with a title or
        rank ("Quốc vương Abdullah II", "Thống tướng Min Aung Hlaing") are the gazetteer's, not names."""
        short = name_words(name)
        names = [
            f for f in written_forms(known) if split_title(f) is None and not f.endswith(" " + known.name)
        ]
        fuller = [
            f
            for f in names
            if len(words := name_words(f)) > len(short) and is_short_form(short, words, False)
        ]
        found = [m[0] for f in fuller for m in re.finditer(r"(?<!\w)" + re.escape(f) + r"(?!\w)", self._text)]
        return max([name, *found], key=len)

    def _known(self, entity: Entity) -> Leader | None:
        if not entity.name:
            return None
        found = self._gazetteer.lookup(entity.name)
        if found is None and len(entity.name.split()) == 1:
            year = self._anchor.year if self._anchor else None
            candidates = self._gazetteer.lookup_surname(entity.name, entity.country, None, year)
            if len(candidates) > 1 and entity.title and "office_of_name" not in self._skip:
                # "Vua Salman": of the people the gazetteer calls Salman, the one who is a king.
                candidates = [c for c in candidates if c.holds(entity.title, year)]
            found = candidates[0] if len(candidates) == 1 else None
        return found

    def resolve(self, span: Span) -> Entity:
        """The person a LEADER or TITLE mention refers to (an unnamed role entity if nobody matches)."""
        if span.id in self._by_span:
            return self._by_span[span.id]
        office, country = _role(span.text)
        if office is None and country is None and "domestic_offices" not in self._skip:
            # An unnamed local official ("Bí thư Huyện uỷ") is a participant with that office, as written.
            office, country = domestic_office(span.text)
        if (
            country is None
            and "country_anaphor" not in self._skip
            and self._cues.country_anaphor.search(span.text)
        ):
            country = self._antecedent_country(span)
        if office is None and "local_leadership" not in self._skip and names_local_unit(span.text):
            # "lãnh đạo huyện Văn Giang" is the district's leadership, not whoever leads the country.
            entity = self.unnamed(None, country)
        else:
            entity = self.resolve_role(office, country, span)
        entity.mentions.append(span)
        self._by_span[span.id or ""] = entity
        self._role_mentions.add(span.id or "")
        return entity

    def resolve_together(self, mention: Span, spans: list[Span]) -> list[Entity]:
        """The people of the participant mentions ``spans`` of one call ``mention``: a bare office that is the
        mention's subject and resolves to someone named after it is the holder of that office other than
        them ("Thủ tướng điện đàm với Thủ tướng Thái Lan Srettha Thavisin": the first office is not
        Srettha's). A role elsewhere, or one with a country, rather names again a person named before ("Ngoại
        trưởng đã nhấn mạnh ..., đề cập tới cuộc điện đàm giữa Ngoại trưởng Mike Pompeo và ...")."""
        people = [self.resolve(s) for s in spans]
        if "other_holder" in self._skip:
            return people
        after = [p for s, p in zip(spans, people, strict=True) if s.start >= mention.end]
        for i, (span, entity) in enumerate(zip(spans, people, strict=True)):
            if span.id not in self._role_mentions or not any(entity is p for p in after):
                continue
            office, country = _role(span.text)
            if office is not None and country is None and _subject_of(span, mention, self._text):
                other = self.resolve_role(office, country, span, exclude=after)
                entity.mentions = [m for m in entity.mentions if m is not span]
                other.mentions.append(span)
                self._by_span[span.id or ""] = people[i] = other
        return people

    def resolve_role(
        self, office: str | None, country: str | None, span: Span, exclude: list[Entity] | None = None
    ) -> Entity:
        """The person of the article in that office and country, near ``span``, else an unnamed one; never one
        of ``exclude``."""
        return self._match_role(span, office, country, exclude or []) or self.unnamed(office, country)

    def unnamed(self, office: str | None, country: str | None, group: bool = False) -> Entity:
        """The unnamed holder of that office (or of that country's leadership; or, ``group``, a group of its
        officials), one per office and country."""
        # Offices as written differ in case alone ("Bí thư huyện uỷ", "Bí thư Huyện uỷ").
        key = (fold(office) if office else None, country, group)
        entity = self._roles.setdefault(key, Entity(None, office, country, group=group))
        if entity not in self.entities:
            self.entities.append(entity)
        return entity

    def _match_role(
        self, span: Span, office: str | None, country: str | None, exclude: list[Entity]
    ) -> Entity | None:
        """The named person of the article with this country and office (an office the text does not give
        them counts as matching), nearest to the mention; with only an office ("Tổng thống"), the named
        person holding it. People the article calls former are never the holder, nor is anyone the office
        of an indefinite country ("Ngoại trưởng một nước vùng Vịnh"). Where several could be, one the article
        gives an office to ("Tổng thống Mỹ Donald Trump") rather than one it only names ("ông Obama"), then
        whoever held the office on the article's date."""
        rule = "office_holders" not in self._skip
        if rule and self._cues.former.match(span.text):
            return None
        if "indefinite" not in self._skip and self._indefinite(span):
            return None
        named = [e for e in self.entities if e.name and not e.former and not any(e is x for x in exclude)]
        if country is not None:
            candidates = [e for e in named if e.country == country]
            peer_of = self._peer_offices(span) if office is None else []
            if any(o in HEAD_TITLES for o in peer_of):
                candidates = [e for e in candidates if e.title is None or e.heads_a_state()]
            elif peer_of:
                candidates = [e for e in candidates if any(e.holds(o) for o in peer_of)]
            elif office is not None:
                elect = ELECT_OFFICES.get(office) if "office_elect" not in self._skip else None
                holders = [e for e in candidates if e.holds(office) or (elect is not None and e.holds(elect))]
                if not holders and "general_offices" not in self._skip:
                    # "Bộ trưởng Thổ Nhĩ Kỳ": the article's Turkish minister of whatever, "Chủ tịch Trung
                    # Quốc" its "Chủ tịch nước", where none holds the office as written.
                    holders = [e for e in candidates if e.holds_a_kind_of(office)]
                if not holders and "elect_as_office" not in self._skip:
                    # "Tổng thống Mỹ mới đắc cử", "Tổng thống Mỹ": the president-elect the article names.
                    holders = [
                        e
                        for e in candidates
                        if any(e.holds(x) for x, o in ELECT_OFFICES.items() if o == office)
                    ]
                candidates = holders
            else:  # "người đứng đầu Liên Hợp Quốc", "nhà lãnh đạo Mỹ": a leader, not their spokesperson
                candidates = [e for e in candidates if not e.aide(self._cues.aide)]
        elif office is not None:
            candidates = [e for e in named if e.title is not None and e.holds(office)]
        else:
            candidates = []
        if not candidates and office is not None and country is not None:
            candidates = self._organisation_office_holders(office, country, named)
        if "office_given" not in self._skip and office is not None:
            candidates = [e for e in candidates if any(m.label == "TITLE" for m in e.mentions)] or candidates
        if rule and len(candidates) > 1 and office is not None and self._anchor is not None:
            holders = {h.name for h in self._gazetteer.holders(office, country, self._anchor)}
            candidates = [e for e in candidates if self._holder_name(e) in holders] or candidates
        if not candidates:
            return None
        return min(candidates, key=lambda e: min(abs(m.start - span.start) for m in e.mentions))

    def _organisation_office_holders(self, office: str, country: str, named: list[Entity]) -> list[Entity]:
        """The people the article names whom the gazetteer has in an organisation's office on the article's
        date, an office the article need not give them: "Chủ tịch ASEAN" is the chair country's leader ("Thủ
        tướng Malaysia Anwar Ibrahim" in 2025), "Tổng Thư ký NATO" the person the article names elsewhere."""
        organisation = country_of(country)
        if (
            "organisation_offices" in self._skip
            or self._anchor is None
            or not organisation
            or organisation.iso
        ):
            return []
        holders = {
            h.name for h in self._gazetteer.holders(f"{office} {organisation.name}", None, self._anchor)
        }
        return [e for e in named if self._holder_name(e) in holders]

    def _antecedent_country(self, span: Span) -> str | None:
        """The country "nước này" in ``span`` stands for: the one named last before it (the subject's own
        too: "Thủ tướng Israel Netanyahu điện đàm với Bộ trưởng Quốc phòng nước này")."""
        named = countries_named(self._text, span.start)
        return named[-1][1] if named else None

    def _indefinite(self, span: Span) -> bool:
        cue = self._cues.indefinite_after
        return bool(cue.search(span.text) or cue.match(self._text, span.end))

    def _peer_offices(self, span: Span) -> list[str]:
        """For a peer ("người đồng cấp Nga"), the offices of the person with an office named last before it in
        its sentence: all of them, as the peer of a "Phó Thủ tướng kiêm Bộ trưởng Ngoại giao" may be a foreign
        minister only; [] for other role phrases or without such a person."""
        if "peer_office" in self._skip or not self._cues.peer.match(span.text):
            return []
        start = self._sentences[sentence_index(self._sentences, span.start)][0]
        before = [
            (m.start, e)
            for e in self.entities
            if e.title
            for m in e.mentions
            if start <= m.start < span.start
        ]  # fmt: skip
        if "peer_of_caller" not in self._skip:
            # "Trump gọi Kim Jong-un là 'gã điên' khi điện đàm với người đồng cấp Philippines": Trump's peer,
            # the one linked to the same call, not the person named last.
            linked = self._co_participants.get(span.id or "", set())
            before = [(at, e) for at, e in before if any(m.id in linked for m in e.mentions)] or before
        if not before:
            return []
        person = max(before, key=lambda x: x[0])[1]
        if "peer_any_office" in self._skip:
            return [person.title or ""]
        return list(dict.fromkeys([person.title or "", *person.offices]))

    def _holder_name(self, entity: Entity) -> str | None:
        known = self._known(entity)
        return known.name if known else None


def _spellings_of_one(people: list[Entity]) -> bool:
    """Whether the names differ in spelling only ("Donad Trump" / "Donald Trump", "Al Thani" / "Al-Thani")."""
    letters = ["".join(filter(str.isalpha, _latin_fold((p.name or "").casefold()))) for p in people]
    return all(difflib.SequenceMatcher(None, a, b).ratio() >= 0.9 for a, b in itertools.pairwise(letters))


# At most this many words between a subject and its verb ("Thủ tướng đã có cuộc điện đàm").
_SUBJECT_GAP = 3


def _subject_of(span: Span, mention: Span, text: str) -> bool:
    """Whether ``span`` stands right before ``mention``, a few words and no punctuation between."""
    gap = text[span.end : mention.start] if span.end <= mention.start else "-"
    return len(gap.split()) <= _SUBJECT_GAP and all(c.isalpha() or c.isspace() for c in gap)


def _distance(named_at: list[int], at: int) -> tuple[bool, int]:
    """How far ``at`` is from the nearest of ``named_at``, mentions before it first."""
    before = [at - n for n in named_at if n <= at]
    return (False, min(before)) if before else (True, min((n - at for n in named_at), default=0))


def _name_after(title: Span, leaders: list[Span], text: str) -> Span | None:
    """The name right after a title, nothing but spaces between ("Tổng thống Nga Vladimir Putin")."""
    return next((n for n in leaders if n.start >= title.end and not text[title.end : n.start].strip()), None)


def _name_runs(
    leaders: list[Span], text: str, across_lines: bool = True, suffixes: frozenset[str] = frozenset()
) -> list[tuple[str, list[Span]]]:
    """LEADER spans that touch or are separated by spaces only form one name: the tagger sometimes splits
    "Mahmoud | Abbas" or "Đ. | Mét-vê-đép", which are one person. A name that ends in an initial goes on past
    a line break (``across_lines``: "H.R." / "McMaster", scraped text breaks lines after a full stop)."""
    runs: list[tuple[str, list[Span]]] = []
    for span in sorted(leaders, key=lambda s: s.start):
        joinable = runs and country_of(runs[-1][0]) is None and country_of(span.text.strip()) is None
        gap = " \n" if across_lines and runs and _ENDS_IN_INITIAL.search(runs[-1][0]) else " "
        if joinable and text and not text[runs[-1][1][-1].end : span.start].strip(gap):
            run = runs[-1][1] + [span]
            runs[-1] = (_person_name(text[run[0].start : span.end], suffixes), run)
        else:
            runs.append((_person_name(span.text, suffixes), [span]))
    return runs


def _person_name(mention: str, suffixes: frozenset[str] = frozenset()) -> str:
    """A name without what the tagger sometimes takes in with it: punctuation before it ('", Trump'), the
    country before it ("Gru-di-a M.Xa-ca-svi-li") and the full stop after it ("Đ.Mét-vê-đép."; an initial
    keeps its dot: "G.", and so does an abbreviated suffix of ``suffixes``: "Ferdinand Marcos Jr.")."""
    words = _LEADING_PUNCTUATION.sub("", mention).split() or mention.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        if country_of(" ".join(words[:k])) is not None:
            words = words[k:]
            break
    name = " ".join(words)
    last = re.split(r"[\s.]", name.rstrip("."))[-1]
    return name[:-1] if name.endswith(".") and len(last) > 1 and last.casefold() not in suffixes else name


def _role(phrase: str) -> tuple[str | None, str | None]:
    parsed = split_title(phrase)
    return (parsed.title, parsed.country) if parsed else (None, None)


def _office_on(leader: Leader, anchor: dt.date | None) -> str | None:
    """The office the leader held on ``anchor`` (or holds now when the date is unknown); out of office on that
    day, the one they left last, else the first they took after it. Of several offices held at once, a head
    of state's or government's is the one the news names them by (a prime minister who is also foreign
    minister, a monarch who is also finance minister)."""
    on = anchor or dt.date.max
    offices = [o for o in leader.offices if o.covers_date(on)]
    if not offices and leader.offices:
        left = [o for o in leader.offices if o.end is not None and o.end <= on]
        offices = (
            [max(left, key=lambda o: o.end or on)] if left else [min(leader.offices, key=lambda o: o.start)]
        )
    heads = [o for o in offices if o.title in HEAD_TITLES]
    return (heads or offices)[-1].title if offices else None
