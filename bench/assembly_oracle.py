"""Event assembly on GOLD spans, relations and statuses: the ceiling the model's predictions can reach.

    python bench/assembly_oracle.py [ANNOTATION_PATH ...] [--skip RULE[,RULE...]]
                                    (default: the gold data of annotations/; --skip: stages or rules left out,
                                    to measure what each contributes)

Prints event P/R/F1 (participants, date value, duration, status all right) for all documents, per source
(seed, written, and each corpus by name) and per split.
"""

from __future__ import annotations

import argparse

from diplo_ie.annotations import load_documents
from diplo_ie.core.analysis import Analysis
from diplo_ie.evaluation.events import event_key
from diplo_ie.evaluation.scores import PRF, count_matches
from diplo_ie.events import assemble
from diplo_ie.lexicon.leaders import Gazetteer

DEFAULT_PATHS = ["annotations/seeds", "annotations/written", "annotations/corpus"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--skip", default="", help="comma-separated stages or rules to leave out")
    args = parser.parse_args()
    skip = [name for name in args.skip.split(",") if name]
    docs, warnings = load_documents(args.paths, skip_unavailable=True)
    for warning in warnings:
        print(f"warning: {warning}")
    gazetteer = Gazetteer.load()
    scores: dict[str, PRF] = {}
    for doc in docs:
        events = assemble(Analysis.from_gold(doc), gazetteer, skip=skip)
        prf = count_matches(map(event_key, doc.events), map(event_key, events))
        corpus = doc.meta.get("standoff", {}).get("corpus") if doc.source == "corpus" else None
        for group in ("all", corpus or doc.source or "?", f"split {doc.split}"):
            scores.setdefault(group, PRF()).add(prf)
    for group, prf in sorted(scores.items()):
        scores_text = f"P {prf.precision:.3f} R {prf.recall:.3f} F1 {prf.f1:.3f}"
        print(f"{group}: {scores_text} (gold events {prf.tp + prf.fn})")


if __name__ == "__main__":
    main()
