"""Choosing the pretraining targets: whole words and whole names, not isolated sub-word pieces.

The byte-level BPE keeps frequent Vietnamese syllables whole but cuts foreign names and rare words into
pieces ("ĠSch", "olz"). Masking one piece of a name leaves the rest as a near-certain clue; masking the whole
word (every piece up to the next space-prefixed token) makes the model predict it from context. A run of
capitalised words ("Tập Cận Bình", "Vladimir Putin") is one name, so with ``name_runs`` it is one unit too.

Word boundaries come from the token strings alone (a per-vocabulary lookup table), so masking a batch is a few
tensor operations on whatever device the batch is on.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from transformers import PreTrainedTokenizerBase

_SPACE_MARK = "Ġ"  # the byte-level BPE's symbol for a leading space
_WHITESPACE_MARKS = frozenset("ĠĊĉčĀ")  # space, newline, tab, carriage return (byte-level symbols)


@dataclass(frozen=True)
class TokenTable:
    """Per-token-id flags (bool tensors indexed by id) that masking needs."""

    special: torch.Tensor
    starts_word: torch.Tensor  # begins with a space: a new whitespace-delimited word
    whitespace: torch.Tensor  # only spaces/newlines: a word boundary of its own
    capitalised: torch.Tensor  # its first letter is upper-case
    no_letters: torch.Tensor  # punctuation or symbols only: a name run does not continue across it
    mask_id: int
    vocab_size: int

    @classmethod
    def from_tokenizer(cls, tokenizer: PreTrainedTokenizerBase) -> TokenTable:
        size = len(tokenizer)
        flags = {name: torch.zeros(size, dtype=torch.bool) for name in cls._flag_names()}
        for token, index in tokenizer.get_vocab().items():
            text = tokenizer.convert_tokens_to_string([token])
            flags["starts_word"][index] = token.startswith(_SPACE_MARK)
            flags["whitespace"][index] = bool(token) and set(token) <= _WHITESPACE_MARKS
            word = text.lstrip()
            flags["capitalised"][index] = bool(word) and word[0].isupper()
            flags["no_letters"][index] = not any(ch.isalnum() for ch in word)
        flags["special"][tokenizer.all_special_ids] = True
        return cls(**flags, mask_id=tokenizer.mask_token_id, vocab_size=size)

    @staticmethod
    def _flag_names() -> tuple[str, ...]:
        return ("special", "starts_word", "whitespace", "capitalised", "no_letters")

    def to(self, device: torch.device | str) -> TokenTable:
        moved = {name: getattr(self, name).to(device) for name in self._flag_names()}
        return TokenTable(**moved, mask_id=self.mask_id, vocab_size=self.vocab_size)


def masking_units(ids: torch.Tensor, table: TokenTable, whole_word: bool, name_runs: bool) -> torch.Tensor:
    """A unit number per position, increasing along each row, unique across rows: positions sharing one are
    masked together."""
    rows, length = ids.shape
    boundary = table.special[ids] | table.whitespace[ids]
    if whole_word:
        unit_start = table.starts_word[ids] | boundary
        # The token after a newline or <s> starts a word without a space mark.
        unit_start[:, 1:] |= boundary[:, :-1]
        if name_runs:
            positions = torch.arange(length, device=ids.device).expand(rows, length)
            word_first = torch.where(unit_start, positions, torch.zeros_like(positions)).cummax(dim=1).values
            word_capitalised = table.capitalised[ids.gather(1, word_first)]
            continues = torch.zeros_like(unit_start)
            # A capitalised word joins the previous one if that was capitalised and no punctuation or boundary
            # came between them ("Putin, Merkel" stays two units).
            continues[:, 1:] = (
                unit_start[:, 1:]
                & table.capitalised[ids[:, 1:]]
                & word_capitalised[:, :-1]
                & ~table.no_letters[ids[:, :-1]]
                & ~boundary[:, 1:]
            )
            unit_start &= ~continues
    else:
        unit_start = torch.ones_like(boundary)
    unit_start[:, 0] = True
    return unit_start.reshape(-1).cumsum(0).reshape(rows, length) - 1


def mask_tokens(
    input_ids: torch.Tensor,
    table: TokenTable,
    mask_prob: float,
    generator: torch.Generator,
    whole_word: bool = True,
    name_runs: bool = True,
    corrupt: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pick units with probability ``mask_prob``; return (inputs, labels), labels -100 off the targets.

    With ``corrupt`` (BERT), 10% of the targets get a random token and 10% stay as they are, so the model
    cannot assume that every unmasked token is right; without it (ELECTRA's generator input) all become
    <mask>.
    Special and whitespace tokens are never targets.
    """
    units = masking_units(input_ids, table, whole_word, name_runs)
    draws = torch.rand(int(units[-1, -1]) + 1, generator=generator, device=input_ids.device)
    targets = (draws[units] < mask_prob) & ~table.special[input_ids] & ~table.whitespace[input_ids]
    labels = input_ids.masked_fill(~targets, -100)
    inputs = input_ids.clone()
    if not corrupt:
        return inputs.masked_fill_(targets, table.mask_id), labels
    choice = torch.rand(input_ids.shape, generator=generator, device=input_ids.device)
    inputs.masked_fill_(targets & (choice < 0.8), table.mask_id)
    randomize = targets & (choice >= 0.9)
    random_ids = torch.randint(
        table.vocab_size, input_ids.shape, generator=generator, device=input_ids.device
    )
    inputs[randomize] = random_ids[randomize]
    return inputs, labels
