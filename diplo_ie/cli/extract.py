"""``diplo-ie extract``: events from text files, stdin, or a JSONL batch with resumable output."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.options import add_precision
from diplo_ie.export import batch_record, csv_rows, csv_writer, plover_records, render_table
from diplo_ie.inputs import InputError, decode_bytes
from diplo_ie.schema import CallEvent

FORMATS = ("table", "json", "jsonl", "csv", "plover")


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
        "--published", help="publication date (YYYY-MM-DD) of the file(s), to resolve relative dates"
    )
    p.add_argument("--model", help="a saved model directory (default: the shipped model)")
    p.add_argument("--batch-size", type=int, default=16)
    add_precision(p, "bfloat16 is faster on CPUs that support it")
    p.add_argument("--html", help="also write a visual view of the article(s) to this HTML file")
    p.set_defaults(func=run)


@dataclass
class _Item:
    id: str
    text: str
    published: str | None


def run(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    if args.input and args.files:
        raise UserError("give either text files or --input, not both")
    fmt = args.format or ("jsonl" if args.input else "table")
    if args.html and args.input:
        raise UserError("--html works with text files, not with --input batches")
    import diplo_ie.extractor as extractor_module  # heavy (torch): imported only when extracting

    try:
        extractor = extractor_module.load(args.model, args.precision)
    except extractor_module.ModelNotFoundError as exc:
        raise UserError(str(exc)) from None
    if args.input:
        return _run_batch(args, extractor, fmt)
    return _run_files(args, extractor, fmt)


def _read_file(name: str) -> str:
    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    try:
        return decode_bytes(path.read_bytes(), name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def _run_files(args: argparse.Namespace, extractor, fmt: str) -> int:
    names = args.files or ["-"]
    failures = 0
    results: list[tuple[str, str, list[CallEvent]]] = []
    for name in names:
        try:
            text = _read_file(name)
            events = extractor.extract(text, published=args.published)
        except InputError as exc:
            print(f"diplo-ie: error: {exc}", file=sys.stderr)
            failures += 1
            continue
        results.append((name, text, events))
    with _open_output(args.output, append=False) as out:
        _write_results(out, fmt, [(n, e) for n, _, e in results])
    if args.html:
        from diplo_ie.visualize import render_html

        Path(args.html).write_text(render_html([(n, t, e) for n, t, e in results]), encoding="utf-8")
    return 1 if failures else 0


def _write_results(out: TextIO, fmt: str, results: list[tuple[str, list[CallEvent]]]) -> None:
    if fmt == "table":
        out.write("\n\n".join(render_table(name, events) for name, events in results) + "\n")
    elif fmt == "json":
        payload = [batch_record(name, events) for name, events in results]
        out.write(
            json.dumps(payload if len(payload) != 1 else payload[0], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        writer = _RecordWriter(out, fmt, write_header=True)
        for name, events in results:
            writer.write(name, events)


class _open_output:
    """stdout, or a file opened for writing/appending, as a context manager."""

    def __init__(self, path: str | None, append: bool):
        self._path, self._append, self._fh = path, append, None

    def __enter__(self) -> TextIO:
        if self._path is None:
            return sys.stdout
        try:
            self._fh = open(self._path, "a" if self._append else "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"{self._path}: cannot write ({exc.strerror})") from None
        return self._fh

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            self._fh.close()


class _RecordWriter:
    """Writes jsonl, csv or plover records and flushes after each article so nothing is lost on a crash."""

    def __init__(self, out: TextIO, fmt: str, write_header: bool):
        self._out, self._fmt = out, fmt
        self._csv = csv_writer(out, write_header) if fmt == "csv" else None

    def write(self, article_id: str, events: list[CallEvent]) -> None:
        if self._fmt == "jsonl":
            self._out.write(json.dumps(batch_record(article_id, events), ensure_ascii=False) + "\n")
        elif self._fmt == "plover":
            for row in plover_records(article_id, events):
                self._out.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self._csv is not None:
            self._csv.writerows(csv_rows(article_id, events))
        self._out.flush()


def _done_ids(path: str | None, fmt: str) -> set[str]:
    """Ids already in the output file, so a rerun continues where the last one stopped."""
    if path is None or not Path(path).is_file():
        return set()
    done: set[str] = set()
    with open(path, encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            return {row["article_id"] for row in csv.DictReader(fh) if row.get("article_id")}
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut off by a crash: that article is redone
            done.add(str(record.get("id", record.get("article_id"))))
    return done


def _batch_items(path: Path, done: set[str]) -> Iterator[_Item | str]:
    """Items of a JSONL batch, or an error message for each line that cannot be used."""
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
                yield f"{where}: malformed JSON ({exc.msg})"
                continue
            if not isinstance(record, dict) or "text" not in record:
                yield f'{where}: a line must be a JSON object with "text"'
                continue
            item_id = str(record.get("id", lineno))
            if item_id not in done:
                yield _Item(item_id, record["text"], record.get("published"))


def _run_batch(args: argparse.Namespace, extractor, fmt: str) -> int:
    if fmt not in ("jsonl", "csv", "plover"):
        raise UserError("--input batches write jsonl, csv or plover")
    source = Path(args.input)
    if not source.is_file():
        raise UserError(f"{args.input}: no such file")
    done = _done_ids(args.output, fmt)
    total = sum(1 for line in source.open("rb") if line.strip())
    errors = 0
    write_header = not (args.output and Path(args.output).is_file() and Path(args.output).stat().st_size)
    with _open_output(args.output, append=True) as out:
        writer = _RecordWriter(out, fmt, write_header=write_header)
        bar = tqdm(total=total, initial=len(done), unit="article", disable=None, file=sys.stderr)
        pending: list[_Item] = []
        for item in _batch_items(source, done):
            if isinstance(item, str):
                print(f"diplo-ie: error: {item}", file=sys.stderr)
                errors += 1
                bar.update(1)
                continue
            pending.append(item)
            if len(pending) == args.batch_size:
                errors += _flush(extractor, pending, writer, bar)
                pending = []
        errors += _flush(extractor, pending, writer, bar)
        bar.close()
    print(f"diplo-ie: {total - len(done)} article(s) processed, {errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


def _flush(extractor, items: list[_Item], writer: _RecordWriter, bar: tqdm) -> int:
    if not items:
        return 0
    results = extractor.extract_batch(
        [i.text for i in items], published=[i.published for i in items], on_error="return"
    )
    errors = 0
    for item, result in zip(items, results, strict=True):
        if isinstance(result, InputError):
            print(f"diplo-ie: error: article {item.id}: {result}", file=sys.stderr)
            errors += 1
        else:
            writer.write(item.id, result)
        bar.update(1)
    return errors
