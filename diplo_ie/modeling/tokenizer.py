"""Tokenizers: load one by path or hub name, or learn a small byte-level BPE from texts (no hub needed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def train_bpe_tokenizer(texts: Iterable[str], vocab_size: int = 2000, min_frequency: int = 1) -> Any:
    """The project's tokenizer recipe (:mod:`diplo_ie.pretraining.tokenizer`) learned from ``texts``."""
    from diplo_ie.pretraining.tokenizer import train_bpe, wrap_fast

    return wrap_fast(train_bpe(texts, vocab_size=vocab_size, min_frequency=min_frequency))


def load_tokenizer(name_or_path: str) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(name_or_path)
