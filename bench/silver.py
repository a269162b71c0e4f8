"""Silver labels (diplo_ie.training.silver) against the gold spans of the annotated articles.

    python bench/silver.py [--split train] [ANNOTATION_PATH ...]   (default: the gold data of annotations/)

Prints, per label, exact-match precision and recall of the silver spans, and the share of gold spans a silver
span overlaps: what a first fine-tuning stage on silver articles would teach, and what it would miss.
"""

from __future__ import annotations

import argparse

from diplo_ie.annotations import load_documents
from diplo_ie.evaluation.scores import PRF, count_matches
from diplo_ie.training.silver import LABEL_ORDER, silver_spans

DEFAULT_PATHS = ["annotations/seeds", "annotations/written", "annotations/corpus"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--split", default="train", help="documents of this split only ('all' for every one)")
    args = parser.parse_args()
    docs, _ = load_documents(args.paths, skip_unavailable=True)
    docs = [d for d in docs if args.split == "all" or d.split == args.split]
    exact = {label: PRF() for label in LABEL_ORDER}
    overlapped = dict.fromkeys(LABEL_ORDER, 0)
    gold_total = dict.fromkeys(LABEL_ORDER, 0)
    for doc in docs:
        silver = silver_spans(doc.text)
        for label in LABEL_ORDER:
            gold = [(s.start, s.end) for s in doc.spans if s.label == label]
            found = [(s.start, s.end) for s in silver if s.label == label]
            exact[label].add(count_matches(gold, found))
            gold_total[label] += len(gold)
            overlapped[label] += sum(any(s < ge and gs < e for s, e in found) for gs, ge in gold)
    print(f"{len(docs)} documents ({args.split})")
    print("| label | gold | silver P | silver R | F1 | gold overlapped |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in LABEL_ORDER:
        p = exact[label]
        share = overlapped[label] / max(gold_total[label], 1)
        scores = f"{p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f}"
        print(f"| {label} | {gold_total[label]} | {scores} | {share:.3f} |")


if __name__ == "__main__":
    main()
