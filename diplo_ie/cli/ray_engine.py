"""``diplo-ie extract --engine ray --input DIR_OR_GLOB --output DIR``: the batch job on a Ray instance."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from diplo_ie.cli.errors import UserError
from diplo_ie.core.errors import InputError, ModelLoadError
from diplo_ie.text.inputs import parse_published

RAY_FORMATS = ("jsonl", "parquet")


def run_ray(args: argparse.Namespace) -> int:
    from diplo_ie.distributed import ExtractorSpec, input_files, run_job
    from diplo_ie.pipeline import find_model

    if args.files or args.html:
        raise UserError("--engine ray reads --input files, not text files (nor writes --html)")
    if not args.input or not args.output:
        raise UserError("--engine ray needs --input DIR_OR_GLOB and --output DIR")
    fmt = args.format or "jsonl"
    if fmt not in RAY_FORMATS:
        raise UserError(f"--engine ray writes {' or '.join(RAY_FORMATS)}")
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UserError(f"--output {args.output}: with --engine ray, a directory")
    try:
        published = parse_published(args.published, "--published")
        model = find_model(args.model, args.backend)
        files = input_files(args.input)
    except (InputError, ModelLoadError, ValueError) as exc:
        raise UserError(str(exc)) from None
    try:
        import ray
    except ImportError:
        raise UserError("--engine ray needs the 'ray' package: pip install 'diplo-ie[ray]'") from None
    if not ray.is_initialized():
        ray.init()  # the cluster of RAY_ADDRESS, else a new local instance
    # Workers may start in other directories, or on other machines where the shipped model is their own.
    spec = ExtractorSpec(
        None if args.model is None else str(model.resolve()), args.precision, args.backend, args.batch_size
    )
    workers = args.workers
    with tqdm(unit="article", disable=None, file=sys.stderr) as bar:
        summary = run_job(files, out, fmt, spec, workers=workers, published=published, progress=bar.update)
    resumed = f", {summary.skipped} skipped (already in {args.output})" if summary.skipped else ""
    print(
        f"diplo-ie: {summary.processed} article(s) processed, {summary.errors} error(s){resumed}",
        file=sys.stderr,
    )
    return 1 if summary.errors else 0
