"""Extraction speed and memory of the four backends side by side, on corpus articles.

    python bench/speed.py [--model DIR] [--articles 200] [--words 600] [--batch-size 32] [--threads 2]
                          [--sweep 300,1200,5000,20000] [--sweep-words 20000]

Backends: torch float32, torch bfloat16, ONNX Runtime float32 and ONNX Runtime int8 (the model exported to a
temporary directory first). Each runs in a process of its own, so each peak memory is its own. For each:
articles/s and tokens/s of ``Extractor.extract_batch`` on ``--articles`` articles of ``--words`` words, the
time of the same backend's bare forward pass over the same windows (tokenization included) and the ratio of
the two, the peak resident memory of the process up to the end of extraction, and a length sweep: articles of
each ``--sweep`` length (as many as make about ``--sweep-words`` words), whose time per 1,000 words must stay
flat for the time to grow linearly.
Targets: >= 45 articles/s of ~600 words on 2 cores with the default backend, pipeline <= 1.2x the bare
forward pass, peak memory < 0.5 GiB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diplo_ie.annotations.corpus import corpus_dir
from diplo_ie.pipeline import default_model_path

BACKENDS = {  # label: (backend, precision or ONNX quantization)
    "torch float32": ("torch", "float32"),
    "torch bfloat16": ("torch", "bfloat16"),
    "ORT float32": ("onnx", None),
    "ORT int8": ("onnx", "int8"),
}


def corpus_words(min_words: int = 0):
    """The words of each corpus article with at least ``min_words`` words, in corpus order."""
    directory = corpus_dir()
    if directory is None:
        raise SystemExit("corpus not found: set DIPLO_IE_CORPUS_DIR to the directory of baomoi-2017.jsonl.gz")
    with gzip.open(Path(directory) / "baomoi-2017.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            words = json.loads(line)["text"].split(" ")
            if len(words) >= min_words:
                yield words


def corpus_articles(n: int, words: int) -> list[str]:
    """The first ``n`` corpus articles with at least ``words`` words, cut to their first ``words`` words."""
    articles = corpus_words(words)
    return [" ".join(next(articles)[:words]) for _ in range(n)]


def long_articles(n: int, words: int) -> list[str]:
    """``n`` texts of exactly ``words`` words, each made of consecutive corpus articles (paragraphs)."""
    articles, texts = corpus_words(), []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            part = next(articles)[: words - count]
            parts.append(" ".join(part))
            count += len(part)
        texts.append("\n\n".join(parts))
    return texts


def peak_rss_mib() -> float:
    """This process's peak resident memory. Not getrusage's: Linux carries that over from the parent
    across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def measure(args: argparse.Namespace) -> dict:
    """One backend, in this process: the figures of one row of the table."""
    import torch

    from diplo_ie.core.schema import Document
    from diplo_ie.modeling.predict import encode_all_windows
    from diplo_ie.pipeline import Extractor
    from diplo_ie.text.prepare import clean_text

    torch.set_num_threads(args.threads)
    texts = corpus_articles(args.articles, args.words)
    if args.backend == "onnx":
        from diplo_ie.modeling.ort import OnnxModel

        model = OnnxModel(args.model, threads=args.threads)
    else:
        from diplo_ie.modeling.model import DiploModel

        model = DiploModel.from_pretrained(args.model)
        model.set_precision(args.precision)
    extractor = Extractor(model)
    extractor.extract_batch(texts[:4])  # warm-up: first-call allocations and lazy imports

    start = time.perf_counter()
    results = extractor.extract_batch(texts, batch_size=args.batch_size)
    pipeline_s = time.perf_counter() - start
    # Read before the reference pass below, which holds every window's hidden states at once.
    peak_mib = peak_rss_mib()

    start = time.perf_counter()
    with torch.inference_mode():
        encs = [model.document_encoder.encode(Document(id=str(i), text=clean_text(t).text)) for i, t in
                enumerate(texts)]  # fmt: skip
        encode_all_windows(model, encs, args.batch_size)
    forward_s = time.perf_counter() - start

    sweep = {}
    for words in args.sweep:
        batch = long_articles(max(1, round(args.sweep_words / words)), words)
        start = time.perf_counter()
        extractor.extract_batch(batch, batch_size=args.batch_size)
        sweep[words] = (time.perf_counter() - start) / len(batch)
    tokens = sum(len(e.tokens) for e in encs)
    return {
        "articles": len(texts),
        "tokens": tokens,
        "events": sum(len(r) for r in results),
        "articles_s": len(texts) / pipeline_s,
        "tokens_s": tokens / pipeline_s,
        "ratio": pipeline_s / forward_s,
        "peak_mib": peak_mib,
        "sweep": sweep,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", help="saved model directory (default: the shipped model)")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sweep", default="300,1200,5000,20000", help="article lengths in words")
    parser.add_argument("--sweep-words", type=int, default=20_000, help="words per sweep length")
    # One backend in this process (what the run of all four starts for each).
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--precision", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sweep = [int(w) for w in args.sweep.split(",")]
    if args.backend:
        print(json.dumps(measure(args)))
        return

    from diplo_ie.modeling.onnx_export import export_onnx

    model = Path(args.model) if args.model else default_model_path()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        exports = {q: export_onnx(model, Path(tmp) / str(q), q) for q in (None, "int8")}
        for label, (backend, setting) in BACKENDS.items():
            path, precision = (exports[setting], "float32") if backend == "onnx" else (model, setting)
            # The same options, then this backend's (argparse keeps the last --model).
            own = ["--backend", backend, "--precision", precision, "--model", str(path)]
            command = [sys.executable, __file__, *sys.argv[1:], *own]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            rows[label] = json.loads(done.stdout.strip().splitlines()[-1])
    first = next(iter(rows.values()))
    print(f"model: {model}; {args.threads} threads, batch size {args.batch_size}")
    print(f"{first['articles']} corpus articles of {args.words} words ({first['tokens']} subword tokens)\n")
    print("| backend | articles/s | tokens/s | pipeline / forward | peak RSS | events |")
    print("|---|---|---|---|---|---|")
    for label, r in rows.items():
        print(f"| {label} | {r['articles_s']:.1f} | {r['tokens_s']:.0f} | {r['ratio']:.2f}x "
              f"| {r['peak_mib']:.0f} MiB | {r['events']} |")  # fmt: skip
    print("\nlength sweep: seconds per article (ms per 1,000 words)\n")
    print("| backend | " + " | ".join(f"{w:,} words" for w in args.sweep) + " |")
    print("|---|" + "---|" * len(args.sweep))
    for label, r in rows.items():
        cells = [f"{s:.2f} s ({1000 * s / (int(w) / 1000):.0f})" for w, s in r["sweep"].items()]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
