"""Event assembly on the hand-written cases of ``tests/data/assembly_cases.tsv``: every case gives its
events, every stage is needed by some case of its own (switching it off changes that case's events), and a
case of several stages needs them all switched off to change, each alone giving its events."""

import pytest
from assembly_cases import keys, load_cases

from diplo_ie.events import assemble
from diplo_ie.events.entities import ENTITY_RULES
from diplo_ie.events.stages import STAGE_NAMES, STAGE_RULES
from diplo_ie.lexicon.leaders import Gazetteer

CASES = load_cases()
HANDLED = [c for c in CASES if not c.gap]


def _param(case):
    marks = [pytest.mark.xfail(reason=case.gap, strict=True)] if case.gap else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case_gives_its_events(case):
    assert keys(assemble(case.analysis, Gazetteer.load())) == case.expected


@pytest.mark.parametrize("case", HANDLED, ids=[c.id for c in HANDLED])
def test_case_needs_its_stage(case):
    assert keys(assemble(case.analysis, Gazetteer.load(), skip=case.stages)) != case.expected


def test_every_stage_and_entity_rule_is_exercised_by_a_case_of_its_own():
    assert {*STAGE_NAMES, *STAGE_RULES, *ENTITY_RULES} <= {c.stage for c in HANDLED if len(c.stages) == 1}


def test_cases_of_several_stages_are_handled_by_each_of_them():
    for case in (c for c in HANDLED if len(c.stages) > 1):
        for stage in case.stages:
            others = case.stages - {stage}
            events = assemble(case.analysis, Gazetteer.load(), skip=others)
            assert keys(events) == case.expected, (case.id, stage)
