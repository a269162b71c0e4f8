"""One run per output folder: a second training or pretraining process writing into the folder of a running
one would interleave its metrics with the first's and overwrite its checkpoints."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, runs are not guarded
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"


class FolderInUse(RuntimeError):
    """Another live process holds the output folder."""


@contextmanager
def run_folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for this process until the block ends; the lock dies with the process, so a run that
    was killed leaves nothing to clean up."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a+", encoding="utf-8") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise FolderInUse(
                    f"{folder} is in use by {holder}: wait for that run to end, or choose another output_dir"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        yield
