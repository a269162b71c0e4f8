"""Options that several commands share."""

from __future__ import annotations

import argparse
import sys

from diplo_ie.cli.errors import UserError
from diplo_ie.modeling.backend import BACKENDS, DEFAULT_BACKEND
from diplo_ie.modeling.precision import DEFAULT_PRECISION, PRECISIONS, emulated_bfloat16_warning


def add_precision(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=DEFAULT_PRECISION,
        help=f"encoder precision: {purpose} (default: %(default)s)",
    )


def warn_of_emulated_bfloat16(precision: str) -> None:
    """Training or pretraining steps in bfloat16 on a CPU that would emulate it: say so before hours go."""
    warning = emulated_bfloat16_warning(precision)
    if warning is not None:
        print(f"warning: {warning}", file=sys.stderr)


def add_backend(parser: argparse.ArgumentParser, model: str) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=DEFAULT_BACKEND,
        help=f"engine of the forward pass: torch, or onnx for ONNX Runtime (pip install 'diplo-ie[onnx]'), "
        f"which reads {model} (default: %(default)s)",
    )


def check_backend_options(args: argparse.Namespace) -> None:
    if args.backend == "onnx" and args.precision != DEFAULT_PRECISION:
        raise UserError("--precision is for the torch backend: an ONNX export has its own (--quantize)")


def add_config_overrides(parser: argparse.ArgumentParser, example: str) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"override a config value, e.g. --set {example} (repeatable)",
    )
