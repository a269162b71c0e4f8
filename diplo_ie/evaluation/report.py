"""report.json and report.md from :func:`diplo_ie.evaluation.evaluate.evaluate` results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diplo_ie.evaluation.evaluate import MISSED


def _prf_table(title: str, rows: dict[str, Any]) -> list[str]:
    lines = [f"#### {title}", "", "| | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for name, row in rows.items():
        p, r, f, n = row["precision"], row["recall"], row["f1"], row.get("support", "")
        lines.append(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
    return [*lines, ""]


def render_markdown(results: dict[str, Any]) -> str:
    lines = ["# diplo-ie evaluation", ""]
    for group, m in results.items():
        lines += [f"## {group} ({m['documents']} documents)", ""]
        seq = {
            k: {
                "precision": v["precision"],
                "recall": v["recall"],
                "f1": v["f1-score"],
                "support": int(v["support"]),
            }
            for k, v in m["tokens_seqeval"].items()
        }
        lines += _prf_table("Tokens (seqeval, strict IOB2)", seq)
        lines += _prf_table("Spans (exact match)", m["spans"])
        lines += _prf_table("Relations (head, tail and type match)", m["relations"])
        if "events" in m:
            lines += _prf_table("Events", m["events"])
        columns = [*m["status_confusion"], MISSED]
        lines += [
            "#### Status of the event mentions (gold rows, predicted columns)",
            "",
            "| gold \\ predicted | " + " | ".join(columns) + " |",
            "|---" * (len(columns) + 1) + "|",
        ]
        for gold, row in m["status_confusion"].items():
            lines.append(f"| {gold} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |")
        lines += ["", "#### Worst errors", ""]
        for e in m["worst_errors"]:
            lines.append(f"- `{e['doc']}` {e['kind']} {e['label']} «{e['text']}» — {e['sentence']}")
        lines.append("")
    return "\n".join(lines)


def write_report(results: dict[str, Any], directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (directory / "report.md").write_text(render_markdown(results), encoding="utf-8")
