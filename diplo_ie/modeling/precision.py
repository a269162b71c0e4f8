"""Numeric precision of the encoder's forward pass at inference (and, on request, of training steps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, cast, get_args

if TYPE_CHECKING:
    import torch

# float32 reproduces a model's recorded evaluations exactly. bfloat16 about halves the encoder's time on
# CPUs with AVX-512 BF16 or AMX (elsewhere it can be slower than float32); on the shipped model's dev split
# it moved 1 of 2,854 spans and no event.
Precision = Literal["float32", "bfloat16"]
PRECISIONS: Final = get_args(Precision)
DEFAULT_PRECISION: Final[Precision] = "float32"


def check_precision(precision: str) -> Precision:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    return cast(Precision, precision)


def autocast(precision: str) -> torch.autocast:
    """The context that runs CPU forward (and backward) passes at ``precision``; float32 changes nothing."""
    import torch  # here, so the command line can name precisions without loading torch

    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=check_precision(precision) == "bfloat16")
