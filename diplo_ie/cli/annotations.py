"""``diplo-ie annotations``: validate, count, compile and convert annotation files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from diplo_ie.annotations import brat, labelstudio
from diplo_ie.annotations.compact import CompactError, compile_compact
from diplo_ie.annotations.corpus import CorpusUnavailableError
from diplo_ie.annotations.stats import compute_stats, render_stats
from diplo_ie.annotations.store import (
    AnnotationFormatError,
    annotation_files,
    load_documents,
    read_records,
    save_documents,
)
from diplo_ie.annotations.validate import validate_paths
from diplo_ie.cli.errors import UserError

FORMATS = ("jsonl", "labelstudio", "brat")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("annotations", help="validate, count, compile and convert annotations")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sub.add_parser("validate", help="check annotation files; exit 1 on any error")
    p.add_argument("paths", nargs="+", help="JSONL files or directories")
    p.set_defaults(func=_validate)

    p = sub.add_parser("stats", help="documents, spans per label, events per status, relations per type")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=_stats)

    p = sub.add_parser("compile", help="compile compact records (spans by text) into the full format")
    p.add_argument("source", help="JSONL file of compact records")
    p.add_argument("-o", "--output", required=True, help="JSONL file to write")
    p.set_defaults(func=_compile)

    p = sub.add_parser("draft", help="pre-annotate corpus articles with a model, in the compact form")
    p.add_argument("model", help="saved model directory (e.g. diplo_ie/models/default)")
    p.add_argument("--corpus", required=True, help="registered corpus name, e.g. vnds-2016-2019")
    p.add_argument("--ids", required=True, help="file with one article id per line")
    p.add_argument("-o", "--output", required=True, help="JSONL file of compact drafts to write")
    p.set_defaults(func=_draft)

    p = sub.add_parser("agree", help="inter-annotator agreement of two annotations of the same articles")
    p.add_argument("first", help="JSONL file/directory of the first annotation")
    p.add_argument("second", help="JSONL file/directory of the second (ids may end in #2)")
    p.add_argument("--show-differences", action="store_true", help="list the events only one side has")
    p.set_defaults(func=_agree)

    p = sub.add_parser("convert", help="convert between JSONL, Label Studio JSON and BRAT standoff")
    p.add_argument("source", help="JSONL file/directory, Label Studio JSON file, or BRAT directory")
    p.add_argument("output", help="output file (jsonl, labelstudio) or directory (brat)")
    p.add_argument("--from", dest="src_format", choices=FORMATS, default="jsonl")
    p.add_argument("--to", dest="dst_format", choices=FORMATS, required=True)
    p.set_defaults(func=_convert)


def _require_paths(paths: list[str]) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UserError(f"no such file or directory: {', '.join(missing)}")


def _validate(args: argparse.Namespace) -> int:
    _require_paths(args.paths)
    files = annotation_files(args.paths)
    problems = validate_paths(args.paths)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _load(paths: list[str]) -> list:
    _require_paths(paths)
    try:
        docs, warnings = load_documents(paths, skip_unavailable=True)
    except AnnotationFormatError as exc:
        raise UserError(str(exc)) from None
    for warning in warnings:
        print(f"warning: {warning}")
    return docs


def _stats(args: argparse.Namespace) -> int:
    print(render_stats(compute_stats(_load(args.paths))))
    return 0


def _compile(args: argparse.Namespace) -> int:
    _require_paths([args.source])
    source = Path(args.source)
    docs = []
    try:
        for loc, record in read_records(source):
            try:
                docs.append(compile_compact(record, source.parent))
            except (CompactError, KeyError, CorpusUnavailableError) as exc:
                raise UserError(f"{loc}: {record.get('id', '?')}: {exc}") from None
    except AnnotationFormatError as exc:
        raise UserError(str(exc)) from None
    save_documents(docs, args.output)
    print(f"compiled {len(docs)} document(s) into {args.output}")
    return 0


def _draft(args: argparse.Namespace) -> int:
    from diplo_ie.annotations.draft import draft_records
    from diplo_ie.pipeline import load

    _require_paths([args.ids, args.model])
    ids = [line.strip() for line in Path(args.ids).read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        records = draft_records(load(args.model).model, args.corpus, ids)
    except (KeyError, CorpusUnavailableError) as exc:
        raise UserError(str(exc).strip("'\"")) from None
    with open(args.output, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"drafted {len(records)} article(s) into {args.output}: correct them, then compile")
    return 0


def _agree(args: argparse.Namespace) -> int:
    from diplo_ie.annotations.agreement import agreement, base_id, render_agreement

    second = _load([args.second])
    wanted = {base_id(d.id) for d in second}
    first = [d for d in _load([args.first]) if base_id(d.id) in wanted and "#" not in d.id]
    result = agreement(first, second)
    if result.documents == 0:
        raise UserError("no document of the second annotation is in the first")
    print(render_agreement(result))
    if args.show_differences:
        for side, doc_id, key in result.event_differences:
            print(f"{side}: {doc_id}: {key}")
    return 0


def _convert(args: argparse.Namespace) -> int:
    _require_paths([args.source])
    if args.src_format == args.dst_format:
        raise UserError("--from and --to are the same format")
    if args.src_format == "jsonl":
        docs = _load([args.source])
    elif args.src_format == "labelstudio":
        docs = labelstudio.from_labelstudio(json.loads(Path(args.source).read_text(encoding="utf-8")))
    else:
        docs = brat.read_brat(Path(args.source))
    if args.dst_format == "jsonl":
        save_documents(docs, args.output)
    elif args.dst_format == "labelstudio":
        Path(args.output).write_text(
            json.dumps(labelstudio.to_labelstudio(docs), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    else:
        brat.write_brat(docs, Path(args.output))
    print(f"converted {len(docs)} document(s) to {args.dst_format}: {args.output}")
    return 0
