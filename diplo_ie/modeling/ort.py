"""The ONNX Runtime backend: a model exported by ``diplo-ie export onnx`` run through the shared prediction
path (:mod:`diplo_ie.modeling.predict`), with ONNX Runtime computing the tensors instead of PyTorch.

An export directory holds the model's ``config.json`` (with an ``onnx`` entry saying how it was exported), its
tokenizer, and one graph per stage of the forward pass: the encoder over windows, the tagger over tokens and
the span heads over predicted spans. A model with lexical features has them computed here as in PyTorch and
fed to its encoder graph as one more input.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import torch

from diplo_ie.core.schema import Document
from diplo_ie.modeling.backend import import_optional
from diplo_ie.modeling.config import EncodingConfig, HeadConfig
from diplo_ie.modeling.encoding import DocumentEncoder
from diplo_ie.modeling.model import read_config, read_features, read_spec
from diplo_ie.modeling.predict import Prediction, Predicts, SpanQuery

Quantization = Literal["int8"]
ENCODER_FILE: Final = "encoder.onnx"
TAGGER_FILE: Final = "tagger.onnx"
HEADS_FILE: Final = "heads.onnx"
GRAPH_FILES: Final = (ENCODER_FILE, TAGGER_FILE, HEADS_FILE)
EXPORT_KEY: Final = "onnx"  # config.json entry written by the export
ENCODER_INPUTS: Final = ("input_ids", "attention_mask")
FEATURE_INPUT: Final = "feature_ids"  # the encoder graph's third input, for a model with lexical features
TAGGER_INPUTS: Final = ("hidden",)
HEAD_INPUTS: Final = ("tokens", *(f.name for f in dataclasses.fields(SpanQuery)))


def is_export(directory: Path) -> bool:
    return all((directory / name).is_file() for name in ("config.json", *GRAPH_FILES))


class OnnxModel(Predicts):
    """An exported model on ONNX Runtime (CPU). ``threads`` caps the threads of each graph's operators
    (default: ONNX Runtime's, one per physical core)."""

    def __init__(self, directory: str | Path, threads: int | None = None) -> None:
        ort = import_optional("onnxruntime", "onnx", "the ONNX backend")
        from transformers import AutoTokenizer

        directory = Path(directory)
        config = read_config(directory)
        self.head_config = HeadConfig(**config["heads"])
        self.spec = read_spec(config, directory)
        self.encoding_config = EncodingConfig(**config["encoding"])
        self.features = read_features(config, directory)
        self.quantization: Quantization | None = config[EXPORT_KEY]["quantization"]
        self.tokenizer = AutoTokenizer.from_pretrained(str(directory))
        self.document_encoder = DocumentEncoder(
            self.tokenizer, **asdict(self.encoding_config), features=self.features
        )
        self._encoder_inputs = (*ENCODER_INPUTS, FEATURE_INPUT) if self.features else ENCODER_INPUTS
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        # Its idle threads would otherwise spin on the cores that decoding, between two runs, needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._encoder, self._tagger, self._heads = (
            ort.InferenceSession(str(directory / name), options, providers=["CPUExecutionProvider"])
            for name in GRAPH_FILES
        )

    @property
    def precision(self) -> str:
        """The encoder's arithmetic: float32, or int8 for a quantized export."""
        return self.quantization or "float32"

    def predict_detailed(self, docs: list[Document], batch_size: int = 16) -> list[Prediction]:
        # The tensors torch handles between two graph runs are small: its own threads would only spin on
        # the cores ONNX Runtime and decoding need (measured: a third of the time on 2 cores).
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return super().predict_detailed(docs, batch_size)
        finally:
            torch.set_num_threads(threads)

    def window_hidden(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, feature_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        tensors = (
            (input_ids, attention_mask) if feature_ids is None else (input_ids, attention_mask, feature_ids)
        )
        return _run(self._encoder, self._encoder_inputs, tensors)[0]

    def token_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return _run(self._tagger, TAGGER_INPUTS, (hidden,))[0]

    def span_logits(self, tokens: torch.Tensor, query: SpanQuery) -> tuple[torch.Tensor, torch.Tensor]:
        relations, statuses = _run(self._heads, HEAD_INPUTS, (tokens, *query.tensors()))
        return relations, statuses


def _run(session: Any, names: tuple[str, ...], tensors: tuple[torch.Tensor, ...]) -> list[torch.Tensor]:
    feeds = {name: np.ascontiguousarray(t.numpy()) for name, t in zip(names, tensors, strict=True)}
    return [torch.from_numpy(out) for out in session.run(None, feeds)]
