"""Pretrain the encoder on one GPU in a fixed number of minutes, from a token pack small enough to carry.

Two steps, the first on the machine with the corpora, the second on the GPU machine (which has no corpus and
gets only the repository plus the folders it is given):

    python bench/pretrain_device.py pack [--out runs/device-pack] [--max-tokens 20000000]
    python bench/pretrain_device.py train --out OUT_DIR [--pack runs/device-pack] [--minutes 7.5]

``pack`` tokenizes the first ``--max-tokens`` training tokens of the corpora of the config (half from each,
held-out articles set aside as in CPU pretraining) with the shipped tokenizer and stores them xz-compressed
(about 0.81 bytes a token: 20M tokens take about 16 MiB). Where the copy to the GPU machine has a size limit,
the rest of what is copied (the tracked and untracked, not ignored files) counts too:
``git ls-files -co --exclude-standard -z | du -cb --files0-from=-``.

``train`` runs the config (default ``configs/pretrain-device.yaml``: masked LM, bfloat16, batch 512,
``torch.compile``) for ``--minutes``, with the learning rate decaying over those minutes, then writes to
``--out``: ``encoder/`` (config, tokenizer and the weights as bfloat16 safetensors shards of at most 15 MiB,
which ``from_pretrained`` loads as float32) and ``log.jsonl`` (tokens seen, losses, tokens/s). Fine-tune with
``--set model.encoder=<that encoder directory>``. Checkpoints go to ``--work``, outside the output.

About a minute goes to start-up, compilation happens inside the minutes, and the final evaluation and export
take seconds: with the default 7.5 minutes the whole command stays under 10.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the GPU machine runs the repository as it is, without installing it

from transformers import AutoTokenizer, RobertaModel  # noqa: E402

from diplo_ie.config import with_values  # noqa: E402
from diplo_ie.pretraining.config import load_config  # noqa: E402
from diplo_ie.pretraining.data import build_pack  # noqa: E402
from diplo_ie.pretraining.trainer import FINAL_DIR, LOG_FILE, export_encoder, run  # noqa: E402

DEFAULT_CONFIG = REPO / "configs" / "pretrain-device.yaml"
# Leaves room for the safetensors header under the 15 MiB a returned file may have.
SHARD_BYTES = 14 * 2**20


def _pack(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    d = config.data
    tokenizer = AutoTokenizer.from_pretrained(d.tokenizer)
    manifest = build_pack(d.corpora, tokenizer, d.heldout_every, args.out, args.max_tokens, compress=True)
    size = sum(p.stat().st_size for p in Path(args.out).iterdir())
    print(f"{manifest['train_tokens']:,} training tokens, {size / 2**20:.1f} MiB in {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    config = with_values(
        config,
        {
            "output_dir": str(args.work),
            "data.pack_dir": str(args.pack),
            "training.max_minutes": args.minutes,
            "training.schedule_minutes": args.minutes,
            "training.device": args.device,
            "training.compile": config.training.compile and not args.no_compile,
            "training.total_steps": args.max_steps or config.training.total_steps,
        },
    )
    result = run(config, progress=False)
    out = Path(args.out)
    final = Path(args.work) / FINAL_DIR
    export_encoder(
        RobertaModel.from_pretrained(str(final), add_pooling_layer=False),
        AutoTokenizer.from_pretrained(str(final)),
        out / "encoder",
        max_shard_bytes=SHARD_BYTES,
        bf16_weights=True,
    )
    shutil.copy(Path(args.work) / LOG_FILE, out / LOG_FILE)
    print(
        f"{result.step} steps, {result.tokens:,} tokens ({result.stopped_by}); held-out loss "
        f"{result.heldout_start} -> {result.heldout_last}; encoder in {out / 'encoder'}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("pack", help="tokenize and compress part of the corpora (run where they are)")
    p.add_argument("--out", default="runs/device-pack")
    p.add_argument("--max-tokens", type=int, default=20_000_000)
    p.set_defaults(func=_pack)
    p = sub.add_parser("train", help="pretrain on the pack and write the encoder shards")
    p.add_argument("--out", required=True, help="directory for encoder/ and log.jsonl")
    p.add_argument("--pack", default="runs/device-pack")
    p.add_argument("--work", default="/tmp/pretrain-device", help="checkpoints and the fp32 export")
    p.add_argument("--minutes", type=float, default=7.5)
    p.add_argument("--device", default="cuda")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (smoke tests)")
    p.add_argument("--no-compile", action="store_true")
    p.set_defaults(func=_train)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
