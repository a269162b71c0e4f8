"""Event assembly: from an :class:`~diplo_ie.core.analysis.Analysis` (predicted or gold) to CallEvents."""

from __future__ import annotations

from diplo_ie.core.analysis import Analysis
from diplo_ie.core.schema import CallEvent
from diplo_ie.core.spec import CALL_SPEC
from diplo_ie.events.assemble import assemble
from diplo_ie.lexicon.leaders import Gazetteer

__all__ = ["SPEC", "assemble", "assemble_events"]

# The event type these stages assemble; a model of another spec has its spans and relations predicted and
# scored, but no events until a spec gets stages of its own.
SPEC = CALL_SPEC


def assemble_events(analysis: Analysis, gazetteer: Gazetteer | None = None) -> list[CallEvent]:
    """The call events of one analysed text."""
    return assemble(analysis, gazetteer or Gazetteer.load())
