"""Options that several commands share."""

from __future__ import annotations

import argparse

from diplo_ie.cli.errors import UserError
from diplo_ie.modeling.backend import BACKENDS, DEFAULT_BACKEND
from diplo_ie.modeling.precision import DEFAULT_PRECISION, PRECISIONS


def add_precision(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=DEFAULT_PRECISION,
        help=f"encoder precision: {purpose} (default: %(default)s)",
    )


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
