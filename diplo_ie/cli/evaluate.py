"""``diplo-ie evaluate MODEL DATA... --report DIR``."""

from __future__ import annotations

import argparse
from pathlib import Path

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.options import add_backend, add_precision, check_backend_options


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("evaluate", help="score a model on gold annotations; write report.md/json")
    p.add_argument("model", help="model directory (save_pretrained)")
    p.add_argument("data", nargs="+", help="annotation JSONL files or directories")
    p.add_argument("--report", required=True, help="directory for report.md and report.json")
    p.add_argument("--split", help="only documents of this split (e.g. dev); default: all")
    p.add_argument("--batch-size", type=int, default=16)
    add_precision(p, "to measure what bfloat16 extraction costs in quality")
    add_backend(p, "an ONNX export (diplo-ie export onnx) as MODEL")
    p.set_defaults(func=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    from diplo_ie.annotations import AnnotationFormatError, load_documents
    from diplo_ie.core.errors import ModelLoadError
    from diplo_ie.evaluation import evaluate, write_report
    from diplo_ie.modeling.model import DiploModel
    from diplo_ie.pipeline import load

    check_backend_options(args)
    if not (Path(args.model) / "config.json").is_file():
        raise UserError(f"{args.model}: not a model directory (no config.json)")
    missing = [p for p in args.data if not Path(p).exists()]
    if missing:
        raise UserError(f"no such file or directory: {', '.join(missing)}")
    try:
        docs, warnings = load_documents(args.data, skip_unavailable=True)
    except AnnotationFormatError as exc:
        raise UserError(str(exc)) from None
    for warning in warnings:
        print(f"warning: {warning}")
    if args.split:
        docs = [d for d in docs if d.split == args.split]
    if not docs:
        raise UserError("no documents to evaluate")
    if args.backend == "onnx":
        try:  # checks that MODEL is an export, and reports an unreadable one in one line
            model = load(args.model, backend="onnx").model
        except ModelLoadError as exc:
            raise UserError(str(exc)) from None
    else:
        model = DiploModel.from_pretrained(args.model)
        model.set_precision(args.precision)
    results = evaluate(model, docs, args.batch_size)
    write_report(results, args.report)
    for group, m in results.items():
        events = f", event F1 {m['events']['event']['f1']}" if "events" in m else ""
        print(
            f"{group}: {m['documents']} docs, span F1 {m['spans']['micro']['f1']:.3f}, "
            f"relation F1 {m['relations']['micro']['f1']:.3f}{events}"
        )
    print(f"report written to {args.report}/report.md")
    return 0
