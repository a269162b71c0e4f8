"""Cue words of event assembly, read from ``diplo_ie/data/assembly_cues.tsv`` and compiled once."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

CUES_FILE = "data/assembly_cues.tsv"


def words(phrases: tuple[str, ...]) -> str:
    """An alternation of whole phrases, longest first, with flexible spaces."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered) + ")"


@dataclass(frozen=True)
class Cues:
    status: tuple[tuple[re.Pattern[str], str], ...]  # marker before a mention -> status, in order
    denial: re.Pattern[str]  # a denial of a report, earlier in the mention's sentence
    held: re.Pattern[str]  # a call told as done, right before a mention
    planned_after: re.Pattern[str]  # a plan told right after a mention
    denied_after: re.Pattern[str]  # a call told right after its mention as not held ("đã không diễn ra")
    call_content: re.Pattern[
        str
    ]  # the call's content, right before a mention: what follows is not the call's
    joint: re.Pattern[str]
    separately: re.Pattern[str]
    counterparts_follow: re.Pattern[str]
    times: re.Pattern[str]
    counting_only: re.Pattern[str]
    negated_before: re.Pattern[str]
    with_press_after: re.Pattern[str]
    aide: re.Pattern[str]
    institution: re.Pattern[str]
    former: re.Pattern[str]
    title_joiner: re.Pattern[str]
    list_joiner: re.Pattern[str]
    list_word: re.Pattern[str]  # the word that closes a list ("và"), not a comma
    indefinite_after: re.Pattern[str]
    peer: re.Pattern[str]
    country_anaphor: re.Pattern[str]
    ordinal_after: re.Pattern[str]
    # "với các quan chức thương mại": a group of officials a few words after a mention
    official_group: re.Pattern[str]
    group_modifier_stop: frozenset[str]  # casefolded words that end a group's modifiers
    patronymic: frozenset[str]  # casefolded particles before a father's name in a person's name
    name_suffix: frozenset[str]  # casefolded abbreviations that end a name with their dot ("Jr.")

    def status_before(self, before: str) -> str | None:
        """The status that a marker ending ``before`` (the text right before a call mention) gives."""
        return next((status for cue, status in self.status if cue.search(before)), None)


def parse_cues(lines: list[str]) -> dict[str, tuple[str, ...]]:
    sets: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.strip() and not line.startswith("#"):
            name, phrase = line.rstrip("\n").split("\t")
            sets[name].append(phrase.strip())
    return {name: tuple(phrases) for name, phrases in sets.items()}


def compile_cues(sets: dict[str, tuple[str, ...]]) -> Cues:
    flags = re.IGNORECASE
    fillers = r"(?:\s+" + words(sets["status_filler"]) + r")*\s*$"
    status = tuple(
        (re.compile(r"(?<!\w)" + words(sets[s]) + fillers, flags), s) for s in ("denied", "planned")
    )
    aide = words(sets["aide"]) + r"(?!.*" + words(sets["aide_exception"]) + ")"
    denial_verb, denied_claim = words(sets["denial_verb"]), words(sets["denied_claim"])
    after_filler, planned_after = words(sets["after_filler"]), words(sets["planned_after"])
    denied_after = words(sets["denied_after"])
    return Cues(
        status=status,
        held=re.compile(r"(?<!\w)" + words(sets["held"]) + fillers, flags),
        denial=re.compile(rf"(?<!\w){denial_verb}\s+(?:(?:các|những|mọi)\s+)?{denied_claim}(?!\w)", flags),
        call_content=re.compile(
            r"(?<!\w)" + words(sets["call_content"]) + r"(?:\s+(?:của|cuộc|các|những))*\s*$", flags
        ),
        planned_after=re.compile(rf"[\s,]*(?:{after_filler}[\s,]+)?[\"“]?{planned_after}(?!\w)", flags),
        denied_after=re.compile(rf"[\s,]*(?:{after_filler}[\s,]+)?{denied_after}(?!\w)", flags),
        joint=re.compile(r"(?<!\w)" + words(sets["joint"]) + r"(?!\w)", flags),
        separately=re.compile(r"(?<!\w)" + words(sets["separately"]) + r"(?!\w)", flags),
        counterparts_follow=re.compile(r"(?<!\w)" + words(sets["counterparts_follow"]) + r"(?!\w)", flags),
        times=re.compile(words(sets["times"]) + r"(?!\w)", flags),
        counting_only=re.compile(r"(?:" + words(sets["counting"]) + r"\s*)+", flags),
        negated_before=re.compile(
            r"(?<!\w)" + words(sets["negation"]) + r"(?:\s+" + words(sets["negation_filler"]) + r")*\s*$",
            flags,
        ),
        with_press_after=re.compile(r"\s+với\s+(?:các\s+|những\s+)?" + words(sets["press"]), flags),
        aide=re.compile(r"^(?:cựu\s+)?" + aide, flags),
        institution=re.compile(words(sets["institution"]) + r"(?!\w)"),
        former=re.compile(
            r"^(?:(?!" + words(sets["former_exception"]) + r"(?!\w))" + words(sets["former"]) + r"(?!\w)"
            r"|.*?(?<!\w)" + words(sets["former_after"]) + r"(?!\w))",
            flags,
        ),
        title_joiner=re.compile(
            r"\s*(?:,|" + words(sets["title_joiner"]) + r"|,\s*" + words(sets["title_joiner"]) + r")\s*",
            flags,
        ),
        list_joiner=re.compile(
            r"\s*(?:,|,?\s*" + words(sets["list_joiner"]) + r")\s*(?:" + words(sets["honorific"]) + r"\s+)?",
            flags,
        ),
        list_word=re.compile(r"(?<!\w)" + words(sets["list_joiner"]) + r"(?!\w)", flags),
        indefinite_after=re.compile(r"\s+(?:của\s+)?" + words(sets["indefinite"]) + r"(?!\w)", flags),
        peer=re.compile(r"^" + words(sets["peer"]) + r"(?!\w)", flags),
        country_anaphor=re.compile(r"(?<!\w)" + words(sets["country_anaphor"]) + r"\s*$", flags),
        ordinal_after=re.compile(
            r"\s+(?:"
            + words(sets["times"])
            + r"\s+)?(?:(?P<first>"
            + words(sets["ordinal_first"])
            + r")|"
            + words(sets["ordinal"])
            + r"\s+(?P<n>\w+))(?!\w)",
            flags,
        ),
        official_group=re.compile(
            r"(?:\s+[^\s,.;:]+){0,3}?\s+với\s+(?:các\s+|những\s+)?"
            + words(sets["official_group"])
            + r"(?!\w)",
            flags,
        ),
        group_modifier_stop=frozenset(p.casefold() for p in sets["group_modifier_stop"]),
        patronymic=frozenset(p.casefold() for p in sets["patronymic"]),
        name_suffix=frozenset(p.casefold() for p in sets["name_suffix"]),
    )


@cache
def load_cues() -> Cues:
    text = resources.files("diplo_ie").joinpath(CUES_FILE).read_text(encoding="utf-8")
    return compile_cues(parse_cues(text.splitlines()))
