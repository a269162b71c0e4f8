"""Extraction speed and memory on corpus articles, against the bare encoder on the same input.

    python bench/speed.py [--model DIR] [--articles 200] [--words 600] [--batch-size 32] [--threads 2]
                          [--precision float32|bfloat16]

Prints articles/s and tokens/s of ``Extractor.extract_batch``, the time of the encoder's own forward pass over
the same windows (tokenization included), their ratio, and the peak resident memory of the process up to the
end of extraction.
Targets: >= 20 articles/s of ~600 words on 2 cores, pipeline <= 1.5x the encoder, peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from pathlib import Path

import torch

import diplo_ie
from diplo_ie.annotations.corpus import corpus_dir
from diplo_ie.modeling.predict import encode_all_windows
from diplo_ie.precision import DEFAULT_PRECISION, PRECISIONS
from diplo_ie.prepare import clean_text
from diplo_ie.schema import Document


def corpus_articles(n: int, words: int) -> list[str]:
    """The first ``n`` corpus articles with at least ``words`` words, cut to their first ``words`` words."""
    directory = corpus_dir()
    if directory is None:
        raise SystemExit("corpus not found: set DIPLO_IE_CORPUS_DIR to the directory of baomoi-2017.jsonl.gz")
    texts = []
    with gzip.open(Path(directory) / "baomoi-2017.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            tokens = json.loads(line)["text"].split(" ")
            if len(tokens) >= words:
                texts.append(" ".join(tokens[:words]))
                if len(texts) == n:
                    break
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", help="saved model directory (default: the shipped model)")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", choices=PRECISIONS, default=DEFAULT_PRECISION)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    texts = corpus_articles(args.articles, args.words)
    extractor = diplo_ie.load(args.model, args.precision)
    model = extractor.model
    extractor.extract_batch(texts[:4])  # warm-up: first-call allocations and lazy imports

    start = time.perf_counter()
    results = extractor.extract_batch(texts, batch_size=args.batch_size)
    pipeline_s = time.perf_counter() - start
    # Read before the reference pass below, which holds every window's hidden states at once.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    with torch.inference_mode():
        docs = [Document(id=str(i), text=clean_text(t).text) for i, t in enumerate(texts)]
        encs = [model.document_encoder.encode(d) for d in docs]
        encode_all_windows(model, encs, args.batch_size)
    encoder_s = time.perf_counter() - start

    tokens = sum(len(e.tokens) for e in encs)
    events = sum(len(r) for r in results)
    print(f"articles: {len(texts)} of {args.words} words ({tokens} subword tokens), {events} events found")
    rate = f"{len(texts) / pipeline_s:.1f} articles/s  {tokens / pipeline_s:.0f} tokens/s"
    print(f"pipeline: {pipeline_s:.2f} s  {rate}")
    print(f"encoder forward (same windows, tokenization included): {encoder_s:.2f} s")
    print(f"pipeline / encoder: {pipeline_s / encoder_s:.2f}x")
    print(f"peak memory (RSS) of the process until extraction ended: {peak_mib:.0f} MiB")
    print(f"threads: {torch.get_num_threads()}, precision: {args.precision}")


if __name__ == "__main__":
    main()
