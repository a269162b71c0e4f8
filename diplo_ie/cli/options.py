"""Options that several commands share."""

from __future__ import annotations

import argparse

from diplo_ie.precision import DEFAULT_PRECISION, PRECISIONS


def add_precision(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default=DEFAULT_PRECISION,
        help=f"encoder precision: {purpose} (default: %(default)s)",
    )
