"""The assembly stages, in order: each maps the calls built so far to new ones (:data:`STAGES`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diplo_ie.events.call import Call, Context
from diplo_ie.events.stages.anaphora import anaphoric_mentions
from diplo_ie.events.stages.by_date import split_by_date
from diplo_ie.events.stages.counted import counted_calls
from diplo_ie.events.stages.counterparts import split_by_counterpart
from diplo_ie.events.stages.country_lists import counterparts_by_country
from diplo_ie.events.stages.introduced import introduced_people
from diplo_ie.events.stages.mentions import call_mentions
from diplo_ie.events.stages.merge import merge_same_calls
from diplo_ie.events.stages.officials import between_officials
from diplo_ie.events.stages.report_dates import same_day_reports
from diplo_ie.events.stages.same_call import same_call


@dataclass(frozen=True)
class Stage:
    name: str
    purpose: str
    run: Callable[[list[Call], Context], list[Call]]


STAGES: tuple[Stage, ...] = (
    Stage("mentions", "one call per CALL span that names a call, with what it is linked to", call_mentions),
    Stage(
        "country_lists",
        "a closed list of countries after a call mention names its counterparts",
        counterparts_by_country,
    ),
    Stage("same_call", "mentions linked by same_call are one call", same_call),
    Stage("anaphora", "a mention naming fewer than two people joins the call just told", anaphoric_mentions),
    Stage(
        "same_day_reports",
        "an undated report takes a 'cùng ngày' before it in its sentence",
        same_day_reports,
    ),
    Stage("by_date", "one call per date value its mentions carry", split_by_date),
    Stage(
        "introduced",
        "a name never given an office or a country is no party beside two people who are",
        introduced_people,
    ),
    Stage(
        "counterparts",
        "one call per counterpart of the caller; reporters are no counterparts",
        split_by_counterpart,
    ),
    Stage("merge", "calls with the same people and a compatible date are one", merge_same_calls),
    Stage("counted", "a mention that counts its calls ('hai cuộc điện đàm') names that many", counted_calls),
    Stage(
        "two_officials",
        "a call needs two people the article presents as officials, not private persons",
        between_officials,
    ),
)
STAGE_NAMES = tuple(s.name for s in STAGES)
# Rules inside a stage that can be switched off on their own (``assemble(..., skip=...)``).
STAGE_RULES = (
    "delegations",
    "ordinals",
    "calls_told_apart",
    "listed_once",
    "denials",
    "planned_after",
    "denied_after",
    "plan_carried_out",
    "named_together",
    "counterparts_only",
    "continued_lists",
    "listed_counterparts",
    "official_groups",
    "yearless_present",
    "aides_listed",
    "listed_callers",
    "one_role_a_country",
)
