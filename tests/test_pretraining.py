"""Fast checks of the pretraining package on a tiny synthetic corpus (no real corpus, no network)."""

from __future__ import annotations

import gzip
import json
import random
import unicodedata
from pathlib import Path

import pytest
import torch
import yaml
from transformers import AutoModel, AutoTokenizer

from diplo_ie.cli.errors import UserError
from diplo_ie.cli.main import build_parser
from diplo_ie.cli.main import main as cli_main
from diplo_ie.cli.pretrain import _mlm
from diplo_ie.pretraining.config import ConfigError, config_from_dict, load_config
from diplo_ie.pretraining.data import DataPosition, PackedStream, mask_tokens, pack
from diplo_ie.pretraining.mlm import FINAL_DIR, run
from diplo_ie.pretraining.tokenizer import train_and_save

SENTENCES = [
    "Tổng thống Nga Vladimir Putin điện đàm với người đồng cấp Mỹ Donald Trump.",
    "Thủ tướng Đức Angela Merkel đã nói chuyện qua điện thoại với Tổng thống Pháp.",
    "Chiều ngày 15/11, hai nhà lãnh đạo thảo luận về tình hình Syria trong 50 phút.",
    "Chủ tịch Trung Quốc Tập Cận Bình hôm 28/12 có cuộc gọi với Thủ tướng Nhật Bản.",
    "Giá vàng trong nước tăng nhẹ, thị trường chứng khoán giảm điểm phiên sáng nay.",
    "Đội tuyển Việt Nam thắng 3-0 trong trận giao hữu tối qua tại sân Mỹ Đình.",
]
REPO_CONFIG = Path(__file__).resolve().parents[1] / "configs" / "pretrain-small.yaml"


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


def _config(corpus: Path, tokenizer: Path, out: Path, total_steps: int = 4) -> dict:
    return {
        "model": {
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        },
        "data": {
            "corpus": str(corpus),
            "tokenizer": str(tokenizer),
            "seq_len": 32,
            "heldout_every": 10,
            "heldout_max_sequences": 8,
            "chunk_articles": 4,
        },
        "train": {
            "output_dir": str(out),
            "batch_size": 4,
            "total_steps": total_steps,
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


def test_pack_and_masking(tiny: tuple[Path, Path]) -> None:
    seqs = pack([[10, 11, 12], [13, 14]], seq_len=4, bos_id=0, eos_id=2)
    assert seqs == [[0, 10, 11, 12], [0, 2, 13, 14]]
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    ids = torch.randint(5, len(tokenizer), (64, 32))
    ids[:, 0] = tokenizer.bos_token_id
    inputs, labels = mask_tokens(ids, tokenizer, 0.15, torch.Generator().manual_seed(0))
    targets = labels != -100
    assert not targets[:, 0].any()  # <s> is never a target
    assert 0.10 < targets.float().mean() < 0.20
    assert (inputs[targets] == tokenizer.mask_token_id).float().mean() > 0.6
    assert torch.equal(inputs[~targets], ids[~targets])


def test_stream_resumes_at_position(tiny: tuple[Path, Path]) -> None:
    corpus, tok_dir = tiny
    tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))
    stream = PackedStream(str(corpus), tokenizer, 32, 10, 4, seed=1)
    it = iter(stream)
    head = [next(it) for _ in range(7)]
    saved = DataPosition(**stream.position.to_dict())
    rest = [next(it) for _ in range(400)]
    assert stream.position.epoch >= 1  # the comparison crossed chunks and an epoch boundary
    resumed = iter(PackedStream(str(corpus), tokenizer, 32, 10, 4, seed=1, position=saved))
    assert [next(resumed) for _ in range(400)] == rest
    assert head[0] != rest[0]


def test_stream_rejects_corpus_too_small(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(str(tiny[1]))
    corpus = tmp_path / "small.jsonl"
    corpus.write_text(json.dumps({"id": "1", "text": "điện đàm"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="too little"):
        next(iter(PackedStream(str(corpus), tokenizer, 32, 0, 4, seed=1)))


def test_mlm_steps_checkpoint_and_exact_resume(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, tok_dir = tiny
    straight = run(config_from_dict(_config(corpus, tok_dir, tmp_path / "a")), progress=False)
    assert straight.step == 4 and all(torch.isfinite(torch.tensor(straight.losses)))
    assert straight.heldout_start is not None and straight.heldout_last is not None

    config_b = config_from_dict(_config(corpus, tok_dir, tmp_path / "b"))
    first = run(config_b, stop_at_step=3, progress=False)
    assert first.losses == straight.losses[:3]
    assert (tmp_path / "b" / "checkpoint" / "model.safetensors").is_file()
    resumed = run(config_b, resume=True, progress=False)
    assert resumed.step == 4
    assert resumed.losses == [straight.losses[3]]

    encoder = AutoModel.from_pretrained(str(tmp_path / "b" / FINAL_DIR))
    assert encoder.config.hidden_size == 32
    assert (tmp_path / "b" / FINAL_DIR / "model.safetensors").is_file()
    records = [json.loads(line) for line in (tmp_path / "b" / "log.jsonl").read_text().splitlines()]
    assert {"step", "loss", "tokens_per_s"} <= set(next(r for r in records if r["event"] == "train"))


def test_unknown_config_key_is_named(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    raw = _config(*tiny, tmp_path)
    raw["train"]["learning_rate"] = 1e-3
    with pytest.raises(ConfigError, match=r"train\.learning_rate"):
        config_from_dict(raw)
    with pytest.raises(ConfigError, match="batch_size"):
        config_from_dict({"train": {"batch_size": "32"}})
    with pytest.raises(ConfigError, match="bogus"):
        config_from_dict({"bogus": {}})


def test_cli_reports_bad_config_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model:\n  hidden: 64\n", encoding="utf-8")
    assert cli_main(["pretrain", "mlm", str(bad)]) == 2
    assert "model.hidden" in capsys.readouterr().err


def test_repo_config_is_valid() -> None:
    config = load_config(REPO_CONFIG)
    assert config.model.hidden_size % config.model.num_attention_heads == 0


def test_cli_resume_without_checkpoint_is_a_user_error(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(_config(*tiny, tmp_path / "empty")), encoding="utf-8")
    with pytest.raises(UserError, match="no checkpoint"):
        _mlm(build_parser().parse_args(["pretrain", "mlm", str(config), "--resume"]))


def test_cli_trains_tokenizer(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "tok"
    argv = ["pretrain", "tokenizer", "--corpus", str(tiny[0]), "--out", str(out), "--vocab-size", "500"]
    assert cli_main(argv) == 0
    assert len(AutoTokenizer.from_pretrained(str(out))) == 500
    assert cli_main([*argv[:3], str(tmp_path / "missing.jsonl"), *argv[4:]]) == 2
