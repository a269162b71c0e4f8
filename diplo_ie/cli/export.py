"""``diplo-ie export onnx MODEL_DIR OUT_DIR``: a saved model as ONNX graphs for ``--backend onnx``."""

from __future__ import annotations

import argparse
from pathlib import Path

from diplo_ie.cli.errors import UserError

QUANTIZATIONS = ("int8",)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export a saved model for another runtime")
    sub = parser.add_subparsers(dest="target", metavar="TARGET", required=True)
    p = sub.add_parser(
        "onnx",
        help="ONNX graphs of the encoder and heads, with the tokenizer and config, for --backend onnx",
        description="Export a saved model to ONNX (needs pip install 'diplo-ie[onnx]').",
    )
    p.add_argument("model", help="saved model directory (e.g. diplo_ie/models/default)")
    p.add_argument("out", help="directory to write (created if needed)")
    p.add_argument(
        "--quantize",
        choices=QUANTIZATIONS,
        help="dynamic int8 quantization of the encoder: about 4x smaller and faster on CPUs; "
        "check its scores with diplo-ie evaluate OUT ... --backend onnx",
    )
    p.set_defaults(func=_export_onnx)


def _export_onnx(args: argparse.Namespace) -> int:
    model = Path(args.model)
    if not (model / "config.json").is_file() or not (model / "model.safetensors").is_file():
        raise UserError(f"{args.model}: not a saved model directory (no config.json/model.safetensors)")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{args.out}: exists and is not a directory")
    from diplo_ie.modeling.onnx_export import export_onnx  # torch: a few seconds

    try:
        export_onnx(model, out, args.quantize)
    except ImportError as exc:
        raise UserError(str(exc)) from None
    print(f"ONNX export written to {out} (use it with --backend onnx --model {out})")
    return 0
