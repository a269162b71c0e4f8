"""Time of the lexical features (diplo_ie.modeling.lexical) per 1,000 words, on the seed articles.

    python bench/features.py [--rounds 20]

The seed texts are tokenized once with the shipped model's tokenizer; then each feature group alone, and all
of them together, compute their token ids for every seed, ``--rounds`` times (the best round counts). The
one-off cost of building the matchers (gazetteer, titles, countries, syllable rules) is printed apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from diplo_ie.modeling.lexical import FEATURE_GROUPS, LexicalFeatures

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from transformers import AutoTokenizer

    from diplo_ie.modeling.encoding import DocumentEncoder
    from diplo_ie.pipeline import default_model_path

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    encoder = DocumentEncoder(AutoTokenizer.from_pretrained(str(default_model_path())))
    docs = [(text, encoder.tokenize(text).offsets) for text in texts]
    words = sum(len(text.split()) for text in texts)
    tokens = sum(len(offsets) for _, offsets in docs)

    start = time.perf_counter()
    everything = LexicalFeatures(FEATURE_GROUPS)
    everything.token_ids(*docs[0])
    print(f"first call (matchers built): {1000 * (time.perf_counter() - start):.0f} ms")
    print(f"{len(texts)} seed articles, {words} words, {tokens} tokens; best of {args.rounds} rounds\n")
    print("| features | ms per 1,000 words |")
    print("|---|---|")
    for label, features in (*((g, LexicalFeatures([g])) for g in FEATURE_GROUPS), ("all", everything)):
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            for text, offsets in docs:
                features.token_ids(text, offsets)
            best = min(best, time.perf_counter() - start)
        print(f"| {label} | {1000 * best / (words / 1000):.2f} |")


if __name__ == "__main__":
    main()
