"""Packed MLM sequences streamed from the corpus, with a position that makes resuming exact.

Articles are read in file order in chunks of ``chunk_articles``; each chunk is tokenized, its documents are
concatenated (``</s>`` between them) and cut into ``<s>`` + ``seq_len - 1`` token sequences, which are
shuffled with a seed derived from (seed, epoch, chunk). The position is therefore just (epoch, chunk start,
sequences consumed in the chunk): a resume re-reads and re-tokenizes one chunk instead of storing token
buffers. The tail of a chunk that does not fill a sequence is dropped (under one sequence per chunk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

import torch
from transformers import PreTrainedTokenizerBase

from diplo_ie.pretraining.corpus import heldout_texts, is_heldout, iter_articles


@dataclass
class DataPosition:
    epoch: int = 0
    chunk_start: int = 0
    offset: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def pack(token_lists: Iterable[list[int]], seq_len: int, bos_id: int, eos_id: int) -> list[list[int]]:
    """Join documents with ``eos_id`` between them; cut into ``seq_len`` sequences that start with bos."""
    body = seq_len - 1
    stream: list[int] = []
    for ids in token_lists:
        stream.extend(ids)
        stream.append(eos_id)
    return [[bos_id, *stream[i : i + body]] for i in range(0, len(stream) - body + 1, body)]


def _encode(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    # The Rust tokenizer batches across threads; the Python wrapper would add per-call overhead.
    return [e.ids for e in tokenizer.backend_tokenizer.encode_batch(texts, add_special_tokens=False)]


class PackedStream:
    """Endless iterator of packed training sequences; ``position`` always names the next sequence."""

    def __init__(
        self,
        corpus: str,
        tokenizer: PreTrainedTokenizerBase,
        seq_len: int,
        heldout_every: int,
        chunk_articles: int,
        seed: int,
        position: DataPosition | None = None,
    ) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer
        self.seq_len = seq_len
        self.heldout_every = heldout_every
        self.chunk_articles = chunk_articles
        self.seed = seed
        self.position = position or DataPosition()

    def _chunks(self, start: int) -> Iterator[tuple[int, list[str], int]]:
        """Yield (first article position, training texts, position after the chunk) from ``start`` on."""
        texts: list[str] = []
        first = last = start
        for pos, text in iter_articles(self.corpus, start=start):
            last = pos
            if is_heldout(pos, self.heldout_every):
                continue
            if not texts:
                first = pos
            texts.append(text)
            if len(texts) == self.chunk_articles:
                yield first, texts, pos + 1
                texts = []
        if texts:
            yield first, texts, last + 1

    def _sequences(self, chunk_start: int, texts: list[str], epoch: int) -> list[list[int]]:
        seqs = pack(
            _encode(self.tokenizer, texts),
            self.seq_len,
            self.tokenizer.bos_token_id,
            self.tokenizer.eos_token_id,
        )
        # A seed per (run seed, epoch, chunk): each epoch sees a new order, and no RNG state needs saving.
        generator = torch.Generator().manual_seed((self.seed * 1_000_003 + epoch) * 1_000_003 + chunk_start)
        order = torch.randperm(len(seqs), generator=generator).tolist()
        return [seqs[i] for i in order]

    def __iter__(self) -> Iterator[list[int]]:
        while True:
            whole_epoch = self.position.chunk_start == 0 and self.position.offset == 0
            produced = False
            for chunk_start, texts, next_start in self._chunks(self.position.chunk_start):
                seqs = self._sequences(chunk_start, texts, self.position.epoch)
                self.position.chunk_start = chunk_start
                for index in range(self.position.offset, len(seqs)):
                    self.position.offset = index + 1
                    produced = True
                    yield seqs[index]
                self.position.chunk_start, self.position.offset = next_start, 0
            # A full pass that yields nothing would otherwise loop forever.
            if whole_epoch and not produced:
                raise ValueError(f"corpus {self.corpus} has too little training text for one sequence")
            self.position = DataPosition(epoch=self.position.epoch + 1)

    def batches(self, batch_size: int) -> Iterator[torch.Tensor]:
        batch: list[list[int]] = []
        for seq in self:
            batch.append(seq)
            if len(batch) == batch_size:
                yield torch.tensor(batch, dtype=torch.long)
                batch = []


def mask_tokens(
    input_ids: torch.Tensor,
    tokenizer: PreTrainedTokenizerBase,
    mask_prob: float,
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking: ``mask_prob`` of non-special tokens are targets: 80% <mask>, 10% random, 10% kept."""
    inputs = input_ids.clone()
    labels = input_ids.clone()
    special = torch.zeros_like(inputs, dtype=torch.bool)
    for token_id in tokenizer.all_special_ids:
        special |= inputs == token_id
    probs = torch.full(inputs.shape, mask_prob)
    probs.masked_fill_(special, 0.0)
    targets = torch.bernoulli(probs, generator=generator).bool()
    labels[~targets] = -100
    replace = torch.bernoulli(torch.full(inputs.shape, 0.8), generator=generator).bool() & targets
    inputs[replace] = tokenizer.mask_token_id
    # Half of the remaining 20%: a random token, so the model cannot assume unmasked input is always correct.
    randomize = (
        torch.bernoulli(torch.full(inputs.shape, 0.5), generator=generator).bool() & targets & ~replace
    )
    inputs[randomize] = torch.randint(len(tokenizer), inputs.shape, generator=generator)[randomize]
    return inputs, labels


def heldout_batches(
    corpus: str,
    tokenizer: PreTrainedTokenizerBase,
    seq_len: int,
    heldout_every: int,
    max_sequences: int,
    batch_size: int,
    mask_prob: float,
    seed: int,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Fixed masked batches of held-out articles: the same masks every evaluation keep losses comparable."""
    seqs = pack(
        _encode(tokenizer, list(heldout_texts(corpus, heldout_every))),
        seq_len,
        tokenizer.bos_token_id,
        tokenizer.eos_token_id,
    )[:max_sequences]
    generator = torch.Generator().manual_seed(seed)
    batches = []
    for i in range(0, len(seqs), batch_size):
        ids = torch.tensor(seqs[i : i + batch_size], dtype=torch.long)
        batches.append(mask_tokens(ids, tokenizer, mask_prob, generator))
    return batches
