"""Read corpus articles and split off the held-out slice.

The held-out slice is every ``heldout_every``-th article (by file position). Taking a stride rather than a
block spreads it over the whole crawl period (ids grow with time), so the held-out loss is not one month's
topics.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def iter_articles(path: str | Path, start: int = 0) -> Iterator[tuple[int, str]]:
    """Yield ``(position, text)`` for every article at file position ``>= start``; empty texts are skipped."""
    with _open_text(Path(path)) as handle:
        for position, line in enumerate(handle):
            if position < start:
                continue
            line = line.strip()
            if not line:
                continue
            text = json.loads(line).get("text") or ""
            if text.strip():
                yield position, text


def is_heldout(position: int, heldout_every: int) -> bool:
    """Whether the article at ``position`` is held out (``heldout_every <= 0``: none is)."""
    return heldout_every > 0 and position % heldout_every == 0


def training_texts(path: str | Path, heldout_every: int, limit: int | None = None) -> Iterator[str]:
    """Texts of the training articles (held-out ones excluded), at most ``limit`` of them."""
    count = 0
    for position, text in iter_articles(path):
        if is_heldout(position, heldout_every):
            continue
        if limit is not None and count >= limit:
            return
        count += 1
        yield text


def heldout_texts(path: str | Path, heldout_every: int) -> Iterator[str]:
    for position, text in iter_articles(path):
        if is_heldout(position, heldout_every):
            yield text
