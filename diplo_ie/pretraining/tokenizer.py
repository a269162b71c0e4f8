"""Byte-level BPE tokenizer with RoBERTa special tokens, saved as a Hugging Face fast tokenizer.

Byte-level BPE never produces ``<unk>`` (any byte is in the alphabet), and NFC normalization first makes each
Vietnamese letter with diacritics one code point, so the merges learned for a syllable apply however the
source text encoded its accents (NFD text from some CMSs would otherwise tokenize differently).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tokenizers import (
    AddedToken,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)
from transformers import PreTrainedTokenizerFast

# Same order as RoBERTa/PhoBERT, so <pad> is id 1 (RoBERTa's position ids are offset from the padding id).
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
DEFAULT_VOCAB_SIZE = 16000
DEFAULT_MAX_LENGTH = 128


def train_bpe(
    texts: Iterable[str], vocab_size: int = DEFAULT_VOCAB_SIZE, min_frequency: int = 2
) -> Tokenizer:
    """Learn a byte-level BPE vocabulary from ``texts``."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    tokenizer.post_processor = processors.RobertaProcessing(
        ("</s>", tokenizer.token_to_id("</s>")),
        ("<s>", tokenizer.token_to_id("<s>")),
        trim_offsets=True,
        add_prefix_space=False,
    )
    return tokenizer


def wrap_fast(tokenizer: Tokenizer, model_max_length: int = DEFAULT_MAX_LENGTH) -> PreTrainedTokenizerFast:
    """Wrap a raw tokenizer so ``save_pretrained`` writes files that ``AutoTokenizer`` loads offline."""
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        # As in RoBERTa: "<mask>" absorbs the space before it, standing for a whole space-prefixed token.
        mask_token=AddedToken("<mask>", lstrip=True, rstrip=False),
        model_max_length=model_max_length,
    )


def train_and_save(
    texts: Iterable[str],
    out_dir: str | Path,
    vocab_size: int = DEFAULT_VOCAB_SIZE,
    model_max_length: int = DEFAULT_MAX_LENGTH,
) -> PreTrainedTokenizerFast:
    fast = wrap_fast(train_bpe(texts, vocab_size=vocab_size), model_max_length=model_max_length)
    fast.save_pretrained(str(out_dir))
    return fast
