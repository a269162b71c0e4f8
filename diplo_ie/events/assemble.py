"""Deterministic event assembly: an :class:`~diplo_ie.core.analysis.Analysis` (predicted or gold) through the
ordered :data:`~diplo_ie.events.stages.STAGES`, then to CallEvents (:mod:`diplo_ie.events.finish`).

Participants are resolved to the people of the article by :mod:`diplo_ie.events.entities`; dates and
durations are normalized by :mod:`diplo_ie.normalize`; cue words come from ``diplo_ie/data/``.
"""

from __future__ import annotations

from collections.abc import Collection

from diplo_ie.core.analysis import Analysis
from diplo_ie.core.schema import CallEvent
from diplo_ie.events.call import Call, Context
from diplo_ie.events.cues import load_cues
from diplo_ie.events.dates import DateResolver
from diplo_ie.events.entities import ENTITY_RULES, EntityIndex
from diplo_ie.events.finish import to_event
from diplo_ie.events.stages import STAGE_NAMES, STAGE_RULES, STAGES
from diplo_ie.lexicon.leaders import Gazetteer
from diplo_ie.text.sentences import split_sentences


def assemble(analysis: Analysis, gazetteer: Gazetteer, skip: Collection[str] = ()) -> list[CallEvent]:
    """Build the call events of one document from its (predicted or gold) analysis.

    ``skip`` names stages (:data:`~diplo_ie.events.stages.STAGE_NAMES`), rules within them
    (:data:`~diplo_ie.events.stages.STAGE_RULES`) and entity resolution rules
    (:data:`~diplo_ie.events.entities.ENTITY_RULES`) to leave out, to measure what each contributes.
    Relation and span ``score`` values (1.0 when absent) feed the events' confidence.
    """
    rules = [*STAGE_NAMES, *STAGE_RULES, *ENTITY_RULES]
    unknown = set(skip) - set(rules)
    if unknown:
        known = ", ".join(rules)
        raise ValueError(f"unknown assembly stage(s) or rule(s) {sorted(unknown)}; known: {known}")
    cues = load_cues()
    sentences = split_sentences(analysis.text)
    ctx = Context(
        text=analysis.text,
        sentences=sentences,
        spans=analysis.spans,
        relations=analysis.relations,
        statuses=analysis.statuses,
        anchor=analysis.anchor,
        entities=EntityIndex(
            analysis.text,
            analysis.spans,
            analysis.relations,
            gazetteer,
            analysis.anchor,
            cues,
            sentences,
            skip,
        ),
        dates=DateResolver(
            analysis.spans,
            analysis.anchor,
            analysis.text,
            analysis.anchor_bound,
            present="yearless_present" not in skip,
            sentences=sentences,
        ),
        cues=cues,
        skip=frozenset(skip),
    )
    calls: list[Call] = []
    for stage in STAGES:
        if stage.name not in skip:
            calls = stage.run(calls, ctx)
    events = [to_event(c, ctx) for c in calls]
    return sorted(events, key=lambda e: e.trigger.start if e.trigger else 0)
