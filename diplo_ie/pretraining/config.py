"""Pretraining configuration: dataclasses loaded from YAML with strict key checking.

A misspelt key (``learning_rate`` for ``lr``) silently falling back to a default would waste a whole CPU run,
so unknown keys are an error that names the key and its section.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """The configuration file is unreadable or has unknown, missing or mistyped keys."""


OBJECTIVES = ("mlm", "electra")


@dataclass(frozen=True)
class ModelConfig:
    # "mlm": masked LM, loss on the masked positions only. "electra": replaced-token detection; a small
    # generator (sharing the token embeddings) fills the masks and the encoder kept learns to spot its fills.
    objective: str = "mlm"
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    # ELECTRA's generator: the paper found 1/4 to 1/2 of the discriminator's width best; same depth here.
    generator_hidden_size: int = 64
    generator_num_attention_heads: int = 1
    generator_intermediate_size: int = 256
    # Weight of the discriminator's per-token loss against the generator's MLM loss (ELECTRA: 50).
    discriminator_weight: float = 50.0


@dataclass(frozen=True)
class DataConfig:
    corpora: list[str] = field(default_factory=lambda: ["../shared/corpus/baomoi-2017.jsonl.gz"])
    # Token arrays of the corpora: built on first use, reused while the corpora, tokenizer and held-out
    # stride match.
    pack_dir: str = "runs/pretrain-pack"
    tokenizer: str = "tokenizer"
    seq_len: int = 128
    # Every n-th article of each corpus is held out from training for the held-out loss.
    heldout_every: int = 500
    heldout_max_sequences: int = 256
    mask_prob: float = 0.15
    # Mask all tokens of a whitespace-delimited word together (foreign names split into several tokens).
    whole_word: bool = True
    # Also mask a run of capitalised words (a Vietnamese or foreign name, "Tập Cận Bình") as one unit.
    name_runs: bool = True


@dataclass(frozen=True)
class TrainConfig:
    output_dir: str = "pretrain-out"
    seed: int = 13
    batch_size: int = 32
    grad_accum: int = 1
    lr: float = 5e-4
    weight_decay: float = 0.01
    warmup_steps: int = 300
    # Length of the learning-rate schedule (optimizer steps); the run may stop earlier on --max-minutes.
    total_steps: int = 10000
    schedule: str = "linear"
    max_grad_norm: float = 1.0
    log_every: int = 20
    eval_every: int = 500
    checkpoint_minutes: float = 5.0
    max_minutes: float | None = None
    # When set, the learning rate decays over this many minutes of the invocation instead of over total_steps:
    # for a fixed-time run on a machine whose speed is not known in advance (total_steps then only caps it).
    schedule_minutes: float | None = None
    num_threads: int = 2
    # bf16 autocast for matmuls (fp32 master weights); on CPU only worth it with AMX or AVX512-BF16.
    bf16: bool = False
    device: str = "cpu"
    # torch.compile the transformer stacks (meant for GPU runs, where launching many small kernels dominates).
    compile: bool = False


@dataclass(frozen=True)
class PretrainConfig:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def validate(self) -> None:
        m = self.model
        if m.objective not in OBJECTIVES:
            raise ConfigError(f"model.objective must be one of {', '.join(OBJECTIVES)}")
        if m.hidden_size % m.num_attention_heads:
            raise ConfigError("model.hidden_size must be divisible by model.num_attention_heads")
        if m.generator_hidden_size % m.generator_num_attention_heads:
            raise ConfigError(
                "model.generator_hidden_size must be divisible by generator_num_attention_heads"
            )
        if not self.data.corpora:
            raise ConfigError("data.corpora must name at least one corpus")
        # The blind test articles must never be seen by any model, pretraining included.
        if any("blind" in Path(corpus).name for corpus in self.data.corpora):
            raise ConfigError("data.corpora: the blind test set must not be used for pretraining")
        if not 0 < self.data.mask_prob < 1:
            raise ConfigError("data.mask_prob must be between 0 and 1")
        if self.data.seq_len < 8:
            raise ConfigError("data.seq_len must be at least 8")
        if self.train.schedule not in ("linear", "cosine"):
            raise ConfigError("train.schedule must be 'linear' or 'cosine'")
        for name in ("batch_size", "grad_accum", "total_steps", "log_every", "eval_every"):
            if getattr(self.train, name) < 1:
                raise ConfigError(f"train.{name} must be at least 1")


def _coerce(value: Any, annotation: Any, where: str) -> Any:
    """Check ``value`` against a simple annotation (int, float, str, bool, list[str], optional thereof)."""
    if typing.get_origin(annotation) is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        (item,) = typing.get_args(annotation)
        return [_coerce(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        annotation = next(a for a in options if a is not type(None))
    # bool is an int subclass; ``seq_len: true`` is a mistake, not 1.
    if annotation is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if annotation in (int, str, bool) and type(value) is annotation:
        return value
    raise ConfigError(f"{where}: expected {annotation.__name__}, got {value!r}")


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        prefix = f"{where}." if where else ""
        raise ConfigError(f"unknown config key {prefix}{unknown[0]} (allowed: {', '.join(sorted(known))})")
    kwargs = {}
    for name, value in raw.items():
        key = f"{where}.{name}" if where else name
        hint = hints[name]
        kwargs[name] = (
            _build(hint, value, key) if dataclasses.is_dataclass(hint) else _coerce(value, hint, key)
        )
    return cls(**kwargs)


def config_from_dict(raw: dict[str, Any]) -> PretrainConfig:
    config = _build(PretrainConfig, raw, "")
    config.validate()
    return config


def load_config(path: str | Path) -> PretrainConfig:
    """Load a YAML config; relative paths inside it stay relative to the working directory."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    return config_from_dict(raw)


def config_to_dict(config: PretrainConfig) -> dict[str, Any]:
    return dataclasses.asdict(config)
