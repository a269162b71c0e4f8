"""Training configuration (YAML), strictly validated: an unknown or mistyped key is an error with its path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from diplo_ie.config import StrictModel, from_dict, from_yaml
from diplo_ie.core.schema import SOURCES
from diplo_ie.modeling.config import EncodingConfig, FeatureGroup, HeadConfig
from diplo_ie.modeling.precision import Precision


class DataConfig(StrictModel):
    annotations: list[str] = Field(default_factory=lambda: ["annotations"])
    train_sources: list[Literal["seed", "written", "corpus"]] = Field(default_factory=lambda: list(SOURCES))
    train_splits: list[Literal["train", "dev", "test"]] = Field(default_factory=lambda: ["train"])
    dev_split: Literal["train", "dev", "test"] | None = "dev"


class ModelConfig(StrictModel):
    # "random": a fresh encoder built from encoder_config; otherwise a local directory or hub name.
    encoder: str = "random"
    encoder_config: dict[str, Any] = Field(default_factory=dict)
    # "train-from-data": a byte-level BPE learned from the training texts; otherwise a directory or hub name
    # (default: the encoder's own tokenizer).
    tokenizer: str | None = None
    tokenizer_vocab_size: int = 2000
    # The event type to learn: a spec JSON file (the format of diplo_ie/data/call_event.json); none: calls.
    event_spec: str | None = None
    # A random encoder's word embeddings start from these vectors (`diplo-ie pretrain embeddings`): a
    # directory or an embeddings.safetensors file made with the same tokenizer and hidden size.
    embeddings: str | None = None
    # The model's own dataclasses, validated by pydantic: YAML keys are exactly what the model stores.
    encoding: EncodingConfig = Field(default_factory=EncodingConfig)
    heads: HeadConfig = Field(default_factory=HeadConfig)
    # Lexical features added to the encoder's input (diplo_ie.modeling.lexical), stored with the model; none:
    # the encoder reads token ids alone.
    features: list[FeatureGroup] = Field(default_factory=list)

    @field_validator("features")
    @classmethod
    def _no_repeats(cls, groups: list[FeatureGroup]) -> list[FeatureGroup]:
        repeated = sorted({g for g in groups if groups.count(g) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        return groups


class TrainingSettings(StrictModel):
    epochs: int = 10
    batch_size: int = 8
    eval_batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float | None = None  # heads are fresh: they may learn faster than the encoder
    # Layer-wise learning-rate decay for a pretrained encoder: its top layer learns at learning_rate, each
    # layer below at this factor of the one above, the embeddings last, so that what pretraining put in the
    # lower layers is kept. 1.0: every encoder weight at learning_rate (right for random init).
    layer_lr_decay: float = Field(default=1.0, gt=0.0, le=1.0)
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    gradient_accumulation_steps: int = 1
    max_grad_norm: float = 1.0
    early_stopping_patience: int = 3
    # Each epoch, this share of the training articles is seen with other names, titles, dates and durations
    # in place of theirs (diplo_ie.training.augment); 0 trains on the articles as written.
    augment_prob: float = Field(default=0.0, ge=0.0, le=1.0)
    dev_metric: Literal["event", "span_relation"] = "event"
    # Weight each status in the status loss by the inverse of its share of the training mentions, so that the
    # rare planned and denied mentions are not outvoted by the many occurred ones.
    status_balance: bool = False
    # bfloat16 runs the training steps under autocast: faster on CPUs with bfloat16 support. Weights and
    # optimizer stay float32, and so does dev evaluation: a saved model reproduces its recorded scores.
    precision: Precision = "float32"


class SilverConfig(StrictModel):
    """A first stage on unlabelled articles with silver spans (diplo_ie.training.silver): the tagger trains on
    them for ``epochs`` epochs (the tagging loss alone: they have no relations or statuses), then the gold
    epochs start from the weights it left. 0 epochs: no silver stage."""

    corpora: list[str] = Field(default_factory=lambda: ["baomoi-2017", "vnds-2016-2019"])
    documents: int = Field(default=2000, ge=1)
    epochs: int = Field(default=0, ge=0)


class TrainConfig(StrictModel):
    seed: int = 13
    output_dir: str = "runs/model"
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    silver: SilverConfig = Field(default_factory=SilverConfig)
    training: TrainingSettings = Field(default_factory=TrainingSettings)


def build_config(data: dict[str, Any], overrides: Sequence[str] = ()) -> TrainConfig:
    return from_dict(TrainConfig, data, overrides)


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> TrainConfig:
    return from_yaml(TrainConfig, path, overrides)
