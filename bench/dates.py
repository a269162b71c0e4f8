"""Date normalization: diplo_ie.normalize.parse_date vs dateparser on tests/data/dates.tsv.

    PYTHONPATH=. python3 bench/dates.py [--show-errors]

dateparser is scored at the table's granularity: for "XXXX-11-15" only month and day must match, for
"2022-12" year and month, for "2019" the year; an expected null is right only if it returns nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diplo_ie.normalize import parse_date  # noqa: E402

TABLE = ROOT / "tests" / "data" / "dates.tsv"


def load_table(path: Path = TABLE) -> list[tuple[str, str | None, str | None]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        expression, anchor, expected = line.split("\t")
        rows.append((expression, None if anchor == "-" else anchor, None if expected == "null" else expected))
    return rows


def dateparser_value(expression: str, anchor: str | None) -> dt.datetime | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if anchor:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(anchor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return dateparser.parse(expression, languages=["vi"], settings=settings)
        except Exception:  # a crash counts as no answer, like any other miss
            return None


def dateparser_correct(got: dt.datetime | None, expected: str | None) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    parts = expected.split("-")
    fields = [f"{got.year:04d}", f"{got.month:02d}", f"{got.day:02d}"][: len(parts)]
    return all(p == f or p.startswith("X") for p, f in zip(parts, fields, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    rows = load_table()
    ours = theirs = 0
    for expression, anchor, expected in rows:
        result = parse_date(expression, anchor)
        value = result.value if result else None
        dp = dateparser_value(expression, anchor)
        ok_ours, ok_dp = value == expected, dateparser_correct(dp, expected)
        ours += ok_ours
        theirs += ok_dp
        if args.show_errors and not (ok_ours and ok_dp):
            print(f"{expression!r:45} anchor={anchor} expected={expected} ours={value} dateparser={dp}")
    n = len(rows)
    print(f"rows: {n}")
    print(f"dateparser accuracy: {theirs / n:.3f} ({theirs}/{n})")
    print(f"diplo_ie   accuracy: {ours / n:.3f} ({ours}/{n})")


if __name__ == "__main__":
    main()
