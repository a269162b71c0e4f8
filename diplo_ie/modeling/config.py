"""Configuration of the task heads and of the encoding, stored in the model's config.json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Lexical feature groups a model may add to its encoder's input (diplo_ie.modeling.lexical), in the order
# their channels are stacked.
FeatureGroup = Literal["shape", "lexicon", "syllable", "patterns"]


@dataclass
class HeadConfig:
    """Sizes of the relation and status heads; they stay small so the encoder dominates the cost."""

    span_dim: int = 128
    hidden_dim: int = 128
    distance_dim: int = 32
    # Relation candidates: span pairs at most this many tokens apart (keeps the pair count linear).
    max_pair_distance: int = 96
    # Status head context: this many tokens each side of the CALL mention.
    status_context: int = 24
    # The status head also attends over its whole window, the mention asking: the words that make a call
    # planned or denied ("lên kế hoạch cho", "bác bỏ") are often further away than the context above.
    status_attention: bool = False
    dropout: float = 0.1
    relation_weight: float = 1.0
    status_weight: float = 1.0


@dataclass
class EncodingConfig:
    """How documents become encoder inputs (see :class:`diplo_ie.modeling.encoding.DocumentEncoder`)."""

    max_length: int = 256
    stride: int = 64
    word_segmenter: str | None = None  # None: the tokenizer's own offsets; "whitespace" or "underthesea"
    word_joiner: str | None = None  # "_" for PhoBERT, which expects "Thủ_tướng"
