"""Normalizers for the values of call events: dates and durations."""

from diplo_ie.normalize.dates import parse_date
from diplo_ie.normalize.durations import minutes_to_iso, parse_duration

__all__ = ["minutes_to_iso", "parse_date", "parse_duration"]
