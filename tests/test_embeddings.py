"""Co-occurrence embeddings (`diplo-ie pretrain embeddings`) and starting a new encoder from them."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
import torch
from tiny_model import TINY_CONFIG

from diplo_ie.cli.main import main as cli_main
from diplo_ie.pretraining.embeddings import (
    CooccurrenceCounter,
    EmbeddingError,
    initialise_word_embeddings,
    load_embeddings,
    train_embeddings,
)
from diplo_ie.pretraining.tokenizer import train_and_save
from diplo_ie.training import ConfigError, build_config
from diplo_ie.training.trainer import build_model


def test_counts_are_symmetric_and_weighted_by_distance():
    counter = CooccurrenceCounter(vocab_size=4, window=2)
    counter.add([1, 2, 3])
    m = counter.matrix()
    assert m[1, 2] == m[2, 1] == 1.0 and m[2, 3] == 1.0
    assert m[1, 3] == m[3, 1] == 0.5
    assert m[0].sum() == 0 and m.sum() == 5.0


def test_tokens_sharing_contexts_get_similar_vectors():
    # Two topics that never share a sentence: vectors must keep them apart.
    rng = random.Random(0)
    groups = [list(range(2, 12)), list(range(12, 22))]
    sentences = [[rng.choice(groups[i % 2]) for _ in range(12)] for i in range(400)]
    vectors, info = train_embeddings(sentences, vocab_size=24, dim=4, window=3, progress=False)
    assert vectors.shape == (24, 4) and info.tokens == 400 * 12
    unit = torch.nn.functional.normalize(vectors, dim=1)
    within = (unit[2] @ unit[3]).item()
    across = (unit[2] @ unit[13]).item()
    assert within > 0.8 and across < within - 0.5
    assert vectors[0].abs().sum() == 0 and vectors[23].abs().sum() == 0  # never seen


def test_initialisation_keeps_the_init_scale_and_unseen_rows():
    table = torch.nn.Embedding(6, 3)
    encoder = torch.nn.Module()
    encoder.get_input_embeddings = lambda: table  # type: ignore[method-assign]
    before = table.weight.detach().clone()
    vectors = torch.zeros(6, 3)
    vectors[1:4] = torch.tensor([[10.0, 0, 0], [0, 10.0, 0], [0, 0, 30.0]])
    assert initialise_word_embeddings(encoder, vectors) == 3
    after = table.weight.detach()
    assert torch.equal(after[0], before[0]) and torch.equal(after[5], before[5])
    assert after[1:4].std().item() == pytest.approx(before[1:4].std().item(), rel=1e-4)
    assert after[3, 2] > after[1, 0] > 0
    with pytest.raises(EmbeddingError, match="do not fit"):
        initialise_word_embeddings(encoder, torch.zeros(7, 3))


def _corpus(path: Path, texts: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
    return path


def test_cli_embeddings_start_a_training_config(tiny_gold, tmp_path):
    texts = [doc.text for doc in tiny_gold] * 5
    corpus = _corpus(tmp_path / "c.jsonl.gz", texts)
    train_and_save(texts, tmp_path / "tok", vocab_size=400)
    out = tmp_path / "emb"
    argv = ["pretrain", "embeddings", "--corpus", str(corpus), "--tokenizer", str(tmp_path / "tok")]
    assert cli_main([*argv, "--out", str(out), "--dim", "48", "--no-progress"]) == 0
    vectors = load_embeddings(out)
    info = json.loads((out / "embeddings.json").read_text())
    assert vectors.shape == (400, 48) and info["articles"] == len(texts) - 1  # one article held out

    cfg = {**TINY_CONFIG, "model": {**TINY_CONFIG["model"], "tokenizer": str(tmp_path / "tok")}}
    model = build_model(build_config(cfg, [f"model.embeddings={out}"]), tiny_gold)
    table = model.encoder.get_input_embeddings().weight.detach()
    seen = vectors.abs().sum(1) > 0
    cosine = torch.nn.functional.cosine_similarity(table[seen], vectors[seen], dim=1)
    assert torch.allclose(cosine, torch.ones_like(cosine), atol=1e-4)

    with pytest.raises(ConfigError, match=r"model\.embeddings: .*do not fit"):
        build_model(build_config(cfg, [f"model.embeddings={out}", "model.encoder_config.hidden_size=32"]), [])
    with pytest.raises(ConfigError, match=r"model\.embeddings: no embeddings"):
        build_model(build_config(cfg, [f"model.embeddings={tmp_path / 'none'}"]), [])
    assert cli_main([*argv[:3], str(tmp_path / "missing.gz"), *argv[4:], "--out", str(out)]) == 2
