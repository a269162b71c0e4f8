"""Where ``diplo-ie extract`` writes: stdout or a file, one article at a time, resumable after a crash.

A rerun of a batch skips the articles already written. JSON lines carry every article (one line each, with
or without events), so the output itself records progress; a line cut off by a crash is cut away and its
article redone. CSV and PLOVER rows exist only for events, so an article without events leaves no trace
there: their progress is kept in ``OUTPUT.done``, one ``{"id", "end"}`` line per article, ``end`` being the
size of the output once that article was written. A rerun cuts the output back to the last recorded end, so
an article torn by a crash is neither lost nor written twice.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, BinaryIO

from diplo_ie.cli.errors import UserError
from diplo_ie.core.schema import CallEvent
from diplo_ie.output.formats import CSV_COLUMNS, batch_record, csv_rows, plover_records

DONE_SUFFIX = ".done"
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 bytes of ``text``; lone surrogates (from ``surrogateescape`` decoding) become U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def json_line(record: Any) -> str:
    """One JSON line; a record holding lone surrogates is written with ``\\u`` escapes, which keep them."""
    line = json.dumps(record, ensure_ascii=False)
    return (json.dumps(record) if _SURROGATE.search(line) else line) + "\n"


def render(fmt: str, article_id: str, events: list[CallEvent], header: bool = False) -> str:
    """The jsonl, csv or plover text of one article."""
    if fmt == "jsonl":
        return json_line(batch_record(article_id, events))
    if fmt == "plover":
        return "".join(json_line(row) for row in plover_records(article_id, events))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    if header:
        writer.writeheader()
    writer.writerows(csv_rows(article_id, events))
    return buffer.getvalue()


class Output:
    """Bytes to stdout or to a file, each write flushed at once; a failed write is one :class:`UserError`."""

    def __init__(self, path: str | None, append: bool = False):
        self.path = path
        self.name = path or "<stdout>"
        self._fh: BinaryIO | None = None
        if path is not None:
            try:
                self._fh = open(path, "ab" if append else "wb")  # noqa: SIM115 (closed by close())
            except OSError as exc:
                raise UserError(f"{path}: cannot write ({exc.strerror})") from None

    def write(self, text: str) -> int:
        """Write and flush ``text``; return the size of the output after it (0 for stdout)."""
        try:
            if self._fh is not None:
                self._fh.write(utf8(text))
                self._fh.flush()
                return self._fh.tell()
            sys.stdout.flush()  # whatever was printed before comes first
            binary = getattr(sys.stdout, "buffer", None)
            if binary is None:  # stdout replaced by a text stream (a StringIO)
                sys.stdout.write(_SURROGATE.sub("\ufffd", text))
            else:
                binary.write(utf8(text))
                binary.flush()
            return 0
        except OSError as exc:
            raise UserError(f"{self.name}: cannot write ({exc.strerror})") from None

    def close(self) -> None:
        if self._fh is not None:
            fh, self._fh = self._fh, None
            try:
                fh.close()
            except OSError as exc:  # what could not be flushed is lost: say so
                raise UserError(f"{self.name}: cannot write ({exc.strerror})") from None

    def __enter__(self) -> Output:
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        try:
            self.close()
        except UserError:
            if exc_type is None:
                raise


class BatchWriter:
    """Appends batch results article by article; ``done`` holds the ids a previous run already wrote."""

    def __init__(self, path: str | None, fmt: str):
        self._fmt = fmt
        self._done_log: Path | None = None
        self.done: set[str] = set()
        size = 0
        # A device or a pipe (/dev/stdout, /dev/null) is written to but never resumed from.
        regular = path is not None and (Path(path).is_file() or not Path(path).exists())
        if path is not None and regular and fmt == "jsonl":
            self.done, size = _resume_jsonl(Path(path))
        elif path is not None and regular:
            self._done_log = Path(path + DONE_SUFFIX)
            self.done, size = _resume_logged(Path(path), self._done_log)
        self._header = fmt == "csv" and size == 0
        self._out = Output(path, append=True)
        self._log = Output(str(self._done_log), append=True) if self._done_log is not None else None

    def write(self, article_id: str, events: list[CallEvent]) -> None:
        end = self._out.write(render(self._fmt, article_id, events, header=self._header))
        self._header = False
        if self._log is not None:
            self._log.write(json_line({"id": article_id, "end": end}))

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc) -> None:
        for output in (self._out, self._log):
            if output is not None:
                output.__exit__(*exc)


def _resume_jsonl(path: Path) -> tuple[set[str], int]:
    """Ids of the complete lines of ``path``; a torn last line is cut away."""
    if not path.is_file():
        return set(), 0
    done, keep = set(), 0
    with path.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # written only in part before a crash
            keep += len(line)
            record = _json_or_none(line)
            if isinstance(record, dict) and "id" in record:
                done.add(str(record["id"]))
    _truncate(path, keep)
    return done, keep


def _resume_logged(path: Path, log: Path) -> tuple[set[str], int]:
    """Ids recorded in ``log`` whose output is all there; the output is cut back to the last of them."""
    size = path.stat().st_size if path.is_file() else 0
    if not log.is_file():
        if size:
            raise UserError(
                f"{path} exists but has no record of the articles done ({log.name}): "
                "give another --output, or remove it to start over"
            )
        return set(), 0
    done, end, keep = set(), 0, 0
    with log.open("rb") as fh:
        for line in fh:
            record = _json_or_none(line) if line.endswith(b"\n") else None
            if not isinstance(record, dict) or not isinstance(record.get("end"), int) or record["end"] > size:
                break
            done.add(str(record["id"]))
            end, keep = record["end"], keep + len(line)
    _truncate(log, keep)
    _truncate(path, end)
    return done, end


def _json_or_none(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def _truncate(path: Path, size: int) -> None:
    if path.is_file() and path.stat().st_size > size:
        try:
            os.truncate(path, size)
        except OSError as exc:
            raise UserError(f"{path}: cannot repair the end of the file ({exc.strerror})") from None
