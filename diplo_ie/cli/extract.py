"""``diplo-ie extract``: events from text files, stdin, or a JSONL batch with resumable output.

Everything the user gave is checked before the model is loaded (a few seconds), so a mistyped date or path
is reported at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.options import add_backend, add_precision, check_backend_options
from diplo_ie.cli.output import BatchWriter, Output, render, utf8
from diplo_ie.core.errors import InputError, ModelLoadError
from diplo_ie.core.schema import CallEvent
from diplo_ie.output.formats import batch_record, render_table
from diplo_ie.text.inputs import decode_bytes, parse_published

FORMATS = ("table", "json", "jsonl", "csv", "plover", "parquet")
ENGINES = ("local", "ray")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "extract",
        help="extract call events from articles",
        description="Extract call events from text files (or stdin), or from a JSONL batch with --input.",
    )
    p.add_argument("files", nargs="*", help="text files; '-' or nothing reads stdin")
    p.add_argument("--input", help='JSONL batch: one {"id", "text", optional "published"} per line')
    p.add_argument("--output", help="write here instead of stdout (batch output is appended and resumable)")
    p.add_argument("--format", choices=FORMATS, help="default: table for files, jsonl for --input")
    p.add_argument(
        "--published",
        help="publication date (YYYY-MM-DD) of the file(s), to resolve relative dates; with --input, the "
        'date of the lines that have no "published" of their own',
    )
    p.add_argument("--model", help="a saved model directory (default: the shipped model)")
    p.add_argument("--batch-size", type=int, default=16)
    add_precision(p, "bfloat16 is faster on CPUs that support it")
    add_backend(p, "an ONNX export (diplo-ie export onnx) as --model, by default the shipped int8 one")
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="ray: a Ray Data job over --input DIR_OR_GLOB (JSONL or Parquet files) into the directory "
        "--output, on the Ray instance of RAY_ADDRESS or a local one (pip install 'diplo-ie[ray]')",
    )
    p.add_argument("--workers", type=int, default=2, help="with --engine ray: model copies (actors) to run")
    p.add_argument("--html", help="also write a visual view of the article(s) to this HTML file")
    p.set_defaults(func=run)


@dataclass
class _Item:
    id: str
    text: str
    published: str | None


def run(args: argparse.Namespace) -> int:
    from diplo_ie.pipeline import find_model  # the extraction modules load only when extracting

    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    check_backend_options(args)
    if args.engine == "ray":
        from diplo_ie.cli.ray_engine import run_ray

        return run_ray(args)
    if args.format == "parquet":
        raise UserError("--format parquet needs --engine ray")
    if args.input and args.files:
        raise UserError("give either text files or --input, not both")
    if args.html and args.input:
        raise UserError("--html works with text files, not with --input batches")
    fmt = args.format or ("jsonl" if args.input else "table")
    if args.input and fmt not in ("jsonl", "csv", "plover"):
        raise UserError("--input batches write jsonl, csv or plover")
    try:
        published = parse_published(args.published, "--published")
        find_model(args.model, args.backend)
    except (InputError, ModelLoadError) as exc:
        raise UserError(str(exc)) from None
    if args.input:
        return _run_batch(args, fmt, published)
    return _run_files(args, fmt, published)


def _load(args: argparse.Namespace):
    from diplo_ie.pipeline import load  # torch and the model: a few seconds

    try:
        return load(args.model, args.precision, args.backend)
    except (ModelLoadError, ImportError) as exc:
        raise UserError(str(exc)) from None


def _check_writable(path: str, option: str) -> None:
    target = Path(path)
    if target.is_dir():
        raise UserError(f"{option} {path}: is a directory")
    parent = target.parent
    if not parent.is_dir():
        raise UserError(f"{option} {path}: no such directory {parent}")
    if not os.access(target if target.exists() else parent, os.W_OK):
        raise UserError(f"{option} {path}: permission denied")


def _read_file(name: str) -> str:
    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a directory")
    if not path.exists():
        raise InputError(f"{name}: no such file")
    try:
        return decode_bytes(path.read_bytes(), name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def _run_files(args: argparse.Namespace, fmt: str, published: str | None) -> int:
    for path, option in ((args.output, "--output"), (args.html, "--html")):
        if path is not None:
            _check_writable(path, option)
    texts: list[tuple[str, str]] = []
    failures = 0
    for name in args.files or ["-"]:
        try:
            texts.append((name, _read_file(name)))
        except InputError as exc:
            print(f"diplo-ie: error: {exc}", file=sys.stderr)
            failures += 1
    if not texts:
        return 1
    extractor = _load(args)
    results: list[tuple[str, str, list[CallEvent]]] = []
    for name, text in texts:
        try:
            results.append((name, text, extractor.extract(text, published=published, name=name)))
        except InputError as exc:
            print(f"diplo-ie: error: {exc}", file=sys.stderr)
            failures += 1
    with Output(args.output) as out:
        out.write(_render_results(fmt, [(n, e) for n, _, e in results]))
    if args.html:
        from diplo_ie.output.html import Article, render_html

        page = render_html([Article(n, t, e, published) for n, t, e in results])
        try:
            Path(args.html).write_bytes(utf8(page))
        except OSError as exc:
            raise UserError(f"--html {args.html}: cannot write ({exc.strerror})") from None
    return 1 if failures else 0


def _render_results(fmt: str, results: list[tuple[str, list[CallEvent]]]) -> str:
    if fmt == "table":
        return "\n\n".join(render_table(name, events) for name, events in results) + "\n"
    if fmt == "json":
        payload = [batch_record(name, events) for name, events in results]
        return json.dumps(payload if len(payload) != 1 else payload[0], ensure_ascii=False, indent=2) + "\n"
    return "".join(render(fmt, name, events, header=i == 0) for i, (name, events) in enumerate(results))


def _batch_items(path: Path, published: str | None) -> Iterator[_Item | str]:
    """Items of a JSONL batch, or an error message for each line that cannot be used. ``published`` is the
    date of the lines without their own."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(decode_bytes(raw, where))
            except InputError as exc:
                yield str(exc)
                continue
            except json.JSONDecodeError as exc:
                yield f"{where}: malformed JSON ({exc})"
                continue
            if not isinstance(record, dict) or "text" not in record:
                yield f'{where}: a line must be a JSON object with "text"'
                continue
            own = record.get("published")
            yield _Item(str(record.get("id", lineno)), record["text"], published if own is None else own)


def _run_batch(args: argparse.Namespace, fmt: str, published: str | None) -> int:
    source = Path(args.input)
    if source.is_dir():
        raise UserError(f"--input {args.input}: is a directory")
    if not source.is_file():
        raise UserError(f"--input {args.input}: no such file")
    try:
        total = sum(1 for line in source.open("rb") if line.strip())
    except OSError as exc:
        raise UserError(f"--input {args.input}: cannot read ({exc.strerror})") from None
    with BatchWriter(args.output, fmt) as writer:
        extractor = _load(args)
        errors = processed = skipped = 0
        with tqdm(total=total, unit="article", disable=None, file=sys.stderr) as bar:
            pending: list[_Item] = []
            for item in _batch_items(source, published):
                if isinstance(item, str):
                    print(f"diplo-ie: error: {item}", file=sys.stderr)
                    errors += 1
                    bar.update(1)
                elif item.id in writer.done:
                    skipped += 1
                    bar.update(1)
                else:
                    pending.append(item)
                if len(pending) == args.batch_size:
                    errors += _flush(extractor, pending, writer, bar)
                    processed, pending = processed + len(pending), []
            errors += _flush(extractor, pending, writer, bar)
            processed += len(pending)
    resumed = f", {skipped} skipped (already in {args.output})" if skipped else ""
    print(f"diplo-ie: {processed} article(s) processed, {errors} error(s){resumed}", file=sys.stderr)
    return 1 if errors else 0


def _flush(extractor, items: list[_Item], writer: BatchWriter, bar: tqdm) -> int:
    if not items:
        return 0
    results = extractor.extract_batch(
        [i.text for i in items],
        published=[i.published for i in items],
        on_error="return",
        names=[f"article {i.id}" for i in items],
    )
    errors = 0
    for item, result in zip(items, results, strict=True):
        if isinstance(result, InputError):
            print(f"diplo-ie: error: {result}", file=sys.stderr)
            errors += 1
        else:
            writer.write(item.id, result)
    bar.update(len(items))
    return errors
