"""Extraction over a Ray Dataset: one model load per worker (an actor pool), results streamed back.

:func:`extract_dataset` maps the extractor over a Dataset of articles (``id``, ``text``, optional
``published``) and gives one row per article: ``id``, ``events`` (the JSON array of its event objects) and
``error`` (why the article could not be processed, else null). :func:`run_job` is ``diplo-ie extract --engine
ray``: it reads JSONL or Parquet files, skips the ids already in the output directory, and writes the results
there in parts, each written whole (under a temporary name, then renamed), so a run that stops at any point
loses at most the parts it had not finished, and a rerun redoes exactly those articles.

``ray`` is an optional extra (``pip install 'diplo-ie[ray]'``). The job runs on the Ray instance that
``ray.init()`` finds: a local one by default, a cluster's with ``RAY_ADDRESS`` or ``address``.
"""

from __future__ import annotations

import glob
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from diplo_ie.core.errors import InputError
from diplo_ie.modeling.backend import DEFAULT_BACKEND, import_optional
from diplo_ie.modeling.precision import DEFAULT_PRECISION

OutputFormat = Literal["jsonl", "parquet"]
INPUT_SUFFIXES = {".jsonl": "jsonl", ".json": "jsonl", ".gz": "jsonl", ".parquet": "parquet"}
# Results are written in parts of at most this many articles or this many seconds of work, whichever comes
# first: what a run that is stopped can lose and has to redo.
PART_ROWS = 1000
PART_SECONDS = 60.0
PART_PREFIX = "part-"


@dataclass(frozen=True)
class ExtractorSpec:
    """What each worker loads: the arguments of :func:`diplo_ie.load`, and the batch size of its model."""

    model: str | None = None
    precision: str = DEFAULT_PRECISION
    backend: str = DEFAULT_BACKEND
    batch_size: int = 16


class _Worker:
    """One actor of the pool: loads the model once, then extracts batch after batch."""

    def __init__(self, spec: ExtractorSpec, published: str | None) -> None:
        from diplo_ie.pipeline import load

        self.extractor = load(spec.model, spec.precision, spec.backend)
        self.batch_size = spec.batch_size
        self.published = published

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        ids = [str(i) for i in batch["id"]]
        own = batch["published"] if "published" in batch else [None] * len(ids)
        results = self.extractor.extract_batch(
            list(batch["text"]),
            published=[_date(p) or self.published for p in own],
            batch_size=self.batch_size,
            on_error="return",
            names=[f"article {i}" for i in ids],
        )
        events = [None if isinstance(r, InputError) else _events_json(r) for r in results]
        errors = [str(r) if isinstance(r, InputError) else None for r in results]
        return {"id": ids, "events": events, "error": errors}


def _date(value: Any) -> Any:
    """A ``published`` cell as :func:`diplo_ie.text.inputs.parse_published` takes it: missing values come as
    None or NaN (NaT), and Parquet dates as numpy datetimes."""
    import numpy as np

    if value is None or value != value:
        return None
    return str(value.astype("datetime64[D]")) if isinstance(value, np.datetime64) else value


def _events_json(events: list) -> str:
    return json.dumps([e.to_dict() for e in events], ensure_ascii=False)


def extract_dataset(
    ds: Any,
    spec: ExtractorSpec | None = None,
    *,
    workers: int = 2,
    published: str | None = None,
    num_cpus: float = 1,
) -> Any:
    """The events of each article of ``ds`` (a ``ray.data.Dataset`` with ``id`` and ``text`` columns, and
    optionally ``published``), computed by a pool of ``workers`` actors of ``num_cpus`` CPUs each.
    ``published`` is the date of the articles without one of their own."""
    data = import_optional("ray.data", "ray", "the Ray engine")
    spec = spec or ExtractorSpec()
    # A killed or lost actor is restarted and its batch retried (Ray Data's default for actor pools).
    return ds.map_batches(
        _Worker,
        fn_constructor_kwargs={"spec": spec, "published": published},
        batch_size=spec.batch_size,
        batch_format="numpy",
        compute=data.ActorPoolStrategy(size=workers),
        num_cpus=num_cpus,
    )


# -- the batch job ---------------------------------------------------------------------------------------
def input_files(pattern: str) -> list[str]:
    """The JSONL/Parquet files of a directory or a glob pattern; ``ValueError`` when there are none or they
    mix formats."""
    path = Path(pattern)
    if path.is_dir():
        files = sorted(str(p) for p in path.iterdir() if p.is_file() and p.suffix in INPUT_SUFFIXES)
    else:
        files = sorted(glob.glob(pattern))
    if not files:
        raise ValueError(f"{pattern}: no input files (.jsonl, .jsonl.gz or .parquet)")
    formats = {INPUT_SUFFIXES.get(Path(f).suffix) for f in files}
    if len(formats) != 1 or None in formats:
        raise ValueError(f"{pattern}: give JSONL files or Parquet files, not {', '.join(files[:5])}")
    return files


def read_articles(files: list[str]) -> Any:
    data = import_optional("ray.data", "ray", "the Ray engine")
    if Path(files[0]).suffix == ".parquet":
        return data.read_parquet(files)
    return data.read_json(files, lines=True)


def done_ids(out_dir: Path) -> set[str]:
    """Ids of the articles in the complete parts of ``out_dir``."""
    done: set[str] = set()
    for part in out_dir.glob(f"{PART_PREFIX}*"):
        if part.suffix == ".jsonl":
            done |= {str(json.loads(line)["id"]) for line in part.read_text(encoding="utf-8").splitlines()}
        elif part.suffix == ".parquet":
            import pyarrow.parquet as pq

            done |= {str(i) for i in pq.read_table(part, columns=["id"]).column("id").to_pylist()}
    return done


@dataclass
class JobSummary:
    processed: int
    errors: int
    skipped: int


def run_job(
    files: list[str],
    out_dir: str | Path,
    fmt: OutputFormat = "jsonl",
    spec: ExtractorSpec | None = None,
    *,
    workers: int = 2,
    published: str | None = None,
    progress: Callable[[int], None] | None = None,
    part_rows: int = PART_ROWS,
) -> JobSummary:
    """Extract the articles of ``files`` that ``out_dir`` does not hold yet and write them there in ``fmt``;
    ``progress`` is called with the number of articles of each batch that comes back."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = done_ids(out_dir)
    ds = read_articles(files)
    if done:
        ds = ds.filter(lambda row: str(row["id"]) not in done)
        # A pass over the input is cheaper than starting the actors (each loads torch and the model).
        if ds.count() == 0:
            return JobSummary(0, 0, len(done))
    results = extract_dataset(ds, spec, workers=workers, published=published)
    run = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    processed = errors = 0
    for number, rows in enumerate(_parts(results.iter_rows(), part_rows, progress)):
        _write_part(out_dir / f"{PART_PREFIX}{run}-{number:05d}.{fmt}", rows, fmt)
        processed += len(rows)
        errors += sum(row["error"] is not None for row in rows)
    return JobSummary(processed, errors, len(done))


def _parts(
    rows: Iterator[dict[str, Any]], size: int, progress: Callable[[int], None] | None
) -> Iterator[list[dict[str, Any]]]:
    part: list[dict[str, Any]] = []
    started = time.monotonic()
    for row in rows:
        part.append(row)
        if progress is not None:
            progress(1)
        if len(part) == size or time.monotonic() - started > PART_SECONDS:
            yield part
            part, started = [], time.monotonic()
    if part:
        yield part


def _write_part(path: Path, rows: list[dict[str, Any]], fmt: OutputFormat) -> None:
    """``rows`` as one file at ``path``, which appears only once it is complete."""
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(name, pa.string()) for name in ("id", "events", "error")])
        pq.write_table(pa.table({name: [row[name] for row in rows] for name in schema.names}, schema), tmp)
    else:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(_jsonl_line(row) for row in rows)
    os.replace(tmp, path)


def _jsonl_line(row: dict[str, Any]) -> str:
    """The line of ``diplo-ie extract --input`` for an article, or ``{"id", "error"}`` for a failed one."""
    from diplo_ie.cli.output import json_line

    if row["error"] is not None:
        return json_line({"id": row["id"], "error": row["error"]})
    return json_line({"id": row["id"], "events": json.loads(row["events"])})
