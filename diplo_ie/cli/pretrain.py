"""``diplo-ie pretrain``: train the project's tokenizer and encoder (masked LM or ELECTRA) on the corpora."""

from __future__ import annotations

import argparse
from pathlib import Path

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.options import add_config_overrides, warn_of_emulated_bfloat16
from diplo_ie.pretraining.config import DataConfig


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pretrain", help="train the tokenizer and pretrain the encoder")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sub.add_parser("tokenizer", help="train a byte-level BPE tokenizer on the corpus")
    _corpus_arguments(p)
    p.add_argument("--out", required=True, help="directory for the Hugging Face tokenizer files")
    p.add_argument("--vocab-size", type=int, default=16000)
    p.set_defaults(func=_tokenizer)

    p = sub.add_parser(
        "encoder",
        aliases=["mlm"],
        help="pretrain a small RoBERTa encoder (model.objective: mlm or electra)",
    )
    p.add_argument("config", help="YAML config, e.g. configs/pretrain-electra.yaml")
    add_config_overrides(p, "training.learning_rate=0.001")
    p.add_argument("--resume", action="store_true", help="continue from <output_dir>/checkpoint")
    p.add_argument("--output-dir", default=None, help="override output_dir")
    p.add_argument("--tokenizer", default=None, help="override data.tokenizer (tokenizer directory)")
    p.add_argument(
        "--max-minutes",
        type=float,
        default=None,
        help="stop cleanly (checkpoint + export) after this many minutes of this invocation",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_encoder)

    p = sub.add_parser(
        "export", help="export the encoder of a pretraining's latest checkpoint (while it runs, or stopped)"
    )
    p.add_argument("output_dir", help="the pretraining's output_dir (holds checkpoint/)")
    p.add_argument("--out", required=True, help="directory for the encoder (fine-tune: model.encoder=DIR)")
    p.set_defaults(func=_export)

    p = sub.add_parser(
        "embeddings", help="token vectors from corpus co-occurrence (PPMI + SVD) to start a new encoder from"
    )
    _corpus_arguments(p)
    p.add_argument("--tokenizer", required=True, help="tokenizer directory (the encoder's tokenizer)")
    p.add_argument("--out", required=True, help="directory for embeddings.safetensors and embeddings.json")
    p.add_argument("--dim", type=int, default=256, help="vector size = the encoder's hidden size")
    p.add_argument("--window", type=int, default=5, help="co-occurrence window in tokens")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_embeddings)


def _corpus_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, help="JSONL(.gz) corpus with a 'text' field")
    p.add_argument(
        "--heldout-every",
        type=int,
        default=DataConfig.model_fields["heldout_every"].default,
        help="skip every n-th article, as the MLM held-out slice does (0: use all)",
    )
    p.add_argument("--max-articles", type=int, default=None, help="use at most this many articles")


def _tokenizer(args: argparse.Namespace) -> int:
    from diplo_ie.pretraining.corpus import training_texts
    from diplo_ie.pretraining.tokenizer import train_and_save

    if not Path(args.corpus).is_file():
        raise UserError(f"no such corpus file: {args.corpus}")
    if args.vocab_size < 300:
        raise UserError("--vocab-size must be at least 300 (256 byte symbols + special tokens)")
    tokenizer = train_and_save(
        training_texts(args.corpus, args.heldout_every, args.max_articles),
        args.out,
        vocab_size=args.vocab_size,
    )
    print(f"tokenizer with {len(tokenizer)} tokens saved to {args.out}")
    return 0


def _encoder(args: argparse.Namespace) -> int:
    # Imported here so ``diplo-ie --help`` and the annotation commands do not pay for importing torch.
    from diplo_ie.config import ConfigError, with_values
    from diplo_ie.pretraining.config import load_config
    from diplo_ie.pretraining.trainer import FINAL_DIR, run
    from diplo_ie.run_folder import FolderInUse

    flags = {
        "output_dir": args.output_dir,
        "training.max_minutes": args.max_minutes,
        "data.tokenizer": args.tokenizer,
    }
    try:
        config = with_values(
            load_config(args.config, args.overrides), {k: v for k, v in flags.items() if v is not None}
        )
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    for corpus in config.data.corpora:
        if not Path(corpus).is_file():
            raise UserError(f"no such corpus file: {corpus}")
    if not (Path(config.data.tokenizer) / "tokenizer.json").is_file():
        raise UserError(f"no tokenizer in {config.data.tokenizer} (run 'diplo-ie pretrain tokenizer' first)")
    if config.training.device == "cpu":
        warn_of_emulated_bfloat16(config.training.precision)
    try:
        result = run(config, resume=args.resume, progress=not args.no_progress)
    except (FileNotFoundError, FolderInUse) as exc:
        raise UserError(str(exc)) from None
    print(
        f"stopped at step {result.step} ({result.stopped_by}) after {result.tokens:,} tokens; held-out loss "
        f"{result.heldout_start} -> {result.heldout_last}; encoder in {config.output_dir}/{FINAL_DIR}"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from diplo_ie.pretraining.trainer import export_checkpoint

    try:
        state = export_checkpoint(Path(args.output_dir), Path(args.out))
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    print(f"encoder of step {state.step} ({state.tokens:,} tokens) exported to {args.out}")
    return 0


def _embeddings(args: argparse.Namespace) -> int:
    from diplo_ie.modeling.tokenizer import load_tokenizer
    from diplo_ie.pretraining.corpus import training_texts
    from diplo_ie.pretraining.embeddings import save_embeddings, train_embeddings

    if not Path(args.corpus).is_file():
        raise UserError(f"no such corpus file: {args.corpus}")
    if not (Path(args.tokenizer) / "tokenizer.json").is_file():
        raise UserError(f"no tokenizer in {args.tokenizer}")
    if args.dim < 1 or args.window < 1:
        raise UserError("--dim and --window must be positive")
    tokenizer = load_tokenizer(args.tokenizer)
    texts = training_texts(args.corpus, args.heldout_every, args.max_articles)
    ids = (tokenizer(text, add_special_tokens=False)["input_ids"] for text in texts)
    vectors, info = train_embeddings(
        ids, len(tokenizer), args.dim, args.window, progress=not args.no_progress
    )
    save_embeddings(vectors, info, args.out)
    print(f"{info.vocab_size} x {info.dim} vectors from {info.articles} articles ({info.tokens} tokens)")
    print(f"saved to {args.out}")
    return 0
