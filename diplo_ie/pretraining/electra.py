"""ELECTRA replaced-token detection: the encoder kept is the discriminator.

A small masked-LM generator fills the masked positions with samples of its own predictions; the
discriminator (a RoBERTa of the shape the tagger fine-tunes) reads the result and tells, for every token,
whether it was replaced. Every position carries a training signal rather than the 15% an MLM learns from,
which is why ELECTRA reaches a given downstream quality with several times less compute (Clark et al., 2020).

The generator shares the discriminator's token embeddings: it reads them through a projection to its own
width and scores the vocabulary against them, as in the paper.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from transformers import ElectraConfig, ElectraForMaskedLM, RobertaModel

from diplo_ie.pretraining.config import PretrainConfig
from diplo_ie.pretraining.mlm import (
    SpecialIds,
    StepOutput,
    masked_targets,
    roberta_config,
    shared_encoder_settings,
)


def generator_config(config: PretrainConfig, ids: SpecialIds) -> ElectraConfig:
    m = config.model
    return ElectraConfig(
        **shared_encoder_settings(config, ids),
        # The input and output embeddings are the discriminator's, so they have its width.
        embedding_size=m.hidden_size,
        hidden_size=m.generator_hidden_size,
        num_attention_heads=m.generator_num_attention_heads,
        intermediate_size=m.generator_intermediate_size,
    )


def _sample(logits: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """One token per row, drawn from softmax(logits) by inverting the cumulative distribution.

    torch.multinomial draws an exponential variate per vocabulary entry; on a CPU that took a sixth of a
    whole training step, against a cumulative sum and one uniform draw per row here.
    """
    cdf = logits.softmax(-1).cumsum(-1)
    draws = torch.rand((len(cdf), 1), generator=generator, device=cdf.device) * cdf[:, -1:]
    return torch.searchsorted(cdf, draws).squeeze(1).clamp_(max=logits.shape[-1] - 1)


class Electra(nn.Module):
    def __init__(self, config: PretrainConfig, ids: SpecialIds) -> None:
        super().__init__()
        hidden = config.model.hidden_size
        self.discriminator = RobertaModel(roberta_config(config, ids), add_pooling_layer=False)
        self.discriminator_head = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, 1))
        self.generator = ElectraForMaskedLM(generator_config(config, ids))
        shared = self.discriminator.embeddings.word_embeddings
        self.generator.electra.embeddings.word_embeddings = shared
        self.generator.generator_lm_head.weight = shared.weight
        self.discriminator_weight = config.model.discriminator_weight

    @property
    def encoder(self) -> RobertaModel:
        return self.discriminator

    def compile_stacks(self) -> None:
        self.discriminator.compile()
        self.generator.electra.compile()

    def forward(
        self,
        original: torch.Tensor,
        inputs: torch.Tensor,
        labels: torch.Tensor,
        sampler: torch.Generator | None = None,
    ) -> StepOutput:
        """``inputs``: ``original`` with the targets (``labels != -100``) masked; ``sampler`` draws fills."""
        index, targets, count = masked_targets(labels)
        hidden = self.generator.electra(input_ids=inputs).last_hidden_state
        predicted = self.generator.generator_predictions(hidden.reshape(-1, hidden.shape[-1])[index])
        logits = self.generator.generator_lm_head(predicted).float()
        generator_loss = F.cross_entropy(logits, targets, ignore_index=-100)
        with torch.no_grad():
            fills = _sample(logits[:count], sampler)
            corrupted = original.reshape(-1).clone()
            corrupted[index[:count]] = fills
            corrupted = corrupted.view_as(original)
            # A fill that happens to be the original token counts as original, as in ELECTRA.
            replaced = corrupted != original
        scores = self.discriminator_head(self.discriminator(input_ids=corrupted).last_hidden_state)
        scores = scores.squeeze(-1).float()
        discriminator_loss = F.binary_cross_entropy_with_logits(scores, replaced.float())
        loss = generator_loss + self.discriminator_weight * discriminator_loss
        with torch.no_grad():
            correct = (scores > 0) == replaced
            metrics = {
                "generator_loss": generator_loss.detach(),
                "discriminator_loss": discriminator_loss.detach(),
                "discriminator_accuracy": correct.float().mean(),
                # Accuracy on the replaced tokens alone: the all-"original" guess already scores ~93% above.
                "replaced_accuracy": correct[replaced].float().sum() / replaced.sum().clamp(min=1),
                "replaced_fraction": replaced.float().mean(),
            }
        return StepOutput(loss, metrics)
