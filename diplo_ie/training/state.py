"""Resumable training state without pickle: optimizer tensors in safetensors, the rest in JSON.

The optimizer tensors are twice the model's size; a checkpoint kept without them (committed, say) resumes with
the schedule where it was and Adam's moments started afresh."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

OPTIMIZER_FILE = "optimizer.safetensors"
STATE_FILE = "trainer_state.json"


def save_training_state(
    directory: Path, optimizer: torch.optim.Optimizer, scheduler: Any, progress: dict[str, Any]
) -> None:
    state = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for pid, entry in state["state"].items():
        for key, value in entry.items():
            if torch.is_tensor(value):
                tensors[f"{pid}.{key}"] = value.detach().contiguous()
            else:
                scalars.setdefault(str(pid), {})[key] = value
    save_file(tensors, str(directory / OPTIMIZER_FILE))
    payload = {
        "progress": progress,
        "param_groups": state["param_groups"],
        "optimizer_scalars": scalars,
        "scheduler": scheduler.state_dict(),
    }
    (directory / STATE_FILE).write_text(json.dumps(payload, indent=1), encoding="utf-8")


def load_training_state(directory: Path, optimizer: torch.optim.Optimizer, scheduler: Any) -> dict[str, Any]:
    payload = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
    with_moments = (directory / OPTIMIZER_FILE).is_file()
    if with_moments:
        state: dict[int, dict[str, Any]] = {}
        for name, tensor in load_file(str(directory / OPTIMIZER_FILE)).items():
            pid, key = name.split(".", 1)
            state.setdefault(int(pid), {})[key] = tensor
        for pid, entry in payload["optimizer_scalars"].items():
            state.setdefault(int(pid), {}).update(entry)
        optimizer.load_state_dict({"state": state, "param_groups": payload["param_groups"]})
    scheduler.load_state_dict(payload["scheduler"])
    if not with_moments:
        # The groups hold the rate the schedule set when it was built; the first step must use the saved one.
        for group, lr in zip(optimizer.param_groups, scheduler.get_last_lr(), strict=True):
            group["lr"] = lr
    return payload["progress"]


def has_training_state(directory: Path) -> bool:
    return (directory / STATE_FILE).is_file()
