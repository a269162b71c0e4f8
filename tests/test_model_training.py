"""End to end on a tiny random encoder: overfit a tiny fixture, save/load, evaluate, long documents."""

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from tiny_model import TINY_CONFIG

from diplo_ie.annotations import save_documents
from diplo_ie.cli.main import main
from diplo_ie.core.schema import CallEvent, DateValue, Document, DurationValue, Participant
from diplo_ie.core.spec import CALL_SPEC
from diplo_ie.evaluation import evaluate, score_events
from diplo_ie.modeling.config import HeadConfig
from diplo_ie.modeling.heads import SpanPairHeads
from diplo_ie.modeling.model import DiploModel
from diplo_ie.training import ConfigError, build_config, train


def _key(pred):
    return (
        [(s.label, s.start, s.end, round(s.score, 5)) for s in pred.spans],
        [(r.type, r.head, r.tail, round(r.score, 5)) for r in pred.relations],
        {k: (v.status, round(v.score, 5)) for k, v in pred.call_status.items()},
    )


def test_overfits_the_fixture(tiny_model_dir, tiny_gold):
    lines = [json.loads(x) for x in (tiny_model_dir / "metrics.jsonl").read_text().splitlines()]
    assert lines[-1]["train_loss"] < lines[0]["train_loss"] / 5
    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    metrics = evaluate(model, tiny_gold)["all"]
    assert metrics["spans"]["micro"]["f1"] == 1.0
    assert metrics["tokens_seqeval"]["micro avg"]["f1-score"] == 1.0
    assert metrics["relations"]["micro"]["f1"] == 1.0
    assert metrics["status_confusion"]["planned"] == {"planned": 1}


def test_save_load_is_identical_and_pickle_free(tiny_model_dir, tiny_gold, tmp_path):
    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    model.save_pretrained(tmp_path / "copy")
    files = {p.name for p in (tmp_path / "copy").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= files
    assert not [f for f in files if f.endswith((".bin", ".pt", ".pkl", ".pth", ".ckpt"))]
    again = DiploModel.from_pretrained(tmp_path / "copy")
    a, b = model.predict_detailed(tiny_gold), again.predict_detailed(tiny_gold)
    assert [_key(p) for p in a] == [_key(p) for p in b]
    assert evaluate(model, tiny_gold) == evaluate(again, tiny_gold)
    for directory in (tiny_model_dir / "best", tiny_model_dir / "checkpoint"):
        assert not [p for p in directory.iterdir() if p.suffix in (".bin", ".pt", ".pkl", ".pth")]


def test_analyze_hands_assembly_typed_spans_relations_and_statuses(tiny_model_dir, tiny_gold):
    docs = [tiny_gold[0], dataclasses.replace(tiny_gold[1], published="2024-11-16")]
    analyses = DiploModel.from_pretrained(tiny_model_dir / "checkpoint").analyze(docs)
    by_id = {s.id: s for s in analyses[1].spans}
    assert {by_id[k].text: v.status for k, v in analyses[1].statuses.items()} == {"điện đàm": "planned"}
    assert all(s.score is not None for s in analyses[0].spans)
    assert analyses[1].anchor == dt.date(2024, 11, 16)


def test_bfloat16_on_a_cpu_that_would_emulate_it_is_warned_of(tmp_path):
    from diplo_ie.modeling.precision import emulated_bfloat16_warning

    avx2, amx = tmp_path / "avx2", tmp_path / "amx"
    avx2.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu avx2\n")
    amx.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 amx_bf16\n")
    assert "emulated" in emulated_bfloat16_warning("bfloat16", avx2)
    assert emulated_bfloat16_warning("float32", avx2) is None
    assert emulated_bfloat16_warning("bfloat16", amx) is None
    assert emulated_bfloat16_warning("bfloat16", tmp_path / "no-such-file") is None


def test_bfloat16_precision_runs_the_encoder_in_bfloat16_and_returns_float32(tiny_model_dir, tiny_gold):
    import torch

    from diplo_ie.modeling.predict import encode_all_windows

    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    encs = [model.document_encoder.encode(doc) for doc in tiny_gold[:2]]
    with torch.inference_mode():
        exact = encode_all_windows(model, encs, batch_size=2)
        model.set_precision("bfloat16")
        fast = encode_all_windows(model, encs, batch_size=2)
    for a, b in zip(exact, fast, strict=True):
        assert b[0].dtype == torch.float32
        assert 0 < (a[0] - b[0]).abs().max() < 0.1
    with pytest.raises(ValueError, match="float32, bfloat16"):
        model.set_precision("float16")


def test_long_document_is_windowed_and_fully_tagged(tiny_model_dir, tiny_gold):
    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    text = (tiny_gold[0].text + " ") * (20_000 // len(tiny_gold[0].text) + 1)
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


def _tiny_run_config(tiny_gold, tmp_path) -> dict:
    """TINY_CONFIG training on the tiny gold documents, saved under ``tmp_path``, into ``tmp_path/out``."""
    data = tmp_path / "data"
    save_documents(tiny_gold, data / "tiny_gold.jsonl")
    return {
        **TINY_CONFIG,
        "output_dir": str(tmp_path / "out"),
        "data": {**TINY_CONFIG["data"], "annotations": [str(data)]},
    }


def test_resume_continues_from_checkpoint(tiny_model_dir, tiny_gold, tmp_path):
    cfg = _tiny_run_config(tiny_gold, tmp_path)
    train(build_config(cfg, ["training.epochs=1"]))
    train(build_config(cfg, ["training.epochs=2"]), resume=True)
    epochs = [json.loads(x)["epoch"] for x in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()]
    assert epochs == [1, 2]


def test_resume_without_the_optimizer_state_goes_on_at_the_scheduled_rate(tiny_gold, tmp_path):
    cfg = _tiny_run_config(tiny_gold, tmp_path)
    train(build_config(cfg, ["training.epochs=3"]))
    uninterrupted = (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()
    shutil.rmtree(tmp_path / "out")
    train(build_config(cfg, ["training.epochs=1"]))
    (tmp_path / "out" / "checkpoint" / "optimizer.safetensors").unlink()
    train(build_config(cfg, ["training.epochs=3"]), resume=True)
    resumed = [json.loads(x) for x in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()]
    assert [m["epoch"] for m in resumed] == [1, 2, 3]
    assert [m["lr"] for m in resumed[1:]] == pytest.approx([json.loads(x)["lr"] for x in uninterrupted[1:]])


def test_a_state_without_optimizer_tensors_gives_the_groups_the_saved_rate(tmp_path):
    import torch
    from transformers import get_linear_schedule_with_warmup

    from diplo_ie.training.state import OPTIMIZER_FILE, load_training_state, save_training_state

    def fresh():
        optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.ones(2))], lr=0.1)
        return optimizer, get_linear_schedule_with_warmup(optimizer, 2, 10)

    optimizer, scheduler = fresh()
    for _ in range(5):
        optimizer.step()
        scheduler.step()
    save_training_state(tmp_path, optimizer, scheduler, {"epoch": 1})
    (tmp_path / OPTIMIZER_FILE).unlink()
    optimizer, scheduler = fresh()
    assert load_training_state(tmp_path, optimizer, scheduler) == {"epoch": 1}
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 5 / 8)


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


def test_a_second_run_into_a_folder_in_use_is_refused_in_one_line(tmp_path, capsys):
    from diplo_ie.run_folder import FolderInUse, run_folder_lock

    out = tmp_path / "run"
    config = tmp_path / "c.yaml"
    config.write_text(f"output_dir: {out}\n", encoding="utf-8")
    with run_folder_lock(out):
        with pytest.raises(FolderInUse, match="in use by process"), run_folder_lock(out):
            pass
        assert main(["train", str(config)]) == 2
        err = capsys.readouterr().err
        assert "is in use by process" in err and "Traceback" not in err and err.count("\n") == 1
    with run_folder_lock(out):  # released when the holder's block ends
        pass


def test_shipped_configs_validate():
    from diplo_ie.pretraining.config import load_config as load_pretrain_config
    from diplo_ie.training import load_config

    configs = sorted(Path("configs").glob("*.yaml"))
    assert {p.name for p in configs} >= {
        "tiny-test.yaml",
        "default.yaml",
        "phobert-base-v2.yaml",
        "pretrain-small.yaml",
    }
    for path in configs:
        (load_pretrain_config if path.name.startswith("pretrain-") else load_config)(path)


def test_score_events():
    def event(names, date, minutes, status="occurred"):
        people = [Participant(n) if n else Participant(None, "Thủ tướng", "Iraq") for n in names]
        duration = DurationValue("y", minutes) if minutes else None
        return CallEvent(people, status, DateValue("x", date), duration)

    tiny_gold = [
        event(["Olaf Scholz", "Vladimir Putin"], "2024-11-15", 60),
        event(["Joe Biden", None], None, 0),
    ]
    pred = [
        event(["vladimir  putin", "Olaf Scholz"], "2024-11-15", 60),
        event(["Joe Biden", None], "2024", 0),
    ]
    scores = score_events(tiny_gold, pred)
    assert scores["event"]["tp"] == 1 and scores["event"]["f1"] == 0.5
    assert scores["participants"]["f1"] == 1.0


def test_reports_keep_corpus_text_out():
    from diplo_ie.evaluation.evaluate import _sentence

    text = "Câu một. Tổng thống gọi điện."
    corpus = Document(
        id="baomoi-1",
        text=text,
        source="corpus",
        meta={"standoff": {"corpus": "baomoi-2017", "article_id": "1"}},
    )
    seed = Document(
        id="seed-1", text=text, source="seed", meta={"standoff": {"corpus": "seeds", "article_id": "1"}}
    )
    assert _sentence(corpus, 12) == "[baomoi-2017 text, characters 9-29]"
    assert _sentence(seed, 12) == _sentence(Document(id="w", text=text), 12) == "Tổng thống gọi điện."


def test_training_with_mention_replacement_runs(tiny_gold, tmp_path):
    cfg = _tiny_run_config(tiny_gold, tmp_path)
    metrics = train(build_config(cfg, ["training.epochs=2", "training.augment_prob=0.5"]))
    assert metrics["epoch"] == 2 and metrics["train_loss"] > 0
    with pytest.raises(ConfigError, match="augment_prob"):
        build_config(cfg, ["training.augment_prob=1.5"])


def test_the_schedule_is_sized_on_windows_with_replaced_names(tiny_gold, tmp_path):
    # Replaced names change how many windows an article fills; a schedule sized on the plain articles ends
    # early or late, and the rate after epoch 1 of 2 is then not the midpoint of the decay.
    cfg = _tiny_run_config(tiny_gold, tmp_path)
    overrides = ["training.epochs=2", "training.augment_prob=1.0", "training.batch_size=1"]
    overrides += ["model.encoding.max_length=24", "model.encoding.stride=4"]
    train(build_config(cfg, overrides))
    first = json.loads((tmp_path / "out" / "metrics.jsonl").read_text().splitlines()[0])
    assert first["lr"] == pytest.approx(TINY_CONFIG["training"]["learning_rate"] / 2)


def test_bfloat16_training_steps_differ_from_float32_ones_a_little(tiny_gold, tmp_path):
    import torch

    data = tmp_path / "data"
    save_documents(tiny_gold, data / "tiny_gold.jsonl")
    weights = {}
    for precision in ("float32", "bfloat16"):
        cfg = {
            **TINY_CONFIG,
            "output_dir": str(tmp_path / precision),
            "data": {**TINY_CONFIG["data"], "annotations": [str(data)]},
        }
        train(build_config(cfg, ["training.epochs=1", f"training.precision={precision}"]))
        model = DiploModel.from_pretrained(tmp_path / precision / "checkpoint")
        weights[precision] = torch.cat([p.detach().flatten() for p in model.parameters()])
    gap = (weights["float32"] - weights["bfloat16"]).abs().max()
    assert 0 < gap < 0.05
    with pytest.raises(ConfigError, match="precision"):
        build_config(cfg, ["training.precision=float16"])


def test_overrides_leave_the_callers_config_alone():
    base = {"model": {"encoder_config": {"hidden_size": 48}}}
    assert (
        build_config(base, ["model.encoder_config.hidden_size=32"]).model.encoder_config["hidden_size"] == 32
    )
    assert base == {"model": {"encoder_config": {"hidden_size": 48}}}


def test_each_corpus_is_scored_apart(tiny_model_dir, tiny_gold):
    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    as_corpus = dataclasses.replace(tiny_gold[0], source="corpus", meta={"standoff": {"corpus": "news-x"}})
    out = evaluate(model, [as_corpus, *tiny_gold[1:]])
    assert out["corpus:news-x"]["documents"] == 1
    assert out["real"]["documents"] == 1
    assert "corpus:news-x" not in evaluate(model, tiny_gold)


def test_balanced_status_weights_lift_rare_statuses():
    import torch
    from datasets import Dataset

    from diplo_ie.training.trainer import balanced_status_weights

    rows = Dataset.from_list(
        [{"status_labels": [0, 0, 0, 1]}, {"status_labels": [0, 0, 0, 1]}, {"status_labels": []}]
    )
    weights = balanced_status_weights(rows, 3)
    # 6 occurred, 2 planned, no denied: 8 / (3 * count), an unseen status counted once
    assert torch.allclose(weights, torch.tensor([8 / 18, 8 / 6, 8 / 3]))


def test_status_balance_reweights_the_status_loss(tiny_model_dir, tiny_gold):
    import torch

    from diplo_ie.modeling.features import collate
    from diplo_ie.training.trainer import build_dataset

    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")
    rows = build_dataset(model, tiny_gold)
    batch = collate([rows[i] for i in range(len(rows))], model.document_encoder.pad_id)
    assert set(batch.status_labels.tolist()) == {0, 1}  # occurred and planned mentions
    torch.manual_seed(0)
    plain = model.loss(batch)["status_loss"]
    torch.manual_seed(0)
    weighted = model.loss(batch, torch.tensor([0.1, 10.0, 1.0]))["status_loss"]
    assert not torch.isclose(plain, weighted)
    assert build_config({"training": {"status_balance": True}}).training.status_balance


@pytest.mark.parametrize("attention", [False, True])
def test_status_attention_reads_the_whole_window_and_nothing_beyond(attention):
    """A word far from the CALL mention (outside ``status_context``) moves its status only with attention;
    a token outside the mention's sequence bounds never does."""
    import torch

    torch.manual_seed(0)
    heads = SpanPairHeads(16, HeadConfig(span_dim=8, hidden_dim=8, status_context=2,
                                         status_attention=attention), CALL_SPEC).eval()  # fmt: skip
    index = torch.tensor

    def logits(tokens):
        sums = heads.prefix_sums(tokens)
        reps = heads.span_reps(tokens, sums, index([20]), index([21]), index([0]))
        return heads.status_logits(tokens, sums, reps, index([20]), index([21]), index([5]), index([29]))

    tokens = torch.randn(30, 16)
    far, beyond = tokens.clone(), tokens.clone()
    far[8] += 3.0  # in the window [5, 29], 12 tokens before the mention
    beyond[2] += 3.0  # before the window
    with torch.no_grad():
        base = logits(tokens)
        # Prefix sums carry float rounding from every earlier token, hence a tolerance, not equality.
        assert torch.allclose(logits(beyond), base, atol=1e-6)
        assert torch.allclose(logits(far), base, atol=1e-3) is not attention


def test_layer_lr_decay_slows_lower_encoder_layers_and_leaves_the_heads(tiny_model_dir):
    from transformers import RobertaConfig, RobertaModel

    from diplo_ie.training.trainer import _optimizer, encoder_depths

    encoder = RobertaModel(RobertaConfig(hidden_size=8, num_hidden_layers=3, num_attention_heads=2,
                                         intermediate_size=16, vocab_size=20))  # fmt: skip
    depths = encoder_depths(encoder)
    assert depths["embeddings.word_embeddings.weight"] == 0
    assert depths["encoder.layer.0.attention.self.query.weight"] == 1
    assert depths["encoder.layer.2.output.dense.bias"] == 3
    assert depths["pooler.dense.weight"] == 3

    model = DiploModel.from_pretrained(tiny_model_dir / "checkpoint")  # one layer: embeddings, layer 0, heads
    settings = {"learning_rate": 0.01, "head_learning_rate": 0.1}
    decayed = _optimizer(model, build_config({"training": {**settings, "layer_lr_decay": 0.5}}))
    word_embeddings = model.encoder.embeddings.word_embeddings.weight
    top_layer = model.encoder.encoder.layer[0].output.dense.weight
    lr_of = {id(p): g["lr"] for g in decayed.param_groups for p in g["params"]}
    assert lr_of[id(word_embeddings)] == pytest.approx(0.005)
    assert lr_of[id(top_layer)] == pytest.approx(0.01)
    assert all(lr_of[id(p)] == pytest.approx(0.1) for p in model.heads.parameters())
    assert len(lr_of) == sum(1 for p in model.parameters() if p.requires_grad)

    plain = _optimizer(model, build_config({"training": settings}))
    assert [g["lr"] for g in plain.param_groups] == [0.01, 0.1]  # the encoder as one group, as before
