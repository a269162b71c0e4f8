"""End to end on a tiny random encoder: overfit a tiny fixture, save/load, evaluate, long documents."""

import json
from pathlib import Path

import pytest

from diplo_ie.annotations import compile_compact, save_documents
from diplo_ie.cli.main import main
from diplo_ie.evaluation import evaluate, score_events
from diplo_ie.modeling import DiploModel
from diplo_ie.schema import CallEvent, DateValue, Document, DurationValue, Participant
from diplo_ie.training import ConfigError, build_config, train

RECORDS = [
    {
        "id": "w-1",
        "source": "written",
        "split": "train",
        "published": "2024-11-16",
        "text": "Chiều ngày 15/11, Thủ tướng Đức Olaf Scholz đã điện đàm với Tổng thống Nga Vladimir Putin. "
        "Cuộc điện đàm kéo dài một tiếng.",
        "spans": [
            ["d1", "DATE", "Chiều ngày 15/11"],
            ["t1", "TITLE", "Thủ tướng Đức"],
            ["l1", "LEADER", "Olaf Scholz"],
            ["c1", "CALL", "điện đàm"],
            ["t2", "TITLE", "Tổng thống Nga"],
            ["l2", "LEADER", "Vladimir Putin"],
            ["c2", "CALL", "Cuộc điện đàm"],
            ["u1", "DURATION", "một tiếng"],
        ],
        "events": [
            {
                "status": "occurred",
                "calls": ["c1", "c2"],
                "participants": [
                    {"name": "Olaf Scholz", "spans": ["t1", "l1"]},
                    {"name": "Vladimir Putin", "spans": ["t2", "l2"]},
                ],
                "date": {"value": "2024-11-15", "span": "d1"},
                "duration": {"minutes": 60, "span": "u1"},
            }
        ],
    },
    {
        "id": "w-2",
        "source": "written",
        "split": "train",
        "text": "Tổng thống Mỹ Joe Biden sẽ điện đàm với Chủ tịch Trung Quốc Tập Cận Bình vào tuần tới.",
        "spans": [
            ["t1", "TITLE", "Tổng thống Mỹ"],
            ["l1", "LEADER", "Joe Biden"],
            ["c1", "CALL", "điện đàm"],
            ["t2", "TITLE", "Chủ tịch Trung Quốc"],
            ["l2", "LEADER", "Tập Cận Bình"],
            ["d1", "DATE", "tuần tới"],
        ],
        "events": [
            {
                "status": "planned",
                "calls": ["c1"],
                "participants": [
                    {"name": "Joe Biden", "spans": ["t1", "l1"]},
                    {"name": "Tập Cận Bình", "spans": ["t2", "l2"]},
                ],
                "date": {"value": None, "span": "d1"},
            }
        ],
    },
    {
        "id": "w-3",
        "source": "written",
        "split": "dev",
        "text": "Thủ tướng Anh Keir Starmer gặp Tổng thống Pháp Emmanuel Macron hôm 3/2 tại Paris.",
        "spans": [
            ["t1", "TITLE", "Thủ tướng Anh"],
            ["l1", "LEADER", "Keir Starmer"],
            ["t2", "TITLE", "Tổng thống Pháp"],
            ["l2", "LEADER", "Emmanuel Macron"],
            ["d1", "DATE", "hôm 3/2"],
        ],
    },
]

TINY_CONFIG = {
    "seed": 7,
    "data": {"train_splits": ["train", "dev"]},
    "model": {
        "encoder": "random",
        "encoder_config": {
            "hidden_size": 48,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 96,
        },
        "tokenizer": "train-from-data",
        "tokenizer_vocab_size": 400,
        "encoding": {"max_length": 64, "stride": 16},
        "heads": {"span_dim": 32, "hidden_dim": 32, "distance_dim": 8, "dropout": 0.0},
    },
    "training": {
        "epochs": 40,
        "batch_size": 8,
        "learning_rate": 0.005,
        "warmup_ratio": 0.0,
        "early_stopping_patience": 1000,
    },
}


@pytest.fixture(scope="module")
def gold() -> list[Document]:
    return [compile_compact(r) for r in RECORDS]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, gold):
    root = tmp_path_factory.mktemp("run")
    save_documents(gold, root / "data" / "gold.jsonl")
    cfg = build_config(
        {
            **TINY_CONFIG,
            "output_dir": str(root / "out"),
            "data": {**TINY_CONFIG["data"], "annotations": [str(root / "data")]},
        }
    )
    train(cfg)
    # The last epoch's model (the checkpoint) is the fully fitted one; "best" follows the dev split only.
    return root / "out"


def _key(pred):
    return (
        [(s.label, s.start, s.end, round(s.score, 5)) for s in pred.spans],
        [(r.type, r.head, r.tail, round(r.score, 5)) for r in pred.relations],
        {k: (v.status, round(v.score, 5)) for k, v in pred.call_status.items()},
    )


def test_overfits_the_fixture(trained, gold):
    lines = [json.loads(x) for x in (trained / "metrics.jsonl").read_text().splitlines()]
    assert lines[-1]["train_loss"] < lines[0]["train_loss"] / 5
    model = DiploModel.from_pretrained(trained / "checkpoint")
    metrics = evaluate(model, gold)["all"]
    assert metrics["spans"]["micro"]["f1"] == 1.0
    assert metrics["tokens_seqeval"]["micro avg"]["f1-score"] == 1.0
    assert metrics["relations"]["micro"]["f1"] == 1.0
    assert metrics["status_confusion"]["planned"] == {"planned": 1}


def test_save_load_is_identical_and_pickle_free(trained, gold, tmp_path):
    model = DiploModel.from_pretrained(trained / "checkpoint")
    model.save_pretrained(tmp_path / "copy")
    files = {p.name for p in (tmp_path / "copy").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= files
    assert not [f for f in files if f.endswith((".bin", ".pt", ".pkl", ".pth", ".ckpt"))]
    again = DiploModel.from_pretrained(tmp_path / "copy")
    a, b = model.predict_detailed(gold), again.predict_detailed(gold)
    assert [_key(p) for p in a] == [_key(p) for p in b]
    assert evaluate(model, gold) == evaluate(again, gold)
    for directory in (trained / "best", trained / "checkpoint"):
        assert not [p for p in directory.iterdir() if p.suffix in (".bin", ".pt", ".pkl", ".pth")]


def test_predict_returns_documents_with_status(trained, gold):
    docs = DiploModel.from_pretrained(trained / "checkpoint").predict(gold[:2])
    statuses = {docs[1].span_by_id()[k].text: v["status"] for k, v in docs[1].meta["call_status"].items()}
    assert statuses == {"điện đàm": "planned"}
    assert all(s.score is not None for s in docs[0].spans)


def test_long_document_is_windowed_and_fully_tagged(trained, gold):
    model = DiploModel.from_pretrained(trained / "checkpoint")
    text = (gold[0].text + " ") * (20_000 // len(gold[0].text) + 1)
    text = text[: text.rfind(".", 0, 20_000) + 1]
    assert len(text) > 19_000
    doc = Document(id="long", text=text)
    enc = model.document_encoder.encode(doc)
    assert len(enc.windows) > 10 and enc.windows[-1][1] == len(enc.tokens)
    (pred,) = model.predict_detailed([doc])
    assert len(pred.tags) == len(enc.tokens)
    assert max(s.end for s in pred.spans) > len(text) - 200  # the end of the text is tagged too
    # every stretch of the document gets spans: nothing was dropped between or after windows
    assert {s.start // 1000 for s in pred.spans} == set(range(len(text) // 1000 + 1))


def test_resume_continues_from_checkpoint(trained, gold, tmp_path):
    data = tmp_path / "data"
    save_documents(gold, data / "gold.jsonl")
    cfg = {
        **TINY_CONFIG,
        "output_dir": str(tmp_path / "out"),
        "data": {**TINY_CONFIG["data"], "annotations": [str(data)]},
    }
    train(build_config(cfg, ["training.epochs=1"]))
    train(build_config(cfg, ["training.epochs=2"]), resume=True)
    epochs = [json.loads(x)["epoch"] for x in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()]
    assert epochs == [1, 2]


def test_config_errors_name_the_key():
    with pytest.raises(ConfigError, match=r"training\.lr: unknown key \(did you mean learning_rate\?\)"):
        build_config({"training": {"lr": 0.1}})
    with pytest.raises(ConfigError, match=r"model\.heads\.spandim: unknown key \(did you mean span_dim\?\)"):
        build_config({}, ["model.heads.spandim=3"])
    with pytest.raises(ConfigError, match=r"training\.epochs: .*integer"):
        build_config({"training": {"epochs": "many"}})
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        build_config({}, ["training.epochs"])
    assert build_config({}, ["training.epochs=3"]).training.epochs == 3


def test_cli_reports_config_errors(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("training:\n  learning_rat: 0.1\n", encoding="utf-8")
    assert main(["train", str(config)]) == 2
    assert "training.learning_rat: unknown key (did you mean learning_rate?)" in capsys.readouterr().err


def test_shipped_configs_validate():
    from diplo_ie.training import load_config

    for path in Path("configs").glob("*.yaml"):
        load_config(path)


def test_score_events():
    def event(names, date, minutes, status="occurred"):
        people = [Participant(n) if n else Participant(None, "Thủ tướng", "Iraq") for n in names]
        duration = DurationValue("y", minutes) if minutes else None
        return CallEvent(people, status, DateValue("x", date), duration)

    gold = [event(["Olaf Scholz", "Vladimir Putin"], "2024-11-15", 60), event(["Joe Biden", None], None, 0)]
    pred = [
        event(["vladimir  putin", "Olaf Scholz"], "2024-11-15", 60),
        event(["Joe Biden", None], "2024", 0),
    ]
    scores = score_events(gold, pred)
    assert scores["event"]["tp"] == 1 and scores["event"]["f1"] == 0.5
    assert scores["participants"]["f1"] == 1.0
