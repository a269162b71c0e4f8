"""Training configuration (YAML), strictly validated: an unknown or mistyped key is an error with its path."""

from __future__ import annotations

import copy
import dataclasses
import difflib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from diplo_ie.core.labels import SOURCES
from diplo_ie.modeling.config import EncodingConfig, HeadConfig
from diplo_ie.modeling.precision import Precision


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataConfig(_Strict):
    annotations: list[str] = Field(default_factory=lambda: ["annotations"])
    train_sources: list[Literal["seed", "written", "corpus"]] = Field(default_factory=lambda: list(SOURCES))
    train_splits: list[Literal["train", "dev", "test"]] = Field(default_factory=lambda: ["train"])
    dev_split: Literal["train", "dev", "test"] | None = "dev"


class ModelConfig(_Strict):
    # "random": a fresh encoder built from encoder_config; otherwise a local directory or hub name.
    encoder: str = "random"
    encoder_config: dict[str, Any] = Field(default_factory=dict)
    # "train-from-data": a byte-level BPE learned from the training texts; otherwise a directory or hub name
    # (default: the encoder's own tokenizer).
    tokenizer: str | None = None
    tokenizer_vocab_size: int = 2000
    # A random encoder's word embeddings start from these vectors (`diplo-ie pretrain embeddings`): a
    # directory or an embeddings.safetensors file made with the same tokenizer and hidden size.
    embeddings: str | None = None
    # The model's own dataclasses, validated by pydantic: YAML keys are exactly what the model stores.
    encoding: EncodingConfig = Field(default_factory=EncodingConfig)
    heads: HeadConfig = Field(default_factory=HeadConfig)


class TrainingSettings(_Strict):
    epochs: int = 10
    batch_size: int = 8
    eval_batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float | None = None  # heads are fresh: they may learn faster than the encoder
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    gradient_accumulation_steps: int = 1
    max_grad_norm: float = 1.0
    early_stopping_patience: int = 3
    # Each epoch, this share of the training articles is seen with other names, titles, dates and durations
    # in place of theirs (diplo_ie.training.augment); 0 trains on the articles as written.
    augment_prob: float = Field(default=0.0, ge=0.0, le=1.0)
    dev_metric: Literal["event", "span_relation"] = "event"
    # bfloat16 runs the training steps under autocast: faster on CPUs with bfloat16 support. Weights and
    # optimizer stay float32, and so does dev evaluation: a saved model reproduces its recorded scores.
    precision: Precision = "float32"


class TrainConfig(_Strict):
    seed: int = 13
    output_dir: str = "runs/model"
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    training: TrainingSettings = Field(default_factory=TrainingSettings)


class ConfigError(ValueError):
    """A configuration problem; the message names the key path."""


def _fields(section: type) -> dict[str, Any]:
    """Field name -> annotation, for pydantic models and stdlib dataclasses alike."""
    if isinstance(section, type) and issubclass(section, BaseModel):
        return {k: f.annotation for k, f in section.model_fields.items()}
    if dataclasses.is_dataclass(section):
        return {f.name: f.type for f in dataclasses.fields(section)}
    return {}


def _known_keys(model: type, path: tuple[Any, ...]) -> list[str]:
    section: Any = model
    for key in path:
        section = _fields(section).get(str(key))
    return list(_fields(section)) if isinstance(section, type) else []


def _abbreviation_of(key: str, known: list[str]) -> list[str]:
    """Known keys that ``key`` abbreviates ("lr" -> "learning_rate"): same first letter, letters in order."""

    def is_subsequence(short: str, long: str) -> bool:
        it = iter(long)
        return all(ch in it for ch in short)

    return [k for k in known if k[:1] == key[:1] and is_subsequence(key, k)][:1]


def _describe(error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    path = ".".join(str(p) for p in loc)
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        known = _known_keys(TrainConfig, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5) or _abbreviation_of(
            str(loc[-1]), known
        )
        hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(known)})" if known else ""
        return f"{path}: unknown key{hint}"
    return f"{path}: {error['msg']} (got {error.get('input')!r})"


def parse_override(item: str) -> tuple[list[str], Any]:
    """``a.b.c=value`` -> (["a", "b", "c"], value parsed as YAML)."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
    key, value = item.split("=", 1)
    return key.strip().split("."), yaml.safe_load(value)


def build_config(data: dict[str, Any], overrides: list[str] = ()) -> TrainConfig:  # type: ignore[assignment]
    data = copy.deepcopy(data)  # overrides must not write into the caller's nested sections
    for item in overrides:
        keys, value = parse_override(item)
        node = data
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {item!r}: {k} is not a section")
        node[keys[-1]] = value
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(e) for e in exc.errors())) from None


def load_config(path: str | Path, overrides: list[str] = ()) -> TrainConfig:  # type: ignore[assignment]
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping")
    return build_config(data, overrides)
