"""YAML configuration shared by training and pretraining: strict pydantic sections, ``--set KEY=VALUE``
overrides, and one-line errors that name the key path.

A misspelt key silently falling back to its default would waste a whole run, so an unknown key is an error
with a "did you mean" hint, and a mistyped value is an error that shows the value.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError


class ConfigError(ValueError):
    """A configuration problem; the message is one line and names the key path."""


class StrictModel(BaseModel):
    """A config section (or a whole config): keys it does not declare are errors."""

    model_config = ConfigDict(extra="forbid")


Config = TypeVar("Config", bound=StrictModel)


def _fields(section: Any) -> dict[str, Any]:
    """Field name -> annotation, for pydantic models and stdlib dataclasses alike."""
    if isinstance(section, type) and issubclass(section, BaseModel):
        return {k: f.annotation for k, f in section.model_fields.items()}
    if dataclasses.is_dataclass(section):
        return {f.name: f.type for f in dataclasses.fields(section)}
    return {}


def _known_keys(root: type[StrictModel], path: tuple[Any, ...]) -> list[str]:
    section: Any = root
    for key in path:
        section = _fields(section).get(str(key))
    return list(_fields(section)) if isinstance(section, type) else []


def _abbreviation_of(key: str, known: list[str]) -> list[str]:
    """Known keys that ``key`` abbreviates ("lr" -> "learning_rate"): same first letter, letters in order."""

    def is_subsequence(short: str, long: str) -> bool:
        it = iter(long)
        return all(ch in it for ch in short)

    return [k for k in known if k[:1] == key[:1] and is_subsequence(key, k)][:1]


def _describe(root: type[StrictModel], error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    path = ".".join(str(p) for p in loc)
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        known = _known_keys(root, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5) or _abbreviation_of(
            str(loc[-1]), known
        )
        hint = f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(known)})" if known else ""
        return f"{path}: unknown key{hint}"
    # A section's own validators raise ValueError; pydantic prefixes their message with "Value error, ".
    message = error["msg"].removeprefix("Value error, ")
    return f"{path}: {message} (got {error.get('input')!r})"


def parse_override(item: str) -> tuple[list[str], Any]:
    """``a.b.c=value`` -> (["a", "b", "c"], value parsed as YAML)."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
    key, value = item.split("=", 1)
    return key.strip().split("."), yaml.safe_load(value)


def _validate(root: type[Config], data: Mapping[str, Any]) -> Config:
    try:
        return root.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(root, e) for e in exc.errors())) from None


def from_dict(root: type[Config], data: Mapping[str, Any], overrides: Sequence[str] = ()) -> Config:
    """Validate ``data`` after applying ``--set`` overrides (``a.b=value``, the value read as YAML)."""
    data = copy.deepcopy(dict(data))  # overrides must not write into the caller's nested sections
    for item in overrides:
        keys, value = parse_override(item)
        node = data
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {item!r}: {k} is not a section")
        node[keys[-1]] = value
    return _validate(root, data)


def from_yaml(root: type[Config], path: str | Path, overrides: Sequence[str] = ()) -> Config:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        # The parser's message spans lines (the offending line, a caret); a ConfigError is one line.
        raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping")
    return from_dict(root, data, overrides)


def with_values(config: Config, values: Mapping[str, Any]) -> Config:
    """``config`` with dotted keys (``"training.max_minutes"``) set to typed values, e.g. from command-line
    flags, and validated again like any other value."""
    data = config.model_dump()
    for dotted, value in values.items():
        *sections, key = dotted.split(".")
        node = data
        for section in sections:
            node = node[section]
        node[key] = value
    return _validate(type(config), data)
