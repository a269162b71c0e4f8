"""Reading and writing annotation files (JSONL, one document per line).

A record carries either its ``text`` or a ``standoff`` reference
``{"corpus": ..., "article_id": ..., "sha256": ...}`` that is resolved against the corpus at load time;
see annotations/README.md for the full format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplo_ie.annotations.corpus import (
    CorpusUnavailableError,
    estimated_publication,
    load_corpus,
    sha256_text,
)
from diplo_ie.core.analysis import PUBLISHED_ESTIMATE
from diplo_ie.core.schema import Document

# meta key of the approximate publication date of corpus articles that have none (never saved)


class AnnotationFormatError(ValueError):
    """A record that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class RecordLocation:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def annotation_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to the ``*.jsonl`` files below them, sorted; files are kept as given."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.rglob("*.jsonl")) if p.is_dir() else [p])
    return files


def read_records(path: Path) -> Iterator[tuple[RecordLocation, dict[str, Any]]]:
    """Yield the JSON object of each non-blank line with its location."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            loc = RecordLocation(path, lineno)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationFormatError(f"{loc}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise AnnotationFormatError(f"{loc}: a record must be a JSON object")
            yield loc, record


def resolve_text(record: dict[str, Any], hint: Path | None = None) -> str:
    """The article text of a record, from the record itself or its stand-off reference."""
    if "text" in record:
        return record["text"]
    ref = record["standoff"]
    texts = load_corpus(ref["corpus"], hint)
    article_id = str(ref["article_id"])
    if article_id not in texts:
        raise AnnotationFormatError(f"article {article_id!r} is not in corpus {ref['corpus']!r}")
    return texts[article_id]


def record_to_document(record: dict[str, Any], hint: Path | None = None) -> Document:
    data = dict(record)
    standoff = data.pop("standoff", None)
    data["text"] = resolve_text(record, hint)
    doc = Document.from_dict(data)
    if standoff is not None:
        doc.meta = {**doc.meta, "standoff": standoff}
        estimate = estimated_publication(standoff["corpus"], str(standoff["article_id"]))
        if estimate is not None and doc.published is None:
            doc.meta[PUBLISHED_ESTIMATE] = estimate.isoformat()
    return doc


def document_to_record(doc: Document) -> dict[str, Any]:
    """The on-disk form: stand-off documents lose text and evidence sentences (corpus text stays out)."""
    record = doc.to_dict()
    for key in ("spans", "relations"):
        record[key] = [{k: v for k, v in item.items() if v is not None} for item in record[key]]
    record["meta"].pop(PUBLISHED_ESTIMATE, None)
    standoff = record["meta"].pop("standoff", None)
    if standoff is None:
        return _compact(record)
    del record["text"]
    for event in record["events"]:
        event["evidence"] = None
    return {"id": record.pop("id"), "standoff": standoff, **_compact(record)}


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional fields so files stay readable."""
    return {k: v for k, v in record.items() if v not in (None, {}, []) or k in ("spans", "events")}


def standoff_for(corpus: str, article_id: str, text: str) -> dict[str, str]:
    return {"corpus": corpus, "article_id": article_id, "sha256": sha256_text(text)}


def load_documents(
    paths: Iterable[str | Path], *, skip_unavailable: bool = False
) -> tuple[list[Document], list[str]]:
    """Load every document below ``paths``.

    Returns the documents and a list of warnings. Stand-off documents whose corpus is missing raise
    :class:`CorpusUnavailableError`, or are skipped with one warning per corpus when ``skip_unavailable``.
    """
    docs: list[Document] = []
    warnings: dict[str, str] = {}
    for path in annotation_files(paths):
        for loc, record in read_records(path):
            try:
                docs.append(record_to_document(record, path.parent))
            except CorpusUnavailableError as exc:
                if not skip_unavailable:
                    raise
                corpus = record.get("standoff", {}).get("corpus", "?")
                warnings.setdefault(corpus, f"skipped stand-off documents of {corpus!r}: {exc}")
            except (KeyError, TypeError, ValueError) as exc:
                raise AnnotationFormatError(f"{loc}: {exc}") from None
    return docs, list(warnings.values())


def save_documents(docs: Iterable[Document], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(document_to_record(doc), ensure_ascii=False) + "\n")
