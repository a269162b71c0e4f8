"""The Ray Data batch job on a local Ray instance with 2 workers and the tiny model: the same records as the
local batch command, Parquet in and out, and nothing lost or duplicated when a worker is killed mid-run."""

import contextlib
import json
import os
import signal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tiny_model import RECORDS

from diplo_ie.cli.main import main
from diplo_ie.distributed import ExtractorSpec, input_files, run_job

N_RECORDS = 200
BAD = {"a7": "", "a99": "The president phoned the prime minister yesterday to discuss trade and security."}


@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray")
    # Logical CPUs: two actors hold one each, and reading the input needs one more.
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[dict]:
    rows = []
    for i in range(N_RECORDS):
        record = RECORDS[i % len(RECORDS)]
        text = BAD.get(f"a{i}", f"{record['text']} (Bài {i}.)")
        rows.append({"id": f"a{i}", "text": text, "published": "2024-11-16" if i % 2 else None})
    return rows


@pytest.fixture(scope="module")
def jsonl_dir(articles, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("jsonl-in")
    with (directory / "articles.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in articles)
    return directory


@pytest.fixture(scope="module")
def local_lines(jsonl_dir, tiny_model_dir, tmp_path_factory) -> dict[str, str]:
    """The output of the local batch command, line by line, by id."""
    out = tmp_path_factory.mktemp("local") / "events.jsonl"
    args = ["extract", "--input", str(jsonl_dir / "articles.jsonl"), "--output", str(out)]
    assert main([*args, "--model", str(tiny_model_dir / "checkpoint")]) == 1  # the BAD articles
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == N_RECORDS - len(BAD)
    return {json.loads(line)["id"]: line for line in lines}


def _ray_lines(out: Path) -> list[str]:
    return [line for part in sorted(out.glob("part-*.jsonl")) for line in part.open(encoding="utf-8")]


def _map_workers() -> list[int]:
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"ray::MapWorker"):
            pids.append(int(pid))
    return pids


@pytest.mark.slow
def test_killed_worker_loses_and_duplicates_nothing_after_a_rerun(
    ray_instance, jsonl_dir, local_lines, tiny_model_dir, tmp_path
):
    out = tmp_path / "out"
    killed: list[int] = []
    seen = 0

    def kill_one_worker_mid_run(count: int) -> None:
        nonlocal seen
        seen += count
        if seen >= 30 and not killed:
            killed.append(_map_workers()[0])
            os.kill(killed[0], signal.SIGKILL)

    spec = ExtractorSpec(model=str(tiny_model_dir / "checkpoint"))
    files = input_files(str(jsonl_dir))
    with contextlib.suppress(Exception):  # a lost batch may end the run: the rerun below then finishes it
        run_job(files, out, "jsonl", spec, workers=2, progress=kill_one_worker_mid_run, part_rows=20)
    assert killed
    args = ["extract", "--engine", "ray", "--input", str(jsonl_dir / "*.jsonl"), "--output", str(out)]
    main([*args, "--model", str(tiny_model_dir / "checkpoint"), "--workers", "2"])
    lines = _ray_lines(out)
    ids = [json.loads(line)["id"] for line in lines]
    assert sorted(ids) == sorted(f"a{i}" for i in range(N_RECORDS))  # each article exactly once
    # Record for record what the local command writes; failed articles carry their error instead.
    assert {i: line for i, line in zip(ids, lines, strict=True) if i not in BAD} == local_lines
    errors = {
        json.loads(line)["id"]: json.loads(line)["error"] for line in lines if "error" in json.loads(line)
    }
    assert set(errors) == set(BAD)
    assert "empty text" in errors["a7"] and "Vietnamese" in errors["a99"]


@pytest.mark.slow
def test_parquet_in_and_out_equals_the_local_command(
    ray_instance, articles, local_lines, tiny_model_dir, tmp_path, capsys
):
    source = tmp_path / "in"
    source.mkdir()
    for k in range(2):  # two files, a directory as input; publication dates typed as dates
        table = pa.Table.from_pylist(articles[k::2])
        table = table.set_column(2, "published", table["published"].cast(pa.timestamp("s")).cast(pa.date32()))
        pq.write_table(table, source / f"part{k}.parquet")
    out = tmp_path / "out"
    args = ["extract", "--engine", "ray", "--input", str(source), "--output", str(out), "--format", "parquet"]
    assert main([*args, "--model", str(tiny_model_dir / "checkpoint")]) == 1
    assert f"{N_RECORDS} article(s) processed, {len(BAD)} error(s)" in capsys.readouterr().err
    rows = pa.concat_tables(pq.read_table(p) for p in out.glob("part-*.parquet")).to_pylist()
    assert len(rows) == N_RECORDS
    ok = {r["id"]: json.loads(r["events"]) for r in rows if r["error"] is None}
    assert ok == {i: json.loads(line)["events"] for i, line in local_lines.items()}
    assert {r["id"] for r in rows if r["error"] is not None} == set(BAD)


def test_input_files_are_a_directory_or_a_glob_of_one_format(tmp_path):
    for name in ("b.jsonl", "a.jsonl", "c.parquet", "notes.txt"):
        (tmp_path / name).write_text("")
    assert input_files(str(tmp_path / "*.jsonl")) == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    with pytest.raises(ValueError, match="JSONL files or Parquet files"):
        input_files(str(tmp_path))
    with pytest.raises(ValueError, match="no input files"):
        input_files(str(tmp_path / "*.gz"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "csv"], "--engine ray writes jsonl or parquet"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--output", "FILE"], "with --engine ray, a directory"),
        (["--input", "NONE/*.jsonl"], "no input files"),
    ],
)
def test_ray_engine_checks_its_options_before_starting(tmp_path, capsys, extra, message):
    (tmp_path / "in.jsonl").write_text('{"id": 1, "text": "x"}\n')
    (tmp_path / "FILE").write_text("")
    args = {"--input": str(tmp_path / "in.jsonl"), "--output": str(tmp_path / "out")}
    for option, value in zip(extra[::2], extra[1::2], strict=True):
        args[option] = value if value not in ("FILE", "NONE/*.jsonl") else str(tmp_path / value)
    assert main(["extract", "--engine", "ray", *(x for kv in args.items() for x in kv)]) == 2
    assert message in capsys.readouterr().err


def test_parquet_output_needs_the_ray_engine(tmp_path, capsys):
    args = ["extract", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "o"), "--format"]
    assert main([*args, "parquet"]) == 2
    assert "--format parquet needs --engine ray" in capsys.readouterr().err
