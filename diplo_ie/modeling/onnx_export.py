"""``diplo-ie export onnx``: a saved model as ONNX graphs for the ONNX Runtime backend (:mod:`.ort`).

Each stage of the forward pass becomes one graph with dynamic batch, length and count axes. With
``quantization="int8"`` the encoder, where nearly all the time goes, gets dynamic int8 quantization (weights
stored in int8, activations quantized on the fly); the small heads stay float32. The encoder graph of a model
with lexical features takes their ids as a third input.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import torch
from torch import nn

from diplo_ie.modeling.backend import import_optional
from diplo_ie.modeling.model import CONFIG_NAME, DiploModel
from diplo_ie.modeling.ort import (
    ENCODER_FILE,
    ENCODER_INPUTS,
    EXPORT_KEY,
    FEATURE_INPUT,
    HEAD_INPUTS,
    HEADS_FILE,
    TAGGER_FILE,
    TAGGER_INPUTS,
    Quantization,
)


class _Encoder(nn.Module):
    def __init__(self, model: DiploModel) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, feature_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        return self.model.encode_windows(input_ids, attention_mask, feature_ids)


class _Tagger(nn.Module):
    def __init__(self, model: DiploModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.model.token_logits(hidden)


def export_onnx(model_dir: str | Path, out_dir: str | Path, quantization: Quantization | None = None) -> Path:
    """Write the ONNX export of the saved model at ``model_dir`` to ``out_dir``; returns ``out_dir``."""
    import_optional("onnxscript", "onnx", "exporting to ONNX")
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = DiploModel.from_pretrained(model_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hidden = model.encoder.config.hidden_size
    dim = torch.export.Dim
    # Example sizes differ from each other and from 0 and 1, which the exporter would take for constants.
    batch, length, tokens = dim("batch"), dim("length", max=model.encoding_config.max_length), dim("tokens")
    ids = torch.full((3, 16), model.document_encoder.pad_id + 3)
    with tempfile.TemporaryDirectory() as tmp:
        encoder_path = Path(tmp) / ENCODER_FILE if quantization else out_dir / ENCODER_FILE
        window_axes = {0: batch, 1: length}
        axes = {"input_ids": window_axes, "attention_mask": window_axes, FEATURE_INPUT: window_axes}
        example: tuple[torch.Tensor, ...] = (ids, torch.ones_like(ids))
        if model.document_encoder.lexical is not None:
            example += (torch.ones(3, 16, len(model.document_encoder.lexical.channels), dtype=torch.long),)
        inputs = (*ENCODER_INPUTS, FEATURE_INPUT)[: len(example)]
        _export(_Encoder(model), example, inputs, ("hidden",), axes, encoder_path)
        if quantization:
            _quantize_int8(encoder_path, out_dir / ENCODER_FILE)
    tagger_axes = {"hidden": {0: tokens}}
    _export(_Tagger(model), (torch.zeros(20, hidden),), TAGGER_INPUTS, ("tag_logits",), tagger_axes,
            out_dir / TAGGER_FILE)  # fmt: skip
    head_outputs = ("relation_logits", "status_logits")
    _export(model.heads, _head_example(hidden), HEAD_INPUTS, head_outputs, _head_axes(tokens),
            out_dir / HEADS_FILE)  # fmt: skip
    config = json.loads((model_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    config[EXPORT_KEY] = {"quantization": quantization, "torch_version": torch.__version__}
    (out_dir / CONFIG_NAME).write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    model.tokenizer.save_pretrained(str(out_dir))
    return out_dir


def _head_example(hidden: int) -> tuple[torch.Tensor, ...]:
    """20 tokens, 5 spans, 4 candidate pairs, 3 CALL spans."""
    idx = torch.tensor
    return (
        torch.zeros(20, hidden), idx([0, 2, 5, 9, 12]), idx([1, 3, 7, 9, 15]), idx([0, 1, 2, 3, 4]),
        idx([0, 1, 2, 3]), idx([1, 2, 3, 4]), idx([0, 1, 2, 3]), idx([1, 0, 1, 0]),
        idx([0, 2, 4]), idx([0, 0, 0]), idx([19, 19, 19]),
    )  # fmt: skip


def _head_axes(tokens: torch.export.Dim) -> dict[str, dict[int, torch.export.Dim]]:
    dim = torch.export.Dim
    spans, pairs, calls = dim("spans"), dim("pairs"), dim("calls")
    axes = {"tokens": {0: tokens}}
    axes |= {name: {0: spans} for name in ("starts", "ends", "labels")}
    axes |= {name: {0: pairs} for name in ("pair_heads", "pair_tails", "pair_buckets", "pair_same_sentence")}
    axes |= {name: {0: calls} for name in ("calls", "call_lo", "call_hi")}
    return axes


def _export(
    module: nn.Module,
    example: tuple[torch.Tensor, ...],
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    axes: dict[str, dict[int, torch.export.Dim]],
    path: Path,
) -> None:
    module.eval()
    torch.onnx.export(
        module,
        example,
        str(path),
        input_names=list(inputs),
        output_names=list(outputs),
        dynamic_shapes=tuple(axes[name] for name in inputs),
        dynamo=True,
        external_data=False,
        verbose=False,
    )


def _quantize_int8(source: Path, target: Path) -> None:
    quantization = import_optional("onnxruntime.quantization", "onnx", "int8 quantization")
    # It logs advice to run shape inference first, which concerns static quantization only.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantization.quantize_dynamic(str(source), str(target), weight_type=quantization.QuantType.QInt8)
    finally:
        root.setLevel(level)
