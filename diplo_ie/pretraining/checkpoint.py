"""Training checkpoints: model weights as safetensors, trainer state beside them.

Layout of ``<output_dir>/checkpoint/``:

- ``model.safetensors``: every weight of the pretraining model (encoder, heads, ELECTRA generator); it is
  rebuilt from the run's config and these weights are loaded into it (no pickle for weights).
- ``trainer.pt``: optimizer, LR scheduler and RNG states. These are nested dicts of tensors with no
  safetensors form, so they use ``torch.save``; only ``--resume`` reads them back, from this directory and
  with ``weights_only=True``; they are never shipped. Without it (a checkpoint carried to another machine as
  its weights and state alone), ``--resume`` goes on from the same step and data position with a fresh
  optimizer (see ``trainer``).
- ``state.json``: step, data position, tokens seen, elapsed training seconds.
- ``config.json``: the run's configuration, for reference.

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
from safetensors.torch import load_model, save_model
from torch import nn

CHECKPOINT_DIR = "checkpoint"
WEIGHTS = "model.safetensors"
TRAINER_STATE = "trainer.pt"


@dataclass
class TrainerState:
    step: int = 0
    tokens: int = 0
    elapsed_s: float = 0.0
    position: dict[str, int] = field(default_factory=dict)


def save_checkpoint(
    output_dir: Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    rng: dict[str, torch.Tensor],
    state: TrainerState,
    config: dict[str, Any],
) -> Path:
    """``rng``: named generator states (torch's global one and the run's own), restored on resume."""
    final = output_dir / CHECKPOINT_DIR
    tmp = output_dir / f"{CHECKPOINT_DIR}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_model(model, str(tmp / WEIGHTS))
    torch.save(
        {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": rng},
        tmp / TRAINER_STATE,
    )
    (tmp / "state.json").write_text(json.dumps(state.__dict__, indent=1), encoding="utf-8")
    (tmp / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    old = output_dir / f"{CHECKPOINT_DIR}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def has_checkpoint(output_dir: Path) -> bool:
    return (output_dir / CHECKPOINT_DIR / "state.json").is_file()


def load_checkpoint(output_dir: Path, model: nn.Module) -> tuple[dict[str, Any] | None, TrainerState]:
    """Load the weights into ``model`` (built from the same config); return the trainer-state dict
    (optimizer, scheduler, RNG; None where the checkpoint has none) and the step/position state."""
    path = output_dir / CHECKPOINT_DIR / TRAINER_STATE
    load_weights(output_dir, model)
    trainer = torch.load(path, weights_only=True) if path.is_file() else None
    return trainer, read_state(output_dir)


def load_weights(output_dir: Path, model: nn.Module) -> None:
    """The checkpoint's weights into ``model`` (built from the checkpoint's config)."""
    load_model(model, str(output_dir / CHECKPOINT_DIR / WEIGHTS), device=str(next(model.parameters()).device))


def read_state(output_dir: Path) -> TrainerState:
    """How far the checkpointed run had come."""
    path = output_dir / CHECKPOINT_DIR / "state.json"
    return TrainerState(**json.loads(path.read_text(encoding="utf-8")))


def read_config(output_dir: Path) -> dict[str, Any]:
    """The config the checkpointed run was started with."""
    return json.loads((output_dir / CHECKPOINT_DIR / "config.json").read_text(encoding="utf-8"))
