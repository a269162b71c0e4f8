"""Scores and reports: seqeval token scores, span, relation, status and event P/R/F1."""

from diplo_ie.evaluation.evaluate import evaluate
from diplo_ie.evaluation.events import score_events
from diplo_ie.evaluation.report import render_markdown, write_report

__all__ = ["evaluate", "render_markdown", "score_events", "write_report"]
