"""Event assembly on a model's PREDICTIONS for training documents it never saw: those annotated after the
revision its training data was taken from. Until a model is trained on them they are as unseen as dev, so
assembly rules can be judged on predicted analyses without spending dev.

    python bench/unseen_train.py MODEL REVISION [--cache FILE] [--limit N] [--skip RULE[,RULE...]]
        MODEL     a model directory (the shipped one: diplo_ie/models/default)
        REVISION  the git revision whose annotations/ the model was trained on (the shipped model: a494c0e)
        --cache   keep the model's analyses in FILE (pickle) and reuse them: predicting takes minutes
        --skip    stages or rules left out of assembly, to measure what each does on predictions

Prints event and participants-only P/R/F1 over the training documents of today's annotations/ that were in
neither the training nor the dev split at REVISION.
"""

from __future__ import annotations

import argparse
import io
import pickle
import subprocess
import tarfile
import tempfile
from pathlib import Path

from diplo_ie.annotations import load_documents
from diplo_ie.evaluation.events import event_key, participants_key
from diplo_ie.evaluation.scores import count_matches
from diplo_ie.events import assemble
from diplo_ie.lexicon.leaders import Gazetteer
from diplo_ie.modeling.model import DiploModel

PATHS = ["annotations/seeds", "annotations/written", "annotations/corpus"]


def seen_at(revision: str) -> set[str]:
    """Ids of the training and dev documents of ``annotations/`` at ``revision``."""
    command = ["git", "archive", revision, "annotations"]
    archive = subprocess.run(command, capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        docs, _ = load_documents([Path(tmp) / p for p in PATHS], skip_unavailable=True)
    return {d.id for d in docs if d.split in ("train", "dev")}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("model")
    parser.add_argument("revision")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="only the first N such documents")
    parser.add_argument("--skip", default="", help="comma-separated stages or rules to leave out")
    args = parser.parse_args()
    seen = seen_at(args.revision)
    docs, _ = load_documents(PATHS, skip_unavailable=True)
    docs = [d for d in docs if d.split == "train" and d.id not in seen][: args.limit]
    if args.cache and args.cache.exists():
        analyses = pickle.loads(args.cache.read_bytes())
    else:
        preds = DiploModel.from_pretrained(args.model).predict_detailed(docs, 16)
        analyses = {d.id: p.to_analysis(d) for d, p in zip(docs, preds, strict=True)}
        if args.cache:
            args.cache.write_bytes(pickle.dumps(analyses))
    gazetteer = Gazetteer.load()
    skip = [name for name in args.skip.split(",") if name]
    gold, pred = [], []
    for doc in docs:
        gold += [(doc.id, e) for e in doc.events]
        pred += [(doc.id, e) for e in assemble(analyses[doc.id], gazetteer, skip=skip)]
    print(f"{len(docs)} training documents unseen at {args.revision}, {len(gold)} events")
    for name, key in (("event", event_key), ("participants", participants_key)):
        prf = count_matches([(d, key(e)) for d, e in gold], [(d, key(e)) for d, e in pred])
        scores = f"P {prf.precision:.3f} R {prf.recall:.3f} F1 {prf.f1:.3f}"
        print(f"{name}: {scores} (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")


if __name__ == "__main__":
    main()
