"""The encoder comparison table of the model card: dev scores per recipe, mean ± spread over its seeds.

    python bench/encoder_table.py "random init=runs/base-s13,runs/base-s14,runs/base-s15" \\
        "pretrained=runs/pt-s13,runs/pt-s14,runs/pt-s15" [...]

Each RUN is a training folder (``output_dir`` of ``diplo-ie train``). All four scores come from the dev
report of the model the run kept, written beforehand with

    diplo-ie evaluate RUN/best annotations/seeds annotations/written annotations/corpus --split dev \\
        --report RUN/eval-dev

so that every row is scored on the same dev articles by the same assembly, whatever copy of the data the run
trained and chose its epoch on. Minutes are the training epochs' (``metrics.jsonl``; dev evaluations not
counted). The spread is half the range of the seeds' values. A run without its report is named and left out
of the score columns rather than guessed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPORT = Path("eval-dev") / "report.json"


@dataclass(frozen=True)
class RunScores:
    span: float | None
    relation: float | None
    event: float | None
    participants: float | None
    minutes: float


def read_run(run: Path) -> RunScores:
    epochs = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    minutes = sum(e["seconds"] for e in epochs) / 60
    if not (run / REPORT).is_file():
        return RunScores(None, None, None, None, minutes)
    report = json.loads((run / REPORT).read_text())["all"]
    return RunScores(
        report["spans"]["micro"]["f1"],
        report["relations"]["micro"]["f1"],
        report["events"]["event"]["f1"],
        report["events"]["participants"]["f1"],
        minutes,
    )


def spread(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "–"
    mean = sum(known) / len(known)
    return f"{mean:.3f} ± {(max(known) - min(known)) / 2:.3f}" + (
        f" ({len(known)})" if len(known) < len(values) else ""
    )


def table(rows: dict[str, list[Path]]) -> str:
    lines = [
        "| recipe | seeds | span F1 | relation F1 | event F1 | participants F1 | minutes per run |",
        "|---|---:|---|---|---|---|---:|",
    ]
    for name, runs in rows.items():
        scores = [read_run(r) for r in runs]
        cells = [
            spread([getattr(s, f) for s in scores]) for f in ("span", "relation", "event", "participants")
        ]
        minutes = sum(s.minutes for s in scores) / len(scores)
        lines.append(f"| {name} | {len(runs)} | {' | '.join(cells)} | {minutes:.0f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    rows: dict[str, list[Path]] = {}
    for arg in argv:
        name, sep, runs = arg.partition("=")
        if not sep or not runs:
            print(f"encoder_table: {arg!r} is not ROW=RUN[,RUN...]", file=sys.stderr)
            return 2
        rows[name] = [Path(r) for r in runs.split(",")]
    missing = [str(r) for runs in rows.values() for r in runs if not (r / "metrics.jsonl").is_file()]
    if not rows or missing:
        print(
            f"encoder_table: no metrics.jsonl in {', '.join(missing) or 'any run (none given)'}",
            file=sys.stderr,
        )
        return 2
    for runs in rows.values():
        for run in runs:
            if not (run / REPORT).is_file():
                print(f"note: {run / REPORT} not found; its scores are left out", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
