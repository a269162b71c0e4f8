"""Pretraining configuration (YAML), validated like the training one (:mod:`diplo_ie.config`): the same keys
for the same settings (``seed``, ``output_dir``, ``training.learning_rate``, ``training.precision``...), the
same ``--set KEY=VALUE`` overrides and the same one-line errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from diplo_ie.config import StrictModel, from_dict, from_yaml
from diplo_ie.modeling.precision import Precision


class ModelConfig(StrictModel):
    # "mlm": masked LM, loss on the masked positions only. "electra": replaced-token detection; a small
    # generator (sharing the token embeddings) fills the masks and the encoder kept learns to spot its fills.
    objective: Literal["mlm", "electra"] = "mlm"
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = Field(default=4, ge=1, validate_default=True)
    intermediate_size: int = 1024
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    # ELECTRA's generator: the paper found 1/4 to 1/2 of the discriminator's width best; same depth here.
    generator_hidden_size: int = 64
    generator_num_attention_heads: int = Field(default=1, ge=1, validate_default=True)
    generator_intermediate_size: int = 256
    # Weight of the discriminator's per-token loss against the generator's MLM loss (ELECTRA: 50).
    discriminator_weight: float = 50.0

    # Checked on defaults too: a config that changes only a width must still fit the default heads.
    @field_validator("num_attention_heads", "generator_num_attention_heads")
    @classmethod
    def _heads_divide_the_width(cls, heads: int, info: ValidationInfo) -> int:
        width_key = str(info.field_name).replace("num_attention_heads", "hidden_size")
        width = info.data.get(width_key)  # absent when the width itself was invalid
        if width is not None and width % heads:
            raise ValueError(f"must divide {width_key} {width}")
        return heads


class DataConfig(StrictModel):
    corpora: list[str] = Field(default_factory=lambda: ["../shared/corpus/baomoi-2017.jsonl.gz"])
    # Token arrays of the corpora: built on first use, reused while the corpora, tokenizer and held-out
    # stride match.
    pack_dir: str = "runs/pretrain-pack"
    tokenizer: str = "tokenizer"
    seq_len: int = Field(default=128, ge=8)
    # Every n-th article of each corpus is held out from training for the held-out loss.
    heldout_every: int = 500
    heldout_max_sequences: int = 256
    mask_prob: float = Field(default=0.15, gt=0.0, lt=1.0)
    # Mask all tokens of a whitespace-delimited word together (foreign names split into several tokens).
    whole_word: bool = True
    # Also mask a run of capitalised words (a Vietnamese or foreign name, "Tập Cận Bình") as one unit.
    name_runs: bool = True

    @field_validator("corpora")
    @classmethod
    def _no_blind_corpus(cls, corpora: list[str]) -> list[str]:
        if not corpora:
            raise ValueError("must name at least one corpus")
        # The blind test articles must never be seen by any model, pretraining included.
        if any("blind" in Path(corpus).name for corpus in corpora):
            raise ValueError("the blind test set must not be used for pretraining")
        return corpora


class PretrainingSettings(StrictModel):
    # The keys training also has mean the same there (training.* of diplo_ie.training.config).
    learning_rate: float = 5e-4
    batch_size: int = Field(default=32, ge=1)
    gradient_accumulation_steps: int = Field(default=1, ge=1)
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    # bfloat16: autocast of the steps on the run's device, float32 master weights; on a CPU only worth it
    # with AMX or AVX512-BF16.
    precision: Precision = "float32"
    warmup_steps: int = 300
    # Length of the learning-rate schedule (optimizer steps); the run may stop earlier on --max-minutes.
    total_steps: int = Field(default=10000, ge=1)
    schedule: Literal["linear", "cosine"] = "linear"
    log_every: int = Field(default=20, ge=1)
    eval_every: int = Field(default=500, ge=1)
    checkpoint_minutes: float = 5.0
    max_minutes: float | None = None
    # When set, the learning rate decays over this many minutes of the invocation instead of over total_steps:
    # for a fixed-time run on a machine whose speed is not known in advance (total_steps then only caps it).
    schedule_minutes: float | None = None
    num_threads: int = 2
    device: str = "cpu"
    # torch.compile the transformer stacks (meant for GPU runs, where launching many small kernels dominates).
    compile: bool = False


class PretrainConfig(StrictModel):
    seed: int = 13
    output_dir: str = "pretrain-out"
    model: ModelConfig = Field(default_factory=ModelConfig)
    data: DataConfig = Field(default_factory=DataConfig)
    training: PretrainingSettings = Field(default_factory=PretrainingSettings)


def build_config(data: dict[str, Any], overrides: Sequence[str] = ()) -> PretrainConfig:
    return from_dict(PretrainConfig, data, overrides)


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> PretrainConfig:
    """Load a YAML config; relative paths inside it stay relative to the working directory."""
    return from_yaml(PretrainConfig, path, overrides)
