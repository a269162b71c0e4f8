"""Helpers for the table-driven normalization tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated table in tests/data, comment lines skipped."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if not line.startswith("#")]


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# Inputs that make badly written regexes backtrack: long runs of prefixes that almost match.
PATHOLOGICAL_UNITS = (
    "thứ ",
    "hai ",
    "1/",
    "(",
    "ngày ",
    "1",
    "mươi ",
    "hôm ",
    "tháng ",
    "1.2 ",
    "<a ",
    "&amp",
    "mùng ",
    "cách đây ",
    "1h",
    "năm ",
    "1 giờ ",
    "rạng sáng ",
    "gần như ",
)


def assert_roughly_linear(fn: Callable[[str], object]) -> None:
    """10x the input must cost far less than 100x the time (a loose bound: no timing flakes)."""
    for unit in PATHOLOGICAL_UNITS:
        small = (unit * (2_000 // len(unit) + 1))[:2_000]
        large = (unit * (20_000 // len(unit) + 1))[:20_000]
        t_small = best_time(lambda s=small: fn(s))
        t_large = best_time(lambda s=large: fn(s))
        assert t_large < max(50 * t_small, 0.3), (unit, t_small, t_large)
