"""``diplo-ie train CONFIG.yaml [--set key=value ...] [--resume]``."""

from __future__ import annotations

import argparse

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.options import add_config_overrides, warn_of_emulated_bfloat16


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("train", help="fine-tune a model from a YAML config")
    p.add_argument("config", help="YAML config (see configs/)")
    add_config_overrides(p, "training.epochs=3")
    p.add_argument("--resume", action="store_true", help="continue from OUTPUT_DIR/checkpoint")
    p.set_defaults(func=_train)


def _train(args: argparse.Namespace) -> int:
    from diplo_ie.run_folder import FolderInUse
    from diplo_ie.training import ConfigError, load_config, train

    try:
        config = load_config(args.config, args.overrides)
        warn_of_emulated_bfloat16(config.training.precision)
        train(config, resume=args.resume)
    except (ConfigError, FolderInUse) as exc:
        raise UserError(str(exc)) from None
    return 0
