"""Which engine computes the model's forward pass: PyTorch (the default) or ONNX Runtime (an optional extra).

Both run the same windowing, decoding and event assembly (:mod:`diplo_ie.modeling.predict`); only the tensors'
computation differs. Kept free of heavy imports so the command line can name backends without loading them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final, Literal, cast, get_args

BackendName = Literal["torch", "onnx"]
BACKENDS: Final = get_args(BackendName)
DEFAULT_BACKEND: Final[BackendName] = "torch"


def check_backend(backend: str) -> BackendName:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    return cast(BackendName, backend)


def import_optional(module: str, extra: str, purpose: str) -> ModuleType:
    """``module``, or an ImportError that says which extra of the package installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{purpose} needs the {module!r} package: pip install 'diplo-ie[{extra}]'") from exc
