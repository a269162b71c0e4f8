"""Masked-LM objective for a small RoBERTa encoder, with the loss on the masked positions only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from transformers import RobertaConfig, RobertaForMaskedLM, RobertaModel

from diplo_ie.pretraining.config import PretrainConfig

HEAD_BUCKET = 128


@dataclass(frozen=True)
class SpecialIds:
    vocab_size: int
    pad: int
    bos: int
    eos: int


@dataclass
class StepOutput:
    loss: torch.Tensor
    # Detached scalars, read (and synchronised) only when a log line is written.
    metrics: dict[str, torch.Tensor]


def shared_encoder_settings(config: PretrainConfig, ids: SpecialIds) -> dict[str, Any]:
    """The settings every encoder of a pretraining run shares (the kept encoder and ELECTRA's generator)."""
    m = config.model
    return {
        "vocab_size": ids.vocab_size,
        "num_hidden_layers": m.num_hidden_layers,
        "hidden_dropout_prob": m.hidden_dropout_prob,
        "attention_probs_dropout_prob": m.attention_probs_dropout_prob,
        # RoBERTa numbers positions from pad_token_id + 1, so seq_len tokens need seq_len + 2 embeddings.
        "max_position_embeddings": config.data.seq_len + 2,
        "type_vocab_size": 1,
        "pad_token_id": ids.pad,
    }


def roberta_config(config: PretrainConfig, ids: SpecialIds) -> RobertaConfig:
    m = config.model
    return RobertaConfig(
        **shared_encoder_settings(config, ids),
        hidden_size=m.hidden_size,
        num_attention_heads=m.num_attention_heads,
        intermediate_size=m.intermediate_size,
        bos_token_id=ids.bos,
        eos_token_id=ids.eos,
    )


def masked_targets(labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Flat indices of the masked positions, their target ids, and how many there are.

    The index is padded up to a multiple of HEAD_BUCKET (pads point at position 0, their targets are -100
    and ignored by the loss): a handful of distinct head shapes instead of one per batch, so per-shape kernel
    setup (or a compiled graph) is reused.
    """
    flat = labels.reshape(-1)
    index = (flat != -100).nonzero().squeeze(1)
    count = len(index)
    padded = -(-max(count, 1) // HEAD_BUCKET) * HEAD_BUCKET
    index = F.pad(index, (0, padded - count))
    targets = flat[index]
    targets[count:] = -100
    return index, targets, count


class MaskedLM(nn.Module):
    """RoBERTa with its LM head. The vocabulary projection runs only on the ~15% masked positions: over all
    positions it costs as much as the whole 4-layer encoder, and its output would be discarded."""

    def __init__(self, config: PretrainConfig, ids: SpecialIds) -> None:
        super().__init__()
        self.model = RobertaForMaskedLM(roberta_config(config, ids))

    @property
    def encoder(self) -> RobertaModel:
        return self.model.roberta

    def compile_stacks(self) -> None:
        self.model.roberta.compile()

    def forward(
        self,
        original: torch.Tensor,
        inputs: torch.Tensor,
        labels: torch.Tensor,
        sampler: torch.Generator | None = None,
    ) -> StepOutput:
        index, targets, _ = masked_targets(labels)
        hidden = self.model.roberta(input_ids=inputs).last_hidden_state
        logits = self.model.lm_head(hidden.reshape(-1, hidden.shape[-1])[index])
        loss = F.cross_entropy(logits.float(), targets, ignore_index=-100)
        return StepOutput(loss, {"mlm_loss": loss.detach()})
