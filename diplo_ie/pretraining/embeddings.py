"""Token embeddings from corpus co-occurrence (PPMI + truncated SVD), to initialise a from-scratch encoder.

Masked-LM pretraining of even a small encoder needs far more CPU time than a fine-tuning run; counting which
tokens occur near which others over the whole corpus takes minutes, and its factorised PPMI matrix is the
classic count-based equivalent of skip-gram vectors (Levy & Goldberg, 2014). Starting the encoder's word
embeddings there gives the tagger the corpus's lexical similarities (names with names, dates with dates)
that 400 annotated articles cannot teach.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tqdm.auto import tqdm

EMBEDDINGS_FILE = "embeddings.safetensors"
INFO_FILE = "embeddings.json"
TENSOR_NAME = "word_embeddings"


@dataclass
class EmbeddingInfo:
    vocab_size: int
    dim: int
    window: int
    articles: int
    tokens: int
    context_smoothing: float


class EmbeddingError(ValueError):
    """Embeddings that do not fit the model they are meant for."""


class CooccurrenceCounter:
    """Symmetric co-occurrence counts within ``window`` tokens, each pair weighted 1/distance."""

    def __init__(self, vocab_size: int, window: int, flush_pairs: int = 20_000_000):
        self.vocab_size = vocab_size
        self.window = window
        self.counts = np.zeros(vocab_size * vocab_size, dtype=np.float32)
        self._flush_pairs = flush_pairs
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_size = 0
        self.tokens = 0

    def add(self, ids: list[int]) -> None:
        seq = np.asarray(ids, dtype=np.int64)
        self.tokens += len(seq)
        for distance in range(1, min(self.window, len(seq) - 1) + 1):
            left, right = seq[:-distance], seq[distance:]
            weight = np.full(len(left), 1.0 / distance, dtype=np.float64)
            self._pending += [
                (left * self.vocab_size + right, weight),
                (right * self.vocab_size + left, weight),
            ]
            self._pending_size += 2 * len(left)
        if self._pending_size >= self._flush_pairs:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        index = np.concatenate([p for p, _ in self._pending])
        weight = np.concatenate([w for _, w in self._pending])
        self.counts += np.bincount(index, weights=weight, minlength=self.counts.size).astype(np.float32)
        self._pending, self._pending_size = [], 0

    def matrix(self) -> torch.Tensor:
        self.flush()
        return torch.from_numpy(self.counts.reshape(self.vocab_size, self.vocab_size))


def ppmi(counts: torch.Tensor, context_smoothing: float = 0.75) -> torch.Tensor:
    """Positive PMI, with context counts raised to ``context_smoothing`` (dampens rare contexts' PMI)."""
    total = counts.sum()
    rows = counts.sum(1, keepdim=True)
    contexts = counts.sum(0, keepdim=True).pow(context_smoothing)
    contexts = contexts * (total / contexts.sum())
    with torch.no_grad():
        pmi = torch.log(counts * total / (rows * contexts).clamp_min(1e-12)).clamp_min(0.0)
        pmi[counts <= 0] = 0.0
    return pmi


def factorise(matrix: torch.Tensor, dim: int, seed: int = 13) -> torch.Tensor:
    """Rank-``dim`` factors U·sqrt(S) of a symmetric matrix (randomised SVD)."""
    torch.manual_seed(seed)
    u, s, _ = torch.svd_lowrank(matrix, q=min(dim + 16, min(matrix.shape)), niter=4)
    return u[:, :dim] * s[:dim].sqrt()


def train_embeddings(
    token_ids: Iterable[list[int]],
    vocab_size: int,
    dim: int,
    window: int = 5,
    context_smoothing: float = 0.75,
    progress: bool = True,
) -> tuple[torch.Tensor, EmbeddingInfo]:
    """[vocab_size, dim] vectors; rows of tokens never seen are zero (the caller keeps their random init)."""
    counter = CooccurrenceCounter(vocab_size, window)
    articles = 0
    for ids in tqdm(token_ids, desc="counting", unit=" articles", disable=not progress or None):
        counter.add(ids)
        articles += 1
    counts = counter.matrix()
    vectors = factorise(ppmi(counts, context_smoothing), dim)
    vectors[counts.sum(1) <= 0] = 0.0
    info = EmbeddingInfo(vocab_size, dim, window, articles, counter.tokens, context_smoothing)
    return vectors, info


def save_embeddings(vectors: torch.Tensor, info: EmbeddingInfo, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_file({TENSOR_NAME: vectors.contiguous()}, str(out / EMBEDDINGS_FILE))
    (out / INFO_FILE).write_text(json.dumps(asdict(info), indent=1) + "\n", encoding="utf-8")
    return out


def load_embeddings(path: str | Path) -> torch.Tensor:
    file = Path(path)
    if file.is_dir():
        file = file / EMBEDDINGS_FILE
    if not file.is_file():
        raise EmbeddingError(f"no embeddings at {path} (run 'diplo-ie pretrain embeddings' first)")
    return load_file(str(file))[TENSOR_NAME]


def initialise_word_embeddings(encoder: torch.nn.Module, vectors: torch.Tensor) -> int:
    """Copy ``vectors`` into the encoder's input embeddings, rescaled to the random init's spread so the
    position embeddings keep their weight after the embedding LayerNorm. Returns the rows replaced."""
    table = encoder.get_input_embeddings().weight
    if tuple(vectors.shape) != tuple(table.shape):
        raise EmbeddingError(
            f"embeddings of shape {tuple(vectors.shape)} do not fit the encoder's {tuple(table.shape)} "
            "(same tokenizer and hidden size needed)"
        )
    seen = vectors.abs().sum(1) > 0
    if not seen.any():
        return 0
    scaled = vectors[seen] * (table[seen].std() / vectors[seen].std())
    with torch.no_grad():
        table[seen] = scaled.to(table.dtype)
    return int(seen.sum())
