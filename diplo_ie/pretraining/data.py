"""Pretraining data: the corpora tokenized once into token arrays, then random windows of those arrays.

A pack directory holds ``train.u16`` and ``heldout.u16`` (the uint16 token ids of all training and held-out
articles of every corpus, ``</s>`` after each article) and ``manifest.json`` (corpora, tokenizer digest,
held-out stride, article and token counts). The arrays may be xz-compressed (``.u16.xz``) so that a pack of
tens of millions of tokens is small enough to carry to another machine.

Training sequences are the consecutive windows of ``seq_len - 1`` tokens of the training stream with ``<s>``
in front. The corpora are concatenated, so a uniform draw of windows mixes them in proportion to their size.
Each epoch visits the windows in a fresh permutation seeded by (seed, epoch): (epoch, index) is the whole data
position, and a resume is exact without storing any buffer.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from diplo_ie.pretraining.corpus import is_heldout, iter_articles

MANIFEST = "manifest.json"
TRAIN = "train.u16"
HELDOUT = "heldout.u16"
XZ_SUFFIX = ".xz"
_ENCODE_BATCH = 256


@dataclass
class DataPosition:
    epoch: int = 0
    index: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def tokenizer_digest(tokenizer: PreTrainedTokenizerBase) -> str:
    """Identifies the vocabulary: a pack made with another tokenizer must not be reused. Taken over the
    token-to-id map rather than the serialized tokenizer, whose layout changes between library versions
    (the pack is also read on machines with other versions)."""
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    return hashlib.sha256(json.dumps(vocab, ensure_ascii=False).encode("utf-8")).hexdigest()


def _encode(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    # The Rust tokenizer batches across threads; the Python wrapper would add per-call overhead.
    return [e.ids for e in tokenizer.backend_tokenizer.encode_batch(texts, add_special_tokens=False)]


def _batched_articles(corpus: str, size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for article in iter_articles(corpus):
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pack_corpus(
    corpus: str,
    tokenizer: PreTrainedTokenizerBase,
    heldout_every: int,
    max_tokens: int | None,
    train_out: IO[bytes],
    heldout_out: IO[bytes],
) -> dict[str, Any]:
    counts = {
        "corpus": Path(corpus).name,
        "articles": 0,
        "tokens": 0,
        "heldout_articles": 0,
        "heldout_tokens": 0,
    }
    eos = tokenizer.eos_token_id
    for batch in _batched_articles(corpus, _ENCODE_BATCH):
        for (position, _), ids in zip(batch, _encode(tokenizer, [text for _, text in batch]), strict=True):
            array = np.array([*ids, eos], dtype=np.uint16)
            kind = "heldout_" if is_heldout(position, heldout_every) else ""
            array.tofile(heldout_out if kind else train_out)
            counts[f"{kind}articles"] += 1
            counts[f"{kind}tokens"] += len(array)
            if max_tokens is not None and counts["tokens"] >= max_tokens:
                return counts
    return counts


def build_pack(
    corpora: list[str],
    tokenizer: PreTrainedTokenizerBase,
    heldout_every: int,
    out_dir: str | Path,
    max_tokens: int | None = None,
    compress: bool = False,
) -> dict[str, Any]:
    """Tokenize ``corpora`` into ``out_dir``; ``max_tokens`` caps the training tokens, split evenly by corpus.

    Written to a sibling temporary directory and renamed into place, so a killed build leaves no half pack.
    """
    if len(tokenizer) > np.iinfo(np.uint16).max + 1:
        raise ValueError(
            "the pack stores token ids as uint16: the vocabulary must have at most 65,536 entries"
        )
    out = Path(out_dir)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    quota = None if max_tokens is None else max_tokens // len(corpora)
    with (tmp / TRAIN).open("wb") as train_out, (tmp / HELDOUT).open("wb") as heldout_out:
        stats = [_pack_corpus(c, tokenizer, heldout_every, quota, train_out, heldout_out) for c in corpora]
    if compress:
        for name in (TRAIN, HELDOUT):
            with (
                (tmp / name).open("rb") as raw,
                lzma.open(tmp / (name + XZ_SUFFIX), "wb", preset=6) as packed,
            ):
                shutil.copyfileobj(raw, packed)
            (tmp / name).unlink()
    manifest = {
        "corpora": stats,
        "tokenizer_sha256": tokenizer_digest(tokenizer),
        "heldout_every": heldout_every,
        "max_tokens": max_tokens,
        "train_tokens": sum(s["tokens"] for s in stats),
        "heldout_tokens": sum(s["heldout_tokens"] for s in stats),
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return manifest


def read_manifest(pack_dir: str | Path) -> dict[str, Any] | None:
    path = Path(pack_dir) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def ensure_pack(
    corpora: list[str], tokenizer: PreTrainedTokenizerBase, heldout_every: int, pack_dir: str | Path
) -> dict[str, Any]:
    """The pack in ``pack_dir`` if it was made from these corpora, tokenizer and stride; else a new one."""
    manifest = read_manifest(pack_dir)
    if manifest is not None and (
        [s["corpus"] for s in manifest["corpora"]] == [Path(c).name for c in corpora]
        and manifest["tokenizer_sha256"] == tokenizer_digest(tokenizer)
        and manifest["heldout_every"] == heldout_every
    ):
        return manifest
    return build_pack(corpora, tokenizer, heldout_every, pack_dir)


def load_tokens(pack_dir: str | Path, name: str) -> np.ndarray:
    """A token array of the pack: memory-mapped if stored plain, decompressed into memory if xz."""
    path = Path(pack_dir) / name
    packed = path.with_name(name + XZ_SUFFIX)
    if packed.is_file():
        return np.frombuffer(lzma.decompress(packed.read_bytes()), dtype=np.uint16)
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=np.uint16)
    return np.memmap(path, dtype=np.uint16, mode="r")


def windows(tokens: np.ndarray, starts: np.ndarray, seq_len: int, bos_id: int) -> torch.Tensor:
    """``<s>`` + the ``seq_len - 1`` tokens from each start: a (len(starts), seq_len) batch of ids."""
    body = tokens[starts[:, None] + np.arange(seq_len - 1)].astype(np.int64)
    bos = np.full((len(starts), 1), bos_id, dtype=np.int64)
    return torch.from_numpy(np.concatenate([bos, body], axis=1))


class SequenceSampler:
    """Batches of training windows, each epoch in its own seeded order; ``position`` names the next window."""

    def __init__(
        self,
        tokens: np.ndarray,
        seq_len: int,
        bos_id: int,
        seed: int,
        position: DataPosition | None = None,
    ) -> None:
        self.tokens = tokens
        self.seq_len = seq_len
        self.bos_id = bos_id
        self.seed = seed
        self.count = len(tokens) // (seq_len - 1)
        if self.count == 0:
            raise ValueError(f"the training text ({len(tokens)} tokens) is too short for one sequence")
        self.position = position or DataPosition()
        self._order_epoch = -1
        self._order = torch.empty(0, dtype=torch.long)

    def _epoch_order(self, epoch: int) -> torch.Tensor:
        if epoch != self._order_epoch:
            generator = torch.Generator().manual_seed(self.seed * 1_000_003 + epoch)
            self._order = torch.randperm(self.count, generator=generator)
            self._order_epoch = epoch
        return self._order

    def next_batch(self, batch_size: int) -> torch.Tensor:
        picked: list[torch.Tensor] = []
        needed = batch_size
        while needed:
            order = self._epoch_order(self.position.epoch)
            take = order[self.position.index : self.position.index + needed]
            picked.append(take)
            needed -= len(take)
            self.position.index += len(take)
            if self.position.index >= self.count:
                self.position = DataPosition(epoch=self.position.epoch + 1)
        starts = torch.cat(picked).numpy() * (self.seq_len - 1)
        return windows(self.tokens, starts, self.seq_len, self.bos_id)


def heldout_sequences(tokens: np.ndarray, seq_len: int, bos_id: int, max_sequences: int) -> torch.Tensor:
    """Up to ``max_sequences`` held-out windows spread evenly over the stream, so every corpus is in them."""
    count = len(tokens) // (seq_len - 1)
    if count == 0:
        return torch.zeros((0, seq_len), dtype=torch.long)
    picks = np.unique(np.linspace(0, count - 1, min(count, max_sequences)).astype(np.int64))
    return windows(tokens, picks * (seq_len - 1), seq_len, bos_id)
