"""Silver labels from the lexicons and normalizers alone (diplo_ie.training.silver)."""

import gzip
import itertools
import json
from pathlib import Path

import torch
from tiny_model import RECORDS, TINY_CONFIG

from diplo_ie.annotations import save_documents
from diplo_ie.annotations.compact import compile_compact
from diplo_ie.annotations.corpus import fixed_split
from diplo_ie.training import build_config, train
from diplo_ie.training.silver import silver_documents, silver_spans
from diplo_ie.training.trainer import _silver_stage, build_model


def _labelled(text: str) -> str:
    return " | ".join(f"{s.label}:{s.text}" for s in silver_spans(text))


def test_a_title_anchors_a_name_the_gazetteer_does_not_know():
    text = "Chiều ngày 15/11, Thủ tướng Hà Lan Dick Schoof điện đàm với Tổng thống Nga Vladimir Putin trong một tiếng."
    assert _labelled(text) == (
        "DATE:Chiều ngày 15/11 | TITLE:Thủ tướng Hà Lan | LEADER:Dick Schoof | CALL:điện đàm | "
        "TITLE:Tổng thống Nga | LEADER:Vladimir Putin | DURATION:một tiếng"
    )


def test_what_is_no_silver_span():
    # An institution after a title is no name, a role word alone nobody in particular, an ordinal no weekday,
    # and a length outside a call sentence no call's length.
    text = "Chủ tịch UBND tỉnh nói các nhà lãnh đạo đã họp lần thứ hai. Cuộc họp kéo dài 24 giờ."
    assert _labelled(text) == "TITLE:Chủ tịch"


def test_an_honorific_anchors_a_name_and_the_country_joins_a_role():
    text = "Ông James Comey gọi điện cho người đồng cấp Pháp."
    assert _labelled(text) == "LEADER:James Comey | CALL:gọi điện | TITLE:người đồng cấp Pháp"


def test_silver_spans_slice_the_text_and_never_overlap():
    for path in sorted(Path("seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = silver_spans(text)
        assert spans and all(text[s.start : s.end] == s.text for s in spans)
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def _corpus(directory: Path, articles: dict[str, str], blind: dict[str, str]) -> None:
    directory.mkdir()
    with gzip.open(directory / "baomoi-2017.jsonl.gz", "wt", encoding="utf-8") as fh:
        for article_id, text in articles.items():
            fh.write(json.dumps({"id": article_id, "title": "t", "text": text}, ensure_ascii=False) + "\n")
    (directory / "blind-2017.jsonl").write_text(
        "".join(
            json.dumps({"id": i, "title": "t", "text": t}, ensure_ascii=False) + "\n"
            for i, t in blind.items()
        ),
        encoding="utf-8",
    )


CALL = "Thủ tướng Hà Lan Dick Schoof điện đàm với Tổng thống Nga Vladimir Putin."


def _ids(split: str, n: int) -> list[str]:
    return [i for i in map(str, range(1000, 1100)) if fixed_split("baomoi-2017", i) == split][:n]


def test_silver_documents_are_unannotated_unseen_train_articles_that_name_a_call(tmp_path, monkeypatch):
    (kept, annotated, blind, quiet), (dev,) = _ids("train", 4), _ids("dev", 1)
    _corpus(
        tmp_path / "corpus",
        {
            kept: CALL,
            annotated: CALL,
            blind: CALL,
            quiet: "Thủ tướng Hà Lan Dick Schoof thăm Nga.",
            dev: CALL,
        },
        {blind: CALL},
    )
    monkeypatch.setenv("DIPLO_IE_CORPUS_DIR", str(tmp_path / "corpus"))
    docs = silver_documents(["baomoi-2017"], 10, {("baomoi-2017", annotated)}, seed=1)
    assert [d.id for d in docs] == [f"baomoi-2017-{kept}"]
    assert [s.label for s in docs[0].spans] == ["TITLE", "LEADER", "CALL", "TITLE", "LEADER"]


def test_the_silver_stage_trains_the_tagger_and_leaves_the_relation_and_status_heads(tmp_path, monkeypatch):
    _corpus(tmp_path / "corpus", dict.fromkeys(_ids("train", 6), CALL), {})
    monkeypatch.setenv("DIPLO_IE_CORPUS_DIR", str(tmp_path / "corpus"))
    cfg = build_config(
        {
            **TINY_CONFIG,
            "output_dir": str(tmp_path / "out"),
            "silver": {"epochs": 2, "corpora": ["baomoi-2017"]},
        }
    )
    model = build_model(cfg, [compile_compact(r) for r in RECORDS])
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    (tmp_path / "out").mkdir()
    _silver_stage(model, cfg, frozenset(), tmp_path / "out")
    moved = {name for name, p in model.named_parameters() if not torch.equal(p, before[name])}
    assert any(name.startswith("encoder.") for name in moved)
    assert not any(name.startswith("heads.") for name in moved)
    (line,) = (json.loads(x) for x in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()[-1:])
    assert (line["stage"], line["documents"], line["epoch"]) == ("silver", 6, 2)


def test_training_runs_the_silver_epochs_before_the_gold_ones(tmp_path, monkeypatch):
    _corpus(tmp_path / "corpus", dict.fromkeys(_ids("train", 3), CALL), {})
    monkeypatch.setenv("DIPLO_IE_CORPUS_DIR", str(tmp_path / "corpus"))
    save_documents([compile_compact(r) for r in RECORDS], tmp_path / "data" / "gold.jsonl")
    cfg = build_config(
        {
            **TINY_CONFIG,
            "output_dir": str(tmp_path / "out"),
            "data": {**TINY_CONFIG["data"], "annotations": [str(tmp_path / "data")]},
            "training": {**TINY_CONFIG["training"], "epochs": 2},
            "silver": {"epochs": 1, "corpora": ["baomoi-2017"]},
        }
    )
    train(cfg)
    lines = [json.loads(x) for x in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()]
    assert [(x.get("stage", "gold"), x["epoch"]) for x in lines] == [("silver", 1), ("gold", 1), ("gold", 2)]
