"""Numeric precision of the encoder's forward pass at inference (and, on request, of training steps)."""

from __future__ import annotations

from pathlib import Path
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


# The CPU flags of native bfloat16 arithmetic, as Linux names them.
_NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def emulated_bfloat16_warning(precision: str, cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """A one-line warning when bfloat16 steps are asked of a CPU without native bfloat16 arithmetic: there
    PyTorch emulates it, and a training step took about ten times as long as in float32 (AVX2 only). None
    where the CPU has it, or where ``cpuinfo`` cannot be read (not Linux)."""
    if precision != "bfloat16" or not cpuinfo.is_file():
        return None
    flags = {f for line in cpuinfo.read_text().splitlines() if line.startswith("flags") for f in line.split()}
    if flags & _NATIVE_BF16_FLAGS:
        return None
    return (
        "this CPU has no native bfloat16 (no avx512_bf16 or amx_bf16 flag): bfloat16 steps are emulated and "
        "many times slower than float32; consider --set training.precision=float32"
    )
