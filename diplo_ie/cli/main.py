"""The ``diplo-ie`` command.

Each module of this package that defines ``register(subparsers)`` adds one top-level subcommand, so a new
command is a new module. Errors a user can fix (:class:`UserError`) print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import diplo_ie
from diplo_ie.cli.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diplo-ie", description="Extract diplomatic phone-call events from Vietnamese news."
    )
    parser.add_argument("--version", action="version", version=f"diplo-ie {diplo_ie.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    package = importlib.import_module("diplo_ie.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"diplo_ie.cli.{info.name}")
        register = getattr(module, "register", None)
        if callable(register) and info.name != "main":
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"diplo-ie: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("diplo-ie: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
