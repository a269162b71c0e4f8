"""Training checkpoints: model weights as safetensors, trainer state beside them.

Layout of ``<output_dir>/checkpoint/``:

- ``config.json`` + ``model.safetensors``: the RobertaForMaskedLM (``save_pretrained``; no pickle for
  weights).
- ``trainer.pt``: optimizer, LR scheduler and RNG states. These are nested dicts of tensors with no
  safetensors form, so they use ``torch.save``; only ``--resume`` reads them back, from this directory and
  with ``weights_only=True``; they are never shipped.
- ``state.json``: step, data position, tokens seen, elapsed training seconds.

A checkpoint is written to a sibling temporary directory and renamed into place, so a run killed mid-write
leaves the previous checkpoint intact.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from transformers import RobertaForMaskedLM

CHECKPOINT_DIR = "checkpoint"


@dataclass
class TrainerState:
    step: int = 0
    tokens: int = 0
    elapsed_s: float = 0.0
    position: dict[str, int] = field(default_factory=dict)


def save_checkpoint(
    output_dir: Path,
    model: RobertaForMaskedLM,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    mask_generator: torch.Generator,
    state: TrainerState,
) -> Path:
    final = output_dir / CHECKPOINT_DIR
    tmp = output_dir / f"{CHECKPOINT_DIR}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(str(tmp), safe_serialization=True)
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "mask_rng": mask_generator.get_state(),
        },
        tmp / "trainer.pt",
    )
    (tmp / "state.json").write_text(json.dumps(state.__dict__, indent=1), encoding="utf-8")
    old = output_dir / f"{CHECKPOINT_DIR}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def has_checkpoint(output_dir: Path) -> bool:
    return (output_dir / CHECKPOINT_DIR / "state.json").is_file()


def load_checkpoint(output_dir: Path) -> tuple[RobertaForMaskedLM, dict[str, Any], TrainerState]:
    """Return the model, the trainer-state dict (optimizer/scheduler/RNG) and the step/position state."""
    path = output_dir / CHECKPOINT_DIR
    model = RobertaForMaskedLM.from_pretrained(str(path))
    trainer = torch.load(path / "trainer.pt", weights_only=True)
    state = TrainerState(**json.loads((path / "state.json").read_text(encoding="utf-8")))
    return model, trainer, state
