"""Training and pretraining configs are one family: the same mistake gets the same one-line error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import diplo_ie.training
from diplo_ie.cli.main import main
from diplo_ie.config import ConfigError, with_values
from diplo_ie.pretraining import config as pretraining
from diplo_ie.training import config as training

FAMILIES = {"training": training, "pretraining": pretraining}
# Each family's command, given a config file.
COMMANDS = {"training": ["train"], "pretraining": ["pretrain", "encoder"]}


@pytest.fixture(params=sorted(FAMILIES))
def family(request: pytest.FixtureRequest) -> str:
    return request.param


def _error(build: Callable[[], Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        build()
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("data", "overrides", "message"),
    [
        ({"training": {"lr": 0.1}}, [], "training.lr: unknown key (did you mean learning_rate?)"),
        (
            {},
            ["training.grad_accum=2"],
            "training.grad_accum: unknown key (did you mean gradient_accumulation",
        ),
        ({"sed": 1}, [], "sed: unknown key (did you mean seed?)"),
        (
            {"training": {"batch_size": "many"}},
            [],
            "training.batch_size: Input should be a valid integer, unable to parse string as an integer "
            "(got 'many')",
        ),
        ({}, ["training.precision=float16"], "training.precision: Input should be 'float32' or 'bfloat16'"),
        ({}, ["training.batch_size"], "--set 'training.batch_size': expected KEY=VALUE"),
        ({"seed": 3}, ["seed.value=3"], "--set 'seed.value=3': seed is not a section"),
    ],
)
def test_the_same_mistake_gets_the_same_error(
    family: str, data: dict, overrides: list[str], message: str
) -> None:
    assert _error(lambda: FAMILIES[family].build_config(data, overrides)).startswith(message)


def test_shared_settings_have_the_same_keys(family: str) -> None:
    settings = [
        "seed=5",
        "output_dir=out",
        "training.learning_rate=1e-4",
        "training.batch_size=3",
        "training.gradient_accumulation_steps=2",
        "training.weight_decay=0.5",
        "training.max_grad_norm=2.0",
        "training.precision=bfloat16",
    ]
    config = FAMILIES[family].build_config({}, settings)
    t = config.training
    assert (config.seed, config.output_dir, t.learning_rate, t.batch_size) == (5, "out", 1e-4, 3)
    assert (t.gradient_accumulation_steps, t.weight_decay, t.max_grad_norm, t.precision) == (
        2,
        0.5,
        2.0,
        "bfloat16",
    )


def test_one_error_class() -> None:
    assert diplo_ie.training.ConfigError is ConfigError


def test_files_are_read_the_same_way(family: str, tmp_path: Path) -> None:
    load = FAMILIES[family].load_config
    assert _error(lambda: load(tmp_path / "none.yaml")) == f"{tmp_path / 'none.yaml'}: no such config file"
    broken = tmp_path / "broken.yaml"
    broken.write_text("training:\n  batch_size: [1\n", encoding="utf-8")
    assert _error(lambda: load(broken)).startswith(f"{broken}: not valid YAML (while parsing a flow sequence")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n", encoding="utf-8")
    assert _error(lambda: load(listed)) == f"{listed}: the top level must be a mapping"
    good = tmp_path / "good.yaml"
    good.write_text("training:\n  learning_rate: 0.5\n", encoding="utf-8")
    assert load(good, ["training.batch_size=2"]).training.batch_size == 2


def test_commands_report_the_same_line(
    family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("training:\n  learning_rat: 0.1\n", encoding="utf-8")
    assert main([*COMMANDS[family], str(config), "--set", "seed=3"]) == 2
    err = capsys.readouterr().err
    assert err == "diplo-ie: error: training.learning_rat: unknown key (did you mean learning_rate?)\n"


def test_with_values_validates_again_and_leaves_the_config_alone() -> None:
    config = pretraining.build_config({})
    changed = with_values(config, {"output_dir": "elsewhere", "training.max_minutes": 2.5})
    assert (changed.output_dir, changed.training.max_minutes) == ("elsewhere", 2.5)
    assert (config.output_dir, config.training.max_minutes) == ("pretrain-out", None)
    assert _error(lambda: with_values(config, {"data.seq_len": 4})).startswith(
        "data.seq_len: Input should be"
    )
