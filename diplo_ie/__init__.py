"""diplo_ie: extract diplomatic phone-call events from Vietnamese news."""

from os import PathLike

from diplo_ie.core.errors import InputError, ModelLoadError, ModelNotFoundError
from diplo_ie.core.schema import (
    CallEvent,
    DateValue,
    Document,
    DurationValue,
    Participant,
    Relation,
    Span,
    Trigger,
)
from diplo_ie.modeling.backend import DEFAULT_BACKEND
from diplo_ie.modeling.precision import DEFAULT_PRECISION

__version__ = "0.1.0"


def load(
    path: str | PathLike[str] | None = None,
    precision: str = DEFAULT_PRECISION,
    backend: str = DEFAULT_BACKEND,
):
    """An Extractor with the shipped default model, or the saved model directory at ``path``;
    ``precision="bfloat16"`` is faster on CPUs that support it (:mod:`diplo_ie.modeling.precision`);
    ``backend="onnx"`` runs an ONNX export on ONNX Runtime (:mod:`diplo_ie.modeling.backend`).

    Imported lazily so that ``import diplo_ie`` stays light (no torch) for users of the data model alone.
    """
    from diplo_ie.pipeline import load as load_extractor

    return load_extractor(path, precision, backend)


__all__ = [
    "CallEvent",
    "DateValue",
    "Document",
    "DurationValue",
    "InputError",
    "ModelLoadError",
    "ModelNotFoundError",
    "Participant",
    "Relation",
    "Span",
    "Trigger",
    "__version__",
    "load",
]
