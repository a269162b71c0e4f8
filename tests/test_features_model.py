"""A model with lexical features on the tiny fixture: the config switch, training, save/load with exact
predictions, the features reaching the encoder, the ONNX export; and a model without them unchanged."""

import json

import pytest
import torch
from tiny_model import TINY_CONFIG

from diplo_ie.annotations import save_documents
from diplo_ie.evaluation import evaluate
from diplo_ie.modeling.lexical import FEATURE_GROUPS
from diplo_ie.modeling.model import CONFIG_NAME, DiploModel
from diplo_ie.modeling.onnx_export import export_onnx
from diplo_ie.modeling.ort import OnnxModel
from diplo_ie.modeling.predict import encode_all_windows
from diplo_ie.modeling.tokenizer import train_bpe_tokenizer
from diplo_ie.training import ConfigError, build_config, train


def _config(root, **model):
    return {
        **TINY_CONFIG,
        "output_dir": str(root / "out"),
        "data": {**TINY_CONFIG["data"], "annotations": [str(root / "data")]},
        "model": {**TINY_CONFIG["model"], **model},
    }


@pytest.fixture(scope="module")
def features_dir(tmp_path_factory, tiny_gold):
    root = tmp_path_factory.mktemp("features")
    save_documents(tiny_gold, root / "data" / "gold.jsonl")
    # Listed out of order: the model stores them in their canonical order.
    train(build_config(_config(root, features=["patterns", "syllable", "lexicon", "shape"])))
    return root / "out" / "checkpoint"


def _key(pred):
    return (
        [(s.label, s.start, s.end, s.score) for s in pred.spans],
        [(r.type, r.head, r.tail, r.score) for r in pred.relations],
        {k: (v.status, v.score) for k, v in pred.call_status.items()},
    )


def test_features_model_fits_saves_and_reloads_with_identical_predictions(features_dir, tiny_gold, tmp_path):
    config = json.loads((features_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    assert config["features"] == list(FEATURE_GROUPS)
    model = DiploModel.from_pretrained(features_dir)
    assert model.features == tuple(FEATURE_GROUPS)
    assert {f"feature_embeddings.tables.{c}.weight" for c in ("shape", "leader", "date", "cue")} <= set(
        model.state_dict()
    )
    assert evaluate(model, tiny_gold)["all"]["spans"]["micro"]["f1"] == 1.0
    model.save_pretrained(tmp_path / "copy")
    again = DiploModel.from_pretrained(tmp_path / "copy")
    assert [_key(p) for p in model.predict_detailed(tiny_gold)] == [
        _key(p) for p in again.predict_detailed(tiny_gold)
    ]


def test_the_encoder_reads_the_features(features_dir, tiny_gold):
    model = DiploModel.from_pretrained(features_dir)
    encs = [model.document_encoder.encode(doc) for doc in tiny_gold]
    assert encs[0].feature_ids.shape == (len(encs[0].tokens), len(model.document_encoder.lexical.channels))
    enc, window = encs[0], encs[0].windows[0]
    ids = torch.tensor([model.document_encoder.window_input_ids(enc, window)])
    features = torch.from_numpy(model.document_encoder.window_feature_ids(enc, window))[None]
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        hidden = model.window_hidden(ids, mask, features)
        assert not torch.allclose(hidden, model.window_hidden(ids, mask, torch.zeros_like(features)))
        # The batched prediction path feeds the same features.
        assert torch.allclose(encode_all_windows(model, encs, batch_size=2)[0][0], hidden[0], atol=1e-5)
    with pytest.raises(ValueError, match="pass feature_ids"):
        model.window_hidden(ids, mask)


def test_inputs_embeds_path_keeps_positions_of_right_padded_windows(features_dir):
    """With its feature embeddings zeroed, a features model computes what its encoder computes from token
    ids: RoBERTa numbers the positions of given embeddings as it numbers non-padding tokens."""
    model = DiploModel.from_pretrained(features_dir)
    for table in model.feature_embeddings.tables.values():
        table.weight.data.zero_()
    ids = torch.randint(3, 300, (3, 20))
    mask = torch.ones_like(ids)
    for row, length in ((1, 12), (2, 5)):
        ids[row, length:] = model.document_encoder.pad_id
        mask[row, length:] = 0
    features = torch.randint(0, 2, (3, 20, len(model.feature_embeddings.tables)))
    with torch.inference_mode():
        via_embeds = model.encode_windows(ids, mask, features)
        via_ids = model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert torch.allclose(via_embeds[real], via_ids[real], atol=1e-6)


def test_a_model_without_features_has_no_feature_parameters_and_loads_old_configs(tiny_gold, tmp_path):
    from transformers import AutoConfig

    tokenizer = train_bpe_tokenizer([d.text for d in tiny_gold], vocab_size=300)
    encoder_config = AutoConfig.for_model(
        "roberta", vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=260, pad_token_id=tokenizer.pad_token_id,
    )  # fmt: skip
    model = DiploModel.from_encoder_config(encoder_config, tokenizer)
    assert model.feature_embeddings is None
    assert not [k for k in model.state_dict() if "feature" in k]
    assert model.document_encoder.encode(tiny_gold[0]).feature_ids is None
    model.save_pretrained(tmp_path)
    config = json.loads((tmp_path / CONFIG_NAME).read_text(encoding="utf-8"))
    assert config.pop("features") == []
    (tmp_path / CONFIG_NAME).write_text(json.dumps(config), encoding="utf-8")  # as saved before features
    assert DiploModel.from_pretrained(tmp_path).features == ()
    config["features"] = ["shapes"]
    (tmp_path / CONFIG_NAME).write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown feature group 'shapes'"):
        DiploModel.from_pretrained(tmp_path)


def test_a_new_features_model_starts_as_its_encoder_and_learns_them_with_the_embeddings(tiny_gold):
    """Fresh feature tables are zero, so the features take no share of the input from the words until
    training gives them one; they learn at the word embeddings' rate, not the heads'."""
    from transformers import AutoConfig

    from diplo_ie.training.trainer import _optimizer

    tokenizer = train_bpe_tokenizer([d.text for d in tiny_gold], vocab_size=300)
    encoder_config = AutoConfig.for_model(
        "roberta", vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=260, pad_token_id=tokenizer.pad_token_id,
    )  # fmt: skip
    model = DiploModel.from_encoder_config(encoder_config, tokenizer, features=list(FEATURE_GROUPS)).eval()
    enc = model.document_encoder.encode(tiny_gold[0])
    window = enc.windows[0]
    ids = torch.tensor([model.document_encoder.window_input_ids(enc, window)])
    features = torch.tensor(model.document_encoder.window_feature_ids(enc, window)).unsqueeze(0)
    assert features.ne(0).any()
    with torch.inference_mode():
        plain = model.encoder(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
        assert torch.allclose(model.encode_windows(ids, torch.ones_like(ids), features), plain, atol=1e-6)

    settings = {"learning_rate": 0.01, "head_learning_rate": 0.1, "layer_lr_decay": 0.5}
    lr_of = {id(p): g["lr"] for g in _optimizer(model, build_config({"training": settings})).param_groups
             for p in g["params"]}  # fmt: skip
    word_lr = lr_of[id(model.encoder.embeddings.word_embeddings.weight)]
    assert word_lr == pytest.approx(0.0025)
    assert all(lr_of[id(p)] == word_lr for p in model.feature_embeddings.parameters())


def test_config_switch(tmp_path):
    assert build_config(_config(tmp_path)).model.features == []
    assert build_config(_config(tmp_path), ["model.features=[lexicon, shape]"]).model.features == [
        "lexicon",
        "shape",
    ]
    with pytest.raises(ConfigError, match=r"model\.features\.0: .*'shape'"):
        build_config(_config(tmp_path, features=["shapes"]))
    with pytest.raises(ConfigError, match=r"model\.features: lists shape more than once"):
        build_config(_config(tmp_path, features=["shape", "shape"]))


def test_onnx_export_takes_the_features_as_an_input(features_dir, tiny_gold, tmp_path):
    onnx_dir = export_onnx(features_dir, tmp_path / "onnx")
    model, ort = DiploModel.from_pretrained(features_dir), OnnxModel(onnx_dir)
    assert ort.features == model.features
    a, b = model.predict_detailed(tiny_gold), ort.predict_detailed(tiny_gold)
    assert [[(s.label, s.start, s.end) for s in p.spans] for p in a] == [
        [(s.label, s.start, s.end) for s in p.spans] for p in b
    ]
    assert [s.score for p in a for s in p.spans] == pytest.approx(
        [s.score for p in b for s in p.spans], abs=1e-4
    )
