"""The ONNX Runtime backend against PyTorch on the tiny model: the same tensors within a stated tolerance,
the same predictions and events; export, quantization and the messages when something is missing."""

import builtins
import dataclasses
import json
from pathlib import Path

import pytest
import torch

import diplo_ie
from diplo_ie.cli.main import main
from diplo_ie.core.errors import ModelNotFoundError
from diplo_ie.modeling.model import DiploModel
from diplo_ie.modeling.onnx_export import export_onnx
from diplo_ie.modeling.ort import ENCODER_FILE, OnnxModel
from diplo_ie.modeling.predict import SpanQuery

# float32 ONNX Runtime kernels sum in another order than PyTorch's: logits agree to about 1e-6.
LOGIT_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def torch_dir(tiny_model_dir):
    return tiny_model_dir / "checkpoint"


@pytest.fixture(scope="module")
def onnx_dir(torch_dir, tmp_path_factory):
    return export_onnx(torch_dir, tmp_path_factory.mktemp("onnx") / "fp32")


def _key(pred):
    return (
        [(s.label, s.start, s.end) for s in pred.spans],
        [(r.type, r.head, r.tail) for r in pred.relations],
        {k: v.status for k, v in pred.call_status.items()},
    )


def _scores(preds):
    return [x.score for p in preds for x in (*p.spans, *p.relations, *p.call_status.values())]


def _split_floats(value, floats):
    """``value`` with its floats (scores) taken out into ``floats``, to compare the rest exactly."""
    if isinstance(value, float):
        floats.append(value)
        return float
    if isinstance(value, dict):
        return {k: _split_floats(v, floats) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_split_floats(v, floats) for v in value]
    return value


def assert_same_up_to_scores(a, b):
    floats_a, floats_b = [], []
    assert _split_floats(a, floats_a) == _split_floats(b, floats_b)
    assert floats_a == pytest.approx(floats_b, abs=LOGIT_TOLERANCE)


def test_export_has_graphs_config_and_tokenizer(onnx_dir):
    files = {p.name for p in onnx_dir.iterdir()}
    assert {"encoder.onnx", "tagger.onnx", "heads.onnx", "config.json", "tokenizer.json"} <= files
    assert json.loads((onnx_dir / "config.json").read_text())["onnx"]["quantization"] is None


def test_onnx_logits_match_torch_within_tolerance(torch_dir, onnx_dir):
    model, ort = DiploModel.from_pretrained(torch_dir), OnnxModel(onnx_dir)
    # Dynamic axes: batch sizes and lengths other than the export's example, padding included.
    for batch, length in ((1, 5), (4, 64)):
        ids = torch.randint(3, 300, (batch, length))
        mask = torch.ones_like(ids)
        mask[0, length // 2 :] = 0
        with torch.inference_mode():
            hidden = model.window_hidden(ids, mask)
            assert torch.allclose(ort.window_hidden(ids, mask), hidden, atol=LOGIT_TOLERANCE)
            tokens = hidden[0]
            assert torch.allclose(ort.token_logits(tokens), model.token_logits(tokens), atol=LOGIT_TOLERANCE)
    index = torch.tensor
    queries = [
        SpanQuery(index([0, 2]), index([1, 4]), index([4, 0]), index([0]), index([1]), index([3]),
                  index([1]), index([0]), index([0]), index([4])),
        # No pairs and no CALL spans: empty axes.
        SpanQuery(index([3]), index([3]), index([1]), *(index([], dtype=torch.long) for _ in range(7))),
    ]  # fmt: skip
    for query in queries:
        with torch.inference_mode():
            for a, b in zip(ort.span_logits(tokens, query), model.span_logits(tokens, query), strict=True):
                assert a.shape == b.shape
                assert torch.allclose(a, b, atol=LOGIT_TOLERANCE)


def test_onnx_predictions_and_events_equal_torch(torch_dir, onnx_dir, tiny_gold):
    model, ort = DiploModel.from_pretrained(torch_dir), OnnxModel(onnx_dir)
    # Together and one by one (a document without CALL spans has no pairs or statuses to score).
    for docs in (tiny_gold, *([d] for d in tiny_gold)):
        a, b = model.predict_detailed(docs), ort.predict_detailed(docs)
        assert [_key(p) for p in a] == [_key(p) for p in b]
        assert _scores(a) == pytest.approx(_scores(b), abs=LOGIT_TOLERANCE)
    texts = [d.text for d in tiny_gold]
    events = [
        [
            [e.to_dict() for e in r]
            for r in diplo_ie.load(path, backend=backend).extract_batch(texts, "2024-11-16")
        ]
        for path, backend in ((torch_dir, "torch"), (onnx_dir, "onnx"))
    ]
    assert_same_up_to_scores(events[0], events[1])
    assert any(events[0])


def test_cli_exports_int8_and_extracts_with_it(torch_dir, onnx_dir, tmp_path, capsys, tiny_gold):
    out = tmp_path / "int8"
    assert main(["export", "onnx", str(torch_dir), str(out), "--quantize", "int8"]) == 0
    assert json.loads((out / "config.json").read_text())["onnx"]["quantization"] == "int8"
    assert (out / ENCODER_FILE).stat().st_size < (onnx_dir / ENCODER_FILE).stat().st_size
    extractor = diplo_ie.load(out, backend="onnx")
    assert "precision='int8'" in repr(extractor)
    article = tmp_path / "a.txt"
    article.write_text(tiny_gold[0].text, encoding="utf-8")
    capsys.readouterr()
    args = ["extract", str(article), "--format", "json", "--published", "2024-11-16", "--model"]
    assert main([*args, str(onnx_dir), "--backend", "onnx"]) == 0
    via_onnx = json.loads(capsys.readouterr().out)
    assert main([*args, str(torch_dir)]) == 0
    assert_same_up_to_scores(via_onnx, json.loads(capsys.readouterr().out))
    assert via_onnx["events"]


def test_onnx_backend_needs_an_export(torch_dir, capsys):
    with pytest.raises(ModelNotFoundError, match="diplo-ie export onnx"):
        diplo_ie.load(torch_dir, backend="onnx")
    with pytest.raises(ValueError, match="precision is for the torch backend"):
        diplo_ie.load(torch_dir, precision="bfloat16", backend="onnx")
    with pytest.raises(ValueError, match="backend must be one of torch, onnx"):
        diplo_ie.load(torch_dir, backend="tensorrt")
    assert main(["extract", "-", "--model", str(torch_dir), "--backend", "onnx"]) == 2
    assert "make one with: diplo-ie export onnx" in capsys.readouterr().err
    seeds = str(Path(__file__).parents[1] / "annotations" / "seeds")
    assert main(["evaluate", str(torch_dir), seeds, "--report", "unused", "--backend", "onnx"]) != 0
    err = capsys.readouterr().err
    assert "make one with: diplo-ie export onnx" in err and "Traceback" not in err


def test_missing_onnxruntime_is_one_clear_message(onnx_dir, monkeypatch, capsys, tmp_path):
    real_import = builtins.__import__

    def no_onnxruntime(name, *args, **kwargs):
        if name.split(".")[0] == "onnxruntime":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    monkeypatch.delitem(__import__("sys").modules, "onnxruntime", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'diplo-ie\[onnx\]'"):
        diplo_ie.load(onnx_dir, backend="onnx")
    article = tmp_path / "a.txt"
    article.write_text("Thủ tướng điện đàm với Tổng thống.", encoding="utf-8")
    assert main(["extract", str(article), "--model", str(onnx_dir), "--backend", "onnx"]) == 2
    assert "pip install 'diplo-ie[onnx]'" in capsys.readouterr().err


def test_status_attention_exports_and_matches_torch(torch_dir, tmp_path):
    """A model whose status head attends over its window (``status_attention``) exports, and ONNX Runtime
    gives its status logits as PyTorch does."""
    tiny = DiploModel.from_pretrained(torch_dir)
    heads = dataclasses.replace(tiny.head_config, status_attention=True)
    model = DiploModel.from_encoder_config(
        tiny.encoder.config, tiny.tokenizer, heads, tiny.encoding_config, tiny.spec, tiny.features
    ).eval()
    model.save_pretrained(str(tmp_path / "att"))
    ort = OnnxModel(export_onnx(tmp_path / "att", tmp_path / "att-onnx"))
    index = torch.tensor
    tokens = torch.randn(12, tiny.encoder.config.hidden_size)
    # Two CALL spans in two windows ([0, 5] and [6, 11]): each attends within its own.
    query = SpanQuery(index([1, 3, 8]), index([1, 4, 9]), index([4, 0, 4]), index([0]), index([1]), index([3]),
                      index([1]), index([0, 2]), index([0, 6]), index([5, 11]))  # fmt: skip
    with torch.inference_mode():
        for a, b in zip(ort.span_logits(tokens, query), model.span_logits(tokens, query), strict=True):
            assert a.shape == b.shape
            assert torch.allclose(a, b, atol=LOGIT_TOLERANCE)
