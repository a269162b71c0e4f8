"""Event assembly: from an :class:`~diplo_ie.core.analysis.Analysis` (predicted or gold) to CallEvents."""

from __future__ import annotations

from diplo_ie.core.analysis import Analysis
from diplo_ie.core.schema import CallEvent
from diplo_ie.events.assemble import assemble
from diplo_ie.lexicon.leaders import Gazetteer

__all__ = ["assemble", "assemble_events"]


def assemble_events(analysis: Analysis, gazetteer: Gazetteer | None = None) -> list[CallEvent]:
    """The call events of one analysed text."""
    return assemble(analysis, gazetteer or Gazetteer.load())
