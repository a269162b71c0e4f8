"""DiploModel: a Hugging Face encoder with a BIO token classifier, a relation head and a status head, sized
by its event spec (:mod:`diplo_ie.core.spec`).

Saved as a directory with ``config.json`` (encoder config, head and encoding settings, the event spec, the
lexical feature groups), ``model.safetensors`` and the tokenizer files; nothing is pickled.

Lexical features (:mod:`diplo_ie.modeling.lexical`) enter as embeddings added to the encoder's word
embeddings. A model without feature groups has no such parameters and runs the encoder exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_model, save_model
from torch import nn
from torch.nn import functional as F

from diplo_ie.core.schema import Document
from diplo_ie.core.spec import CALL_SPEC, EventSpec, SpecError
from diplo_ie.modeling.config import EncodingConfig, HeadConfig
from diplo_ie.modeling.encoding import IGNORE_INDEX, DocumentEncoder
from diplo_ie.modeling.features import WindowBatch
from diplo_ie.modeling.heads import SpanPairHeads
from diplo_ie.modeling.lexical import Channel, feature_groups
from diplo_ie.modeling.precision import DEFAULT_PRECISION, Precision, autocast, check_precision
from diplo_ie.modeling.predict import Prediction, Predicts, SpanQuery

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
FORMAT_VERSION = 1


def read_config(directory: Path) -> dict[str, Any]:
    """A saved model's ``config.json``."""
    return json.loads((directory / CONFIG_NAME).read_text(encoding="utf-8"))


def read_spec(config: dict[str, Any], directory: Path) -> EventSpec:
    """The event spec a saved model was trained with. Models saved before specs were stored name their label
    lists only; those lists are the phone-call spec's."""
    if "event_spec" in config:
        try:
            return EventSpec.from_dict(config["event_spec"])
        except SpecError as exc:
            raise ValueError(f"{directory}: {exc}") from None
    labels = config.get("labels", {})
    if labels.get("tags") == list(CALL_SPEC.tags) and labels.get("statuses") == list(CALL_SPEC.statuses):
        return CALL_SPEC
    raise ValueError(f"{directory}: config.json names no event spec")


def read_features(config: dict[str, Any], directory: Path) -> tuple[str, ...]:
    """The lexical feature groups a saved model was trained with; none for a model saved without them."""
    try:
        return feature_groups(config.get("features", ()))
    except ValueError as exc:
        raise ValueError(f"{directory}: {exc}") from None


class FeatureEmbeddings(nn.Module):
    """One embedding table per feature channel, summed into a vector per token. Id 0 (special tokens and
    padding) embeds to zero, so those positions get exactly the encoder's own input.

    The tables start at zero, so a new model computes what the same encoder without features computes, and
    each feature gains weight as far as its gradient says it helps. Random tables at the scale of the word
    embeddings (tried first) add eight vectors, most of them alike for every token, to one word vector: the
    word is a third as loud after the embedding LayerNorm, and the tagger learned far slower than without
    features."""

    def __init__(self, channels: Sequence[Channel], hidden_size: int) -> None:
        super().__init__()
        self.tables = nn.ModuleDict(
            {c.name: nn.Embedding(c.size, hidden_size, padding_idx=0) for c in channels}
        )
        for table in self.tables.values():
            nn.init.zeros_(table.weight)

    def forward(self, feature_ids: torch.Tensor) -> torch.Tensor:
        """``[B, L, channels]`` ids -> ``[B, L, hidden]``."""
        embeds = [table(feature_ids[..., c]) for c, table in enumerate(self.tables.values())]
        return torch.stack(embeds).sum(0)


class DiploModel(nn.Module, Predicts):
    def __init__(
        self,
        encoder: Any,
        tokenizer: Any,
        heads: HeadConfig | None = None,
        encoding: EncodingConfig | None = None,
        spec: EventSpec = CALL_SPEC,
        features: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.spec = spec
        self.head_config = heads or HeadConfig()
        self.encoding_config = encoding or EncodingConfig()
        self.features = feature_groups(features)
        hidden = encoder.config.hidden_size
        self.token_dropout = nn.Dropout(self.head_config.dropout)
        self.token_classifier = nn.Linear(hidden, len(spec.tags))
        self.heads = SpanPairHeads(hidden, self.head_config, spec)
        self.document_encoder = DocumentEncoder(
            tokenizer, **asdict(self.encoding_config), features=self.features
        )
        self.feature_embeddings = None
        if self.document_encoder.lexical is not None:
            self.feature_embeddings = FeatureEmbeddings(self.document_encoder.lexical.channels, hidden)
        self.precision: Precision = DEFAULT_PRECISION

    # -- construction ------------------------------------------------------------------------------------
    @classmethod
    def from_encoder_config(
        cls,
        encoder_config: Any,
        tokenizer: Any,
        heads: HeadConfig | None = None,
        encoding: EncodingConfig | None = None,
        spec: EventSpec = CALL_SPEC,
        features: Sequence[str] = (),
    ) -> DiploModel:
        """A model with a randomly initialised encoder (tests, from-scratch training)."""
        from transformers import AutoModel

        return cls(AutoModel.from_config(encoder_config), tokenizer, heads, encoding, spec, features)

    @classmethod
    def from_encoder(
        cls,
        name_or_path: str,
        tokenizer: Any = None,
        heads: HeadConfig | None = None,
        encoding: EncodingConfig | None = None,
        spec: EventSpec = CALL_SPEC,
        features: Sequence[str] = (),
    ) -> DiploModel:
        """Fresh heads on a pretrained encoder: a hub name (hub reachable) or a local directory."""
        from transformers import AutoModel, AutoTokenizer

        encoder = AutoModel.from_pretrained(name_or_path)
        tokenizer = tokenizer if tokenizer is not None else AutoTokenizer.from_pretrained(name_or_path)
        return cls(encoder, tokenizer, heads, encoding, spec, features)

    def save_pretrained(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "format_version": FORMAT_VERSION,
            "encoder": self.encoder.config.to_dict(),
            "heads": asdict(self.head_config),
            "encoding": asdict(self.encoding_config),
            "event_spec": self.spec.to_dict(),
            "features": list(self.features),
        }
        (directory / CONFIG_NAME).write_text(
            json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        save_model(self, str(directory / WEIGHTS_NAME))
        self.tokenizer.save_pretrained(str(directory))

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> DiploModel:
        from transformers import AutoConfig, AutoTokenizer

        directory = Path(directory)
        config = read_config(directory)
        encoder_dict = dict(config["encoder"])
        encoder_config = AutoConfig.for_model(encoder_dict.pop("model_type"), **encoder_dict)
        model = cls.from_encoder_config(
            encoder_config,
            AutoTokenizer.from_pretrained(str(directory)),
            HeadConfig(**config["heads"]),
            EncodingConfig(**config["encoding"]),
            read_spec(config, directory),
            read_features(config, directory),
        )
        load_model(model, str(directory / WEIGHTS_NAME))
        model.eval()
        return model

    # -- forward -----------------------------------------------------------------------------------------
    def encode_windows(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, feature_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        if self.feature_embeddings is None:
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if feature_ids is None:
            raise ValueError(
                f"this model reads lexical features ({', '.join(self.features)}): pass feature_ids"
            )
        # Given embeddings, RoBERTa numbers positions 0..L-1 (plus its padding offset) instead of counting
        # non-padding tokens: the same positions for right-padded windows, whose padding no token attends to.
        embeds = self.encoder.get_input_embeddings()(input_ids) + self.feature_embeddings(feature_ids)
        return self.encoder(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state

    def token_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.token_classifier(self.token_dropout(hidden))

    def loss(self, batch: WindowBatch, status_weights: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """Training losses: BIO tagging, plus relation and status on gold spans (teacher forcing);
        ``status_weights``: one weight per status of the spec, for the status loss."""
        hidden = self.encode_windows(batch.input_ids, batch.attention_mask, batch.feature_ids)
        tag_loss = F.cross_entropy(
            self.token_logits(hidden).flatten(0, 1), batch.tag_ids.flatten(), ignore_index=IGNORE_INDEX
        )
        tokens = hidden.flatten(0, 1)
        zero = tag_loss.new_zeros(())
        rel_loss = status_loss = zero
        if len(batch.span_starts):
            sums = self.heads.prefix_sums(tokens)
            reps = self.heads.span_reps(tokens, sums, batch.span_starts, batch.span_ends, batch.span_labels)
            if len(batch.pair_heads):
                logits = self.heads.relation_logits(
                    reps, batch.pair_heads, batch.pair_tails, batch.pair_buckets, batch.pair_same_sentence
                )
                rel_loss = F.cross_entropy(logits, batch.pair_labels)
            if len(batch.status_spans):
                s = batch.status_spans
                logits = self.heads.status_logits(
                    tokens,
                    sums,
                    reps[s],
                    batch.span_starts[s],
                    batch.span_ends[s],
                    batch.span_lo[s],
                    batch.span_hi[s],
                )
                status_loss = F.cross_entropy(logits, batch.status_labels, weight=status_weights)
        total = (
            tag_loss
            + self.head_config.relation_weight * rel_loss
            + self.head_config.status_weight * status_loss
        )
        return {"loss": total, "tag_loss": tag_loss, "relation_loss": rel_loss, "status_loss": status_loss}

    # -- inference ---------------------------------------------------------------------------------------
    def set_precision(self, precision: str) -> None:
        """The precision of the encoder's forward pass in prediction (:mod:`diplo_ie.modeling.precision`)."""
        self.precision = check_precision(precision)

    def window_hidden(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, feature_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        with autocast(self.precision):
            return self.encode_windows(input_ids, attention_mask, feature_ids).float()

    def span_logits(self, tokens: torch.Tensor, query: SpanQuery) -> tuple[torch.Tensor, torch.Tensor]:
        return self.heads(tokens, *query.tensors())

    def predict_detailed(self, docs: list[Document], batch_size: int = 16) -> list[Prediction]:
        self.eval()
        return super().predict_detailed(docs, batch_size)
