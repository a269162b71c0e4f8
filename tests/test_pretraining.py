"""Fast checks of the pretraining package on a tiny synthetic corpus (no real corpus, no network)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from safetensors.torch import load_file
from transformers import AutoModel, AutoTokenizer

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.main import build_parser
from diplo_ie.cli.main import main as cli_main
from diplo_ie.cli.pretrain import _encoder
from diplo_ie.config import ConfigError
from diplo_ie.modeling.model import DiploModel
from diplo_ie.pretraining.config import PretrainConfig, build_config, load_config
from diplo_ie.pretraining.data import (
    MANIFEST,
    TRAIN,
    DataPosition,
    SequenceSampler,
    build_pack,
    ensure_pack,
    heldout_sequences,
    load_tokens,
    read_manifest,
)
from diplo_ie.pretraining.electra import Electra, _sample
from diplo_ie.pretraining.masking import TokenTable, mask_tokens, masking_units
from diplo_ie.pretraining.mlm import MaskedLM, SpecialIds
from diplo_ie.pretraining.tokenizer import train_and_save
from diplo_ie.pretraining.trainer import FINAL_DIR, PRETRAINING_FILE, _lr_factor, export_encoder, run
from diplo_ie.run_folder import FolderInUse, run_folder_lock

SENTENCES = [
    "Tổng thống Nga Vladimir Putin điện đàm với người đồng cấp Mỹ Donald Trump.",
    "Thủ tướng Đức Angela Merkel đã nói chuyện qua điện thoại với Tổng thống Pháp.",
    "Chiều ngày 15/11, hai nhà lãnh đạo thảo luận về tình hình Syria trong 50 phút.",
    "Chủ tịch Trung Quốc Tập Cận Bình hôm 28/12 có cuộc gọi với Thủ tướng Nhật Bản.",
    "Giá vàng trong nước tăng nhẹ, thị trường chứng khoán giảm điểm phiên sáng nay.",
    "Đội tuyển Việt Nam thắng 3-0 trong trận giao hữu tối qua tại sân Mỹ Đình.",
]
REPO = Path(__file__).resolve().parents[1]
REPO_CONFIGS = sorted((REPO / "configs").glob("pretrain-*.yaml"))


def _corpus(path: Path, articles: int = 40) -> Path:
    rng = random.Random(0)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for i in range(articles):
            text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
            handle.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pretrain")
    corpus = _corpus(root / "corpus.jsonl.gz")
    train_and_save(SENTENCES * 20, root / "tokenizer", vocab_size=1000)
    return corpus, root / "tokenizer"


def _config(corpus: Path, tokenizer: Path, out: Path, pack: Path, objective: str = "mlm") -> dict:
    return {
        "output_dir": str(out),
        "model": {
            "objective": objective,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            "generator_hidden_size": 8,
            "generator_intermediate_size": 16,
        },
        "data": {
            "corpora": [str(corpus)],
            "pack_dir": str(pack),
            "tokenizer": str(tokenizer),
            "seq_len": 32,
            "heldout_every": 10,
            "heldout_max_sequences": 8,
        },
        "training": {
            "batch_size": 4,
            "total_steps": 4,
            "warmup_steps": 1,
            "log_every": 1,
            "eval_every": 2,
            "checkpoint_minutes": 60.0,
            "num_threads": 1,
        },
    }


def test_tokenizer_offsets_map_back_to_text(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    text = "Tổng thống Nga Vladimir Putin điện đàm"
    enc = tokenizer(text, return_offsets_mapping=True)
    assert enc["input_ids"][0] == tokenizer.bos_token_id and enc["input_ids"][-1] == tokenizer.eos_token_id
    pieces = [text[a:b] for a, b in enc["offset_mapping"][1:-1]]
    assert "".join(pieces) == text.replace(" ", "")
    # Frequent syllables with diacritics are single tokens, not byte fragments.
    assert {"Tổng", "thống", "điện", "đàm"} <= set(pieces)
    assert tokenizer.convert_tokens_to_ids(["<s>", "<pad>", "</s>", "<unk>", "<mask>"]) == [0, 1, 2, 3, 4]


def test_tokenizer_normalizes_decomposed_accents(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    nfc = "điện đàm"
    nfd = unicodedata.normalize("NFD", nfc)
    assert tokenizer(nfd)["input_ids"] == tokenizer(nfc)["input_ids"]


def _ids(tokenizer, text: str) -> torch.Tensor:
    return torch.tensor([[tokenizer.bos_token_id, *tokenizer(text, add_special_tokens=False)["input_ids"]]])


def _unit_texts(tokenizer, ids: torch.Tensor, units: torch.Tensor) -> list[str]:
    groups: dict[int, list[int]] = {}
    for token, unit in zip(ids[0].tolist(), units[0].tolist(), strict=True):
        groups.setdefault(unit, []).append(token)
    return [tokenizer.decode(g).strip() for g in groups.values()]


def test_masking_units_are_words_and_names(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    table = TokenTable.from_tokenizer(tokenizer)
    ids = _ids(tokenizer, "điện đàm với Vladimir Putin, Schwarzenegger và\nTập Cận Bình.")
    # The tiny vocabulary splits the foreign names into several pieces each.
    assert len(ids[0]) > 14
    pieces = _unit_texts(tokenizer, ids, masking_units(ids, table, whole_word=False, name_runs=False))
    assert len(pieces) == len(ids[0])
    words = _unit_texts(tokenizer, ids, masking_units(ids, table, whole_word=True, name_runs=False))
    # The tiny vocabulary has no "ĠS": the space before "Schwarzenegger" is a token (and a unit) of its own.
    assert words == [
        "<s>",
        "điện",
        "đàm",
        "với",
        "Vladimir",
        "Putin,",
        "",
        "Schwarzenegger",
        "và",
        "",
        "Tập",
        "Cận",
        "Bình.",
    ]
    names = _unit_texts(tokenizer, ids, masking_units(ids, table, whole_word=True, name_runs=True))
    # A comma ends a name run; a newline is a boundary of its own.
    assert names == [
        "<s>",
        "điện",
        "đàm",
        "với",
        "Vladimir Putin,",
        "",
        "Schwarzenegger",
        "và",
        "",
        "Tập Cận Bình.",
    ]


def test_whole_word_masking_masks_all_pieces_together(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    table = TokenTable.from_tokenizer(tokenizer)
    ids = _ids(tokenizer, " ".join(SENTENCES) + " Schwarzenegger").repeat(64, 1)
    units = masking_units(ids, table, whole_word=True, name_runs=True)
    inputs, labels = mask_tokens(ids, table, 0.15, torch.Generator().manual_seed(0))
    targets = labels != -100
    assert not targets[:, 0].any()  # <s> is never a target
    assert 0.10 < targets.float().mean() < 0.20
    for unit in units.unique():
        in_unit = units == unit
        assert targets[in_unit].all() or not targets[in_unit].any()
    assert (inputs[targets] == tokenizer.mask_token_id).float().mean() > 0.6
    assert torch.equal(inputs[~targets], ids[~targets])
    assert torch.equal(labels[targets], ids[targets])
    plain, _ = mask_tokens(ids, table, 0.15, torch.Generator().manual_seed(0), corrupt=False)
    assert (plain[targets] == tokenizer.mask_token_id).all()


def _tiny_config() -> PretrainConfig:
    return build_config(
        {
            "model": {
                "hidden_size": 32,
                "num_hidden_layers": 2,
                "num_attention_heads": 2,
                "intermediate_size": 64,
                "generator_hidden_size": 8,
                "generator_intermediate_size": 16,
                "hidden_dropout_prob": 0.0,
                "attention_probs_dropout_prob": 0.0,
            },
            "data": {"seq_len": 32},
        }
    )


def test_mlm_loss_is_over_masked_positions_only(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    torch.manual_seed(0)
    ids = SpecialIds(len(tokenizer), tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id)
    model = MaskedLM(_tiny_config(), ids).eval()
    original = torch.randint(5, len(tokenizer), (4, 32))
    labels = torch.full_like(original, -100)
    labels[:, 3:7] = original[:, 3:7]
    out = model(original, original, labels)
    logits = model.model(input_ids=original).logits
    expected = torch.nn.functional.cross_entropy(
        logits[:, 3:7].reshape(-1, logits.shape[-1]), original[:, 3:7].reshape(-1)
    )
    assert torch.allclose(out.loss, expected, atol=1e-5)
    # The same batch scored over every position would differ: the loss really skips the unmasked ones.
    everywhere = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), original.reshape(-1))
    assert not torch.allclose(out.loss, everywhere, atol=1e-3)


def test_electra_loss_shares_embeddings_and_detects_replacements(tiny: tuple[Path, Path]) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    table = TokenTable.from_tokenizer(tokenizer)
    torch.manual_seed(0)
    ids = SpecialIds(len(tokenizer), tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id)
    model = Electra(_tiny_config(), ids)
    shared = model.discriminator.embeddings.word_embeddings.weight
    assert model.generator.generator_lm_head.weight is shared
    assert model.generator.electra.embeddings.word_embeddings.weight is shared
    assert model.encoder.config.hidden_size == 32 and model.generator.config.hidden_size == 8

    original = _ids(tokenizer, " ".join(SENTENCES))[:, :32].repeat(8, 1)
    inputs, labels = mask_tokens(original, table, 0.3, torch.Generator().manual_seed(1), corrupt=False)
    out = model(original, inputs, labels, torch.Generator().manual_seed(2))
    m = out.metrics
    assert torch.allclose(out.loss, m["generator_loss"] + 50.0 * m["discriminator_loss"])
    # Only masked positions can be replaced (a fill equal to the original counts as original).
    assert 0 < m["replaced_fraction"] <= (labels != -100).float().mean()
    assert 0 <= m["replaced_accuracy"] <= 1
    out.loss.backward()
    assert model.generator.electra.encoder.layer[0].attention.self.query.weight.grad.abs().sum() > 0
    assert model.discriminator.encoder.layer[0].attention.self.query.weight.grad.abs().sum() > 0
    assert model.discriminator_head[0].weight.grad.abs().sum() > 0


def test_pack_splits_heldout_and_is_reused(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, tok_dir = tiny
    tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))
    second = _corpus(tmp_path / "second.jsonl.gz", articles=15)
    manifest = ensure_pack([str(corpus), str(second)], tokenizer, 10, tmp_path / "pack")
    assert [c["corpus"] for c in manifest["corpora"]] == ["corpus.jsonl.gz", "second.jsonl.gz"]
    assert [c["heldout_articles"] for c in manifest["corpora"]] == [4, 2]  # positions 0, 10, 20, 30 / 0, 10
    train = load_tokens(tmp_path / "pack", TRAIN)
    assert len(train) == manifest["train_tokens"] and train[-1] == tokenizer.eos_token_id
    assert (train == tokenizer.eos_token_id).sum() == 36 + 13
    built = (tmp_path / "pack" / MANIFEST).stat().st_mtime_ns
    assert ensure_pack([str(corpus), str(second)], tokenizer, 10, tmp_path / "pack") == manifest
    assert (tmp_path / "pack" / MANIFEST).stat().st_mtime_ns == built
    assert ensure_pack([str(corpus)], tokenizer, 10, tmp_path / "pack")["train_tokens"] < len(train)

    small = build_pack(
        [str(corpus), str(second)], tokenizer, 10, tmp_path / "xz", max_tokens=600, compress=True
    )
    assert not (tmp_path / "xz" / TRAIN).exists() and (tmp_path / "xz" / (TRAIN + ".xz")).is_file()
    # Each corpus stops at the first article that reaches its half of the cap.
    assert all(300 <= c["tokens"] < 300 + 200 for c in small["corpora"])
    plain = build_pack([str(corpus), str(second)], tokenizer, 10, tmp_path / "plain", max_tokens=600)
    assert plain["corpora"] == small["corpora"]
    assert np.array_equal(load_tokens(tmp_path / "xz", TRAIN), load_tokens(tmp_path / "plain", TRAIN))


def test_sampler_resumes_at_position_across_epochs() -> None:
    tokens = np.arange(1000, dtype=np.uint16) + 5
    sampler = SequenceSampler(tokens, seq_len=11, bos_id=0, seed=3)
    first = sampler.next_batch(7)
    assert first.shape == (7, 11) and (first[:, 0] == 0).all()
    assert ((first[:, 2:] - first[:, 1:-1]) == 1).all()  # consecutive tokens of the stream
    saved = DataPosition(**sampler.position.to_dict())
    rest = [sampler.next_batch(30) for _ in range(10)]
    assert sampler.position.epoch >= 2  # 100 windows an epoch
    resumed = SequenceSampler(tokens, seq_len=11, bos_id=0, seed=3, position=saved)
    assert all(torch.equal(resumed.next_batch(30), batch) for batch in rest)
    epoch = torch.cat([SequenceSampler(tokens, 11, 0, seed=3).next_batch(100)])
    assert sorted(epoch[:, 1].tolist()) == [5 + 10 * i for i in range(100)]  # each window once an epoch


def test_heldout_sequences_spread_over_the_stream() -> None:
    tokens = np.arange(1000, dtype=np.uint16)
    seqs = heldout_sequences(tokens, seq_len=11, bos_id=0, max_sequences=4)
    assert seqs[:, 1].tolist() == [0, 330, 660, 990]


@pytest.mark.parametrize("objective", ["mlm", "electra"])
def test_steps_checkpoint_and_exact_resume(tiny: tuple[Path, Path], tmp_path: Path, objective: str) -> None:
    corpus, tok_dir = tiny
    raw_a = _config(corpus, tok_dir, tmp_path / "a", tmp_path / "pack", objective)
    straight = run(build_config(raw_a), progress=False)
    assert straight.step == 4 and all(torch.isfinite(torch.tensor(straight.losses)))
    assert straight.heldout_start is not None and straight.heldout_last is not None

    config_b = build_config(_config(corpus, tok_dir, tmp_path / "b", tmp_path / "pack", objective))
    first = run(config_b, stop_at_step=3, progress=False)
    assert first.losses == straight.losses[:3]
    assert (tmp_path / "b" / "checkpoint" / "model.safetensors").is_file()
    resumed = run(config_b, resume=True, progress=False)
    assert resumed.step == 4 and resumed.tokens == straight.tokens == 4 * 4 * 32
    assert resumed.losses == [straight.losses[3]]

    encoder = AutoModel.from_pretrained(str(tmp_path / "b" / FINAL_DIR))
    assert encoder.config.hidden_size == 32 and encoder.config.model_type == "roberta"
    assert (tmp_path / "b" / FINAL_DIR / "model.safetensors").is_file()
    # The fine-tuning path (`model.encoder: <dir>`) takes the export as it is, tokenizer included.
    model = DiploModel.from_encoder(str(tmp_path / "b" / FINAL_DIR))
    assert len(model.tokenizer) == len(AutoTokenizer.from_pretrained(str(tok_dir)))
    # The checkpoint exports to the same encoder as the run's own final export, with how far it had come.
    cli_main(["pretrain", "export", str(tmp_path / "b"), "--out", str(tmp_path / "exported")])
    exported = load_file(tmp_path / "exported" / "model.safetensors")
    final = load_file(tmp_path / "b" / FINAL_DIR / "model.safetensors")
    assert exported.keys() == final.keys() and all(torch.equal(exported[k], final[k]) for k in final)
    assert json.loads((tmp_path / "exported" / PRETRAINING_FILE).read_text())["tokens"] == resumed.tokens
    assert (tmp_path / "exported" / "tokenizer.json").is_file()
    records = [json.loads(line) for line in (tmp_path / "b" / "log.jsonl").read_text().splitlines()]
    train_record = next(r for r in records if r["event"] == "train")
    assert {"step", "loss", "tokens", "tokens_per_s"} <= set(train_record)
    if objective == "electra":
        assert {"generator_loss", "discriminator_loss", "replaced_accuracy"} <= set(train_record)
        eval_record = next(r for r in records if r["event"] == "eval")
        assert {"heldout_loss", "heldout_discriminator_loss", "heldout_replaced_accuracy"} <= set(eval_record)


def test_resume_from_weights_and_position_alone(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """A checkpoint carried to another machine without its optimizer state goes on from its step and data
    position, and two such continuations agree."""
    corpus, tok_dir = tiny
    raw = _config(corpus, tok_dir, tmp_path / "a", tmp_path / "pack")
    raw["training"] |= {"total_steps": 6, "warmup_steps": 40}
    first = run(build_config(raw), stop_at_step=3, progress=False)
    (tmp_path / "a" / "checkpoint" / "trainer.pt").unlink()
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    runs = [run(build_config(raw, [f"output_dir={tmp_path / d}"]), resume=True, progress=False) for d in "ab"]
    assert runs[0].losses == runs[1].losses and len(runs[0].losses) == 3
    assert runs[0].step == 6 and runs[0].tokens == 6 * 4 * 32 and first.tokens == 3 * 4 * 32
    records = [json.loads(line) for line in (tmp_path / "a" / "log.jsonl").read_text().splitlines()]
    starts = [r for r in records if r["event"] == "start"]
    assert [r["optimizer_restored"] for r in starts] == [True, False]
    rates = [r["lr"] for r in records if r["event"] == "train"]
    # Warm-up over 40 steps; from step 3 the fresh optimizer's rate climbs back over 4 steps (each record
    # gives the rate of the step after it).
    warm = [5e-4 * step / 40 for step in range(1, 7)]
    assert rates == pytest.approx([*warm[:3], warm[3] * 2 / 4, warm[4] * 3 / 4, warm[5]])


def test_rate_climbs_back_after_a_resume_with_a_fresh_optimizer() -> None:
    config = build_config({"training": {"warmup_steps": 100, "total_steps": 1100}})
    plain, resumed = _lr_factor(config, lambda: 0.0), _lr_factor(config, lambda: 0.0, rewarm_from=600)
    assert resumed(600) == pytest.approx(plain(600) / 10)
    assert resumed(604) == pytest.approx(plain(604) / 2)
    assert resumed(610) == plain(610) and resumed(300) == plain(300)


def test_bfloat16_precision_runs_the_steps_under_autocast(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    first_loss = {}
    for precision in ("float32", "bfloat16"):
        raw = _config(*tiny, tmp_path / precision, tmp_path / "pack")
        result = run(build_config(raw, [f"training.precision={precision}"]), stop_at_step=1, progress=False)
        first_loss[precision] = result.losses[0]
    assert 0 < abs(first_loss["float32"] - first_loss["bfloat16"]) < 0.05 * first_loss["float32"]


def test_time_schedule_decays_over_minutes() -> None:
    base = {"training": {"warmup_steps": 2, "total_steps": 10, "schedule_minutes": 4.0}}
    clock = iter([1.0, 3.0, 5.0])
    factor = _lr_factor(build_config(base), lambda: next(clock))
    assert factor(1) == 0.5  # warm-up counts steps
    assert [factor(50), factor(50), factor(50)] == [0.75, 0.25, 0.0]


def test_export_writes_small_bf16_shards_loaded_as_float32(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    ids = SpecialIds(len(tokenizer), tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id)
    encoder = Electra(_tiny_config(), ids).encoder
    export_encoder(encoder, tokenizer, tmp_path / "enc", max_shard_bytes=60_000, bf16_weights=True)
    shards = sorted((tmp_path / "enc").glob("*.safetensors"))
    assert len(shards) >= 2 and all(p.stat().st_size <= 70_000 for p in shards)
    loaded = AutoModel.from_pretrained(str(tmp_path / "enc"))
    assert loaded.dtype == torch.float32
    weight = encoder.embeddings.word_embeddings.weight
    assert torch.equal(loaded.embeddings.word_embeddings.weight, weight.detach().bfloat16().float())


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ({"train": {}}, "train: unknown key (did you mean training?)"),
        ({"training": {"lr": 1e-3}}, "training.lr: unknown key (did you mean learning_rate?)"),
        (
            {"training": {"grad_accum": 2}},
            "training.grad_accum: unknown key (did you mean gradient_accumulation_steps?)",
        ),
        ({"training": {"bf16": True}}, "training.bf16: unknown key (known: learning_rate, batch_size, "),
    ],
)
def test_keys_from_before_the_rename_are_refused_with_a_hint(old: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_config(old)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("model.objective=bert", "model.objective: Input should be 'mlm' or 'electra' (got 'bert')"),
        ("model.hidden_size=250", "model.num_attention_heads: must divide hidden_size 250 (got 4)"),
        (
            "model.num_attention_heads=0",
            "model.num_attention_heads: Input should be greater than or equal to 1",
        ),
        (
            "model.generator_num_attention_heads=3",
            "model.generator_num_attention_heads: must divide generator_hidden_size 64 (got 3)",
        ),
        ("data.corpora=[]", "data.corpora: must name at least one corpus (got [])"),
        ("data.mask_prob=0", "data.mask_prob: Input should be greater than 0 (got 0)"),
        ("data.mask_prob=1", "data.mask_prob: Input should be less than 1 (got 1)"),
        ("data.seq_len=7", "data.seq_len: Input should be greater than or equal to 8 (got 7)"),
        ("training.schedule=step", "training.schedule: Input should be 'linear' or 'cosine' (got 'step')"),
        ("training.precision=float16", "training.precision: Input should be 'float32' or 'bfloat16'"),
        ("training.batch_size=0", "training.batch_size: Input should be greater than or equal to 1 (got 0)"),
        ("training.gradient_accumulation_steps=0", "training.gradient_accumulation_steps: Input should be"),
        ("training.total_steps=0", "training.total_steps: Input should be greater than or equal to 1"),
        ("training.log_every=0", "training.log_every: Input should be greater than or equal to 1"),
        ("training.eval_every=0", "training.eval_every: Input should be greater than or equal to 1"),
    ],
)
def test_validation_rules_name_the_key(override: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_config({}, [override])
    assert str(caught.value).startswith(message)


def test_cli_reports_bad_config_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  hidden: 64\n", encoding="utf-8")
    assert cli_main(["pretrain", "mlm", str(bad)]) == 2
    assert "model.hidden" in capsys.readouterr().err


def test_repo_configs_are_valid() -> None:
    by_name = {p.name: p for p in REPO_CONFIGS}
    assert set(by_name) >= {
        "pretrain-small.yaml",
        "pretrain-electra.yaml",
        "pretrain-mlm.yaml",
        "pretrain-device.yaml",
    }
    for name, objective in (("pretrain-electra.yaml", "electra"), ("pretrain-mlm.yaml", "mlm")):
        config = load_config(by_name[name])
        # The shape configs/default.yaml fine-tunes, with the shipped tokenizer.
        m = config.model
        shape = (m.objective, m.hidden_size, m.num_hidden_layers, m.num_attention_heads, m.intermediate_size)
        assert shape == (objective, 256, 4, 4, 1024)
        assert config.data.seq_len + 2 == 130 and config.data.tokenizer == "diplo_ie/models/default"


def test_blind_file_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^data\.corpora: the blind test set must not be used"):
        build_config({"data": {"corpora": ["../shared/corpus/blind-2017.jsonl"]}})


def test_cli_resume_without_checkpoint_is_a_user_error(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(_config(*tiny, tmp_path / "empty", tmp_path / "pack")), encoding="utf-8")
    with pytest.raises(UserError, match="no checkpoint"):
        _encoder(build_parser().parse_args(["pretrain", "encoder", str(config), "--resume"]))


def test_cli_export_without_checkpoint_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["pretrain", "export", str(tmp_path), "--out", str(tmp_path / "enc")]) == 2
    assert capsys.readouterr().err == f"diplo-ie: error: no pretraining checkpoint in {tmp_path}\n"
    assert not (tmp_path / "enc").exists()


def test_cli_set_and_flags_override_the_config(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(_config(*tiny, tmp_path / "empty", tmp_path / "pack")), encoding="utf-8")

    def encoder(*argv: str) -> None:
        _encoder(build_parser().parse_args(["pretrain", "encoder", str(config), "--resume", *argv]))

    with pytest.raises(UserError, match=f"no checkpoint to resume in {re.escape(str(tmp_path / 'set'))}$"):
        encoder("--set", f"output_dir={tmp_path / 'set'}")
    with pytest.raises(UserError, match=f"no checkpoint to resume in {re.escape(str(tmp_path / 'flag'))}$"):
        encoder("--set", f"output_dir={tmp_path / 'set'}", "--output-dir", str(tmp_path / "flag"))
    with pytest.raises(UserError, match=r"^training\.batch_size: Input should be greater than or equal to 1"):
        encoder("--set", "training.batch_size=0")
    with pytest.raises(UserError, match=r"^data\.tokenizer: Input should be a valid string"):
        encoder("--set", "data.tokenizer=[]")


def test_cli_trains_tokenizer(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "tok"
    argv = ["pretrain", "tokenizer", "--corpus", str(tiny[0]), "--out", str(out), "--vocab-size", "500"]
    assert cli_main(argv) == 0
    assert len(AutoTokenizer.from_pretrained(str(out))) == 500
    assert cli_main([*argv[:3], str(tmp_path / "missing.jsonl"), *argv[4:]]) == 2


def test_device_script_packs_trains_and_writes_shards(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("pretrain_device", REPO / "bench" / "pretrain_device.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    raw = _config(*tiny, tmp_path / "unused", tmp_path / "unused-pack", "electra")
    config = tmp_path / "device.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    pack, out = tmp_path / "pack", tmp_path / "out"
    assert script.main(["--config", str(config), "pack", "--out", str(pack), "--max-tokens", "2000"]) == 0
    assert (pack / (TRAIN + ".xz")).is_file() and 2000 <= read_manifest(pack)["train_tokens"] < 3000
    argv = ["train", "--out", str(out), "--pack", str(pack), "--work", str(tmp_path / "work")]
    assert script.main(["--config", str(config), *argv, "--device", "cpu", "--max-steps", "2"]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "log.jsonl" in files and "encoder/config.json" in files and len(files) <= 8
    assert all(p.stat().st_size <= 15 * 2**20 for p in out.rglob("*"))
    assert AutoModel.from_pretrained(str(out / "encoder")).dtype == torch.float32


def test_generator_samples_follow_its_distribution() -> None:
    logits = torch.log(torch.tensor([[0.7, 0.0, 0.3, 0.0], [0.0, 0.0, 0.0, 1.0]])).repeat(2000, 1)
    fills = _sample(logits, torch.Generator().manual_seed(0)).reshape(2000, 2)
    assert set(fills[:, 0].tolist()) == {0, 2} and (fills[:, 1] == 3).all()
    assert 0.65 < (fills[:, 0] == 0).float().mean() < 0.75


def test_a_second_pretraining_into_a_folder_in_use_is_refused(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    config = build_config(_config(*tiny, out, tmp_path / "pack"))
    with run_folder_lock(out), pytest.raises(FolderInUse, match="in use by process"):
        run(config, stop_at_step=1, progress=False)
    assert not (out / FINAL_DIR).exists()


def test_encoder_table_gives_mean_and_spread_of_the_dev_reports(tmp_path: Path, capsys, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("encoder_table", REPO / "bench" / "encoder_table.py")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "encoder_table", script)  # its dataclass looks its module up there
    spec.loader.exec_module(script)
    runs = []
    for seed, (span, event) in enumerate([(0.90, 0.70), (0.94, 0.60), (None, None)]):
        run = tmp_path / f"run{seed}"
        (run / "eval-dev").mkdir(parents=True)
        # The trainer's own dev scores (another copy of dev) are not what the table reports.
        epochs = [{"dev_score": 0.1, "dev_span_f1": 0.5, "dev_relation_f1": 0.4, "seconds": 60.0},
                  {"dev_score": 0.6, "dev_span_f1": 0.99, "dev_relation_f1": 0.99, "seconds": 120.0}]  # fmt: skip
        (run / "metrics.jsonl").write_text("\n".join(json.dumps(e) for e in epochs), encoding="utf-8")
        if event is not None:
            report = {"spans": {"micro": {"f1": span}}, "relations": {"micro": {"f1": 0.8}},
                      "events": {"event": {"f1": event}, "participants": {"f1": 0.8}}}  # fmt: skip
            (run / "eval-dev" / "report.json").write_text(json.dumps({"all": report}))
        runs.append(str(run))
    assert script.main([f"pretrained={','.join(runs)}"]) == 0
    out, err = capsys.readouterr()
    row = out.splitlines()[-1]
    assert row.startswith("| pretrained | 3 | 0.920 ± 0.020 (2) | 0.800 ± 0.000 (2) | 0.650 ± 0.050 (2) |")
    assert row.endswith("| 3 |") and "run2/eval-dev/report.json not found" in err
    assert script.main(["no-runs"]) == 2
