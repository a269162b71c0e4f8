"""The extraction API: ``diplo_ie.load()`` and :class:`Extractor`.

Pipeline per article: clean scraped text and HTML (keeping a map to the original offsets), check it is
Vietnamese text, tag spans, relations and call statuses with the model, assemble events deterministically
(:mod:`diplo_ie.events`), and map every offset back to the input as given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Literal, get_args

from tqdm import tqdm

from diplo_ie.core.errors import ModelLoadError, ModelNotFoundError
from diplo_ie.core.schema import CallEvent, DateValue, Document, DurationValue, Trigger
from diplo_ie.events import assemble_events
from diplo_ie.lexicon.leaders import Gazetteer
from diplo_ie.modeling.backend import DEFAULT_BACKEND, BackendName, check_backend
from diplo_ie.modeling.precision import DEFAULT_PRECISION, check_precision
from diplo_ie.text.inputs import InputError, check_text, check_type, parse_published
from diplo_ie.text.prepare import CleanText, clean_text
from diplo_ie.text.sentences import split_sentences

DEFAULT_MODEL_NAME = "default"
# The shipped model's ONNX export (int8), inside its directory.
SHIPPED_ONNX_NAME = "onnx-int8"
# Long inputs are tagged in pieces of at most this many characters, cut at sentence ends, so memory stays
# bounded whatever the input size (the model itself windows each piece).
CHUNK_CHARS = 20_000
# The model gets at most this many characters at once (and at most batch_size pieces): it holds the outputs
# of a whole call, so this is what bounds peak memory (about 0.7 GiB with the shipped model).
GROUP_CHARS = 100_000


# A progress bar (on a terminal) for inputs of at least this many pieces: about a minute of CPU time.
PROGRESS_MIN_PIECES = 8
OnError = Literal["raise", "return"]


def default_model_path() -> Path:
    return Path(str(resources.files("diplo_ie").joinpath("models", DEFAULT_MODEL_NAME)))


def load(
    path: str | PathLike[str] | None = None,
    precision: str = DEFAULT_PRECISION,
    backend: str = DEFAULT_BACKEND,
) -> Extractor:
    """An :class:`Extractor` with the shipped default model, or the saved model directory at ``path``.
    ``precision="bfloat16"`` trades exact reproduction of the model's recorded scores for speed on CPUs with
    bfloat16 support (:mod:`diplo_ie.modeling.precision`). ``backend="onnx"`` runs an ONNX export
    (``diplo-ie export onnx``; by default the shipped model's int8 export) on ONNX Runtime, installed with
    ``diplo-ie[onnx]``; its precision is the export's.

    Raises :class:`ModelNotFoundError` when there is no model at ``path`` and :class:`ModelLoadError` when its
    files cannot be read (a truncated download, a corrupt file)."""
    check_precision(precision)
    backend = check_backend(backend)
    if backend == "onnx" and precision != DEFAULT_PRECISION:
        raise ValueError("precision is for the torch backend: an ONNX export's is set by its --quantize")
    directory = find_model(path, backend)
    if backend == "onnx":
        return Extractor(_load_onnx(directory), model_path=directory)
    model = _load_model(directory)
    model.set_precision(precision)
    return Extractor(model, model_path=directory)


def find_model(path: str | PathLike[str] | None = None, backend: BackendName = DEFAULT_BACKEND) -> Path:
    """The model directory :func:`load` would read (without reading it), or :class:`ModelNotFoundError`."""
    if backend == "onnx":
        return _find_onnx(path)
    directory = Path(path) if path is not None else default_model_path()
    if not (directory / "config.json").is_file() or not (directory / "model.safetensors").is_file():
        where = "the shipped default model" if path is None else f"a saved model at {directory}"
        raise ModelNotFoundError(f"{where} was not found ({directory} has no config.json/model.safetensors)")
    return directory


def _find_onnx(path: str | PathLike[str] | None) -> Path:
    from diplo_ie.modeling.ort import GRAPH_FILES, is_export  # numpy and torch only: no ONNX Runtime yet

    directory = Path(path) if path is not None else default_model_path() / SHIPPED_ONNX_NAME
    if not is_export(directory):
        where = "the shipped model's ONNX export" if path is None else f"an ONNX export at {directory}"
        raise ModelNotFoundError(
            f"{where} was not found ({directory} lacks config.json or one of {', '.join(GRAPH_FILES)}); "
            "make one with: diplo-ie export onnx MODEL_DIR OUT_DIR"
        )
    return directory


def _load_onnx(directory: Path):
    from diplo_ie.modeling.ort import OnnxModel

    try:
        return OnnxModel(directory)
    except ImportError:  # onnxruntime missing: its message says how to install it
        raise
    except Exception as exc:  # any failure to read the user's directory is reported as one error about it
        raise ModelLoadError(
            f"{directory}: cannot load the ONNX export ({type(exc).__name__}: {exc})"
        ) from exc


def _load_model(directory: Path):
    from safetensors import SafetensorError, safe_open

    from diplo_ie.modeling.model import DiploModel  # torch and transformers load only when a model is used

    weights = directory / "model.safetensors"
    try:  # reads the header only: a truncated or corrupt file fails here, named, before anything is built
        with safe_open(str(weights), "pt"):
            pass
    except (SafetensorError, OSError) as exc:
        raise ModelLoadError(f"{weights}: not a readable safetensors file ({exc})") from exc
    try:
        return DiploModel.from_pretrained(directory)
    except Exception as exc:  # any failure to read the user's directory is reported as one error about it
        raise ModelLoadError(f"{directory}: cannot load the model ({type(exc).__name__}: {exc})") from exc


@dataclasses.dataclass
class _Prepared:
    clean: CleanText
    published: str | None
    chunks: list[tuple[int, int]]


class Extractor:
    """Extracts call events from Vietnamese news text with a loaded model."""

    def __init__(
        self,
        model,
        gazetteer: Gazetteer | None = None,
        batch_size: int = 16,
        model_path: str | PathLike[str] | None = None,
    ):
        self.model = model
        self.gazetteer = gazetteer or Gazetteer.load()
        self.batch_size = _check_batch_size(batch_size)
        self.model_path = model_path

    def __repr__(self) -> str:
        model = str(self.model_path) if self.model_path is not None else type(self.model).__name__
        precision = getattr(self.model, "precision", None)
        return f"Extractor(model={model!r}, precision={precision!r}, batch_size={self.batch_size})"

    def extract(
        self,
        text: str,
        published: str | dt.date | None = None,
        *,
        name: str = "text",
        progress: bool | None = None,
    ) -> list[CallEvent]:
        """The call events of one article; offsets refer to ``text`` as given.

        ``published`` is the article's date (ISO 8601, or a ``date``), against which relative dates resolve.
        ``name`` labels the article in error messages. ``progress`` shows a bar of pieces done on stderr:
        by default only for long articles and only on a terminal."""
        (result,) = self.extract_batch([text], published=[published], names=[name], progress=progress)
        return result  # type: ignore[return-value]

    def extract_batch(
        self,
        texts: Iterable[str],
        published: Iterable[str | dt.date | None] | str | dt.date | None = None,
        batch_size: int | None = None,
        on_error: OnError = "raise",
        *,
        names: Iterable[str] | None = None,
        progress: bool | None = None,
    ) -> list[list[CallEvent] | InputError]:
        """Events of many articles, batched through the model.

        ``published`` is one date for all texts or one per text; ``names`` label the texts in error messages
        (default "text 0", "text 1", ...). A text that cannot be processed raises :class:`InputError`, or
        with ``on_error="return"`` gets the error in its place in the result. Arguments of the wrong type
        or value raise ``TypeError`` or ``ValueError`` before any text is processed.
        """
        texts = _as_list(texts, "texts")
        dates = _per_text(published, len(texts))
        labels = [f"text {i}" for i in range(len(texts))] if names is None else _as_list(names, "names")
        if len(labels) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(labels)} names")
        batch_size = self.batch_size if batch_size is None else _check_batch_size(batch_size)
        if on_error not in get_args(OnError):
            raise ValueError(f"on_error must be one of {get_args(OnError)}, got {on_error!r}")
        results: list[list[CallEvent] | InputError] = []
        prepared: dict[int, _Prepared] = {}
        for i, (text, date, label) in enumerate(zip(texts, dates, labels, strict=True)):
            try:
                prepared[i] = self._prepare(text, date, label)
            except InputError as exc:
                if on_error == "raise":
                    raise
                results.append(exc)
                continue
            results.append([])
        pieces = [(i, chunk) for i, p in prepared.items() for chunk in p.chunks]
        # By default a bar for long inputs only, and only on a terminal (tqdm's disable=None).
        auto = None if len(pieces) >= PROGRESS_MIN_PIECES else True
        with tqdm(
            total=len(pieces),
            unit="piece",
            desc=labels[0] if len(labels) == 1 else None,
            disable=auto if progress is None else not progress,
            leave=False,
            file=sys.stderr,
        ) as bar:
            for group in _groups(prepared, pieces, batch_size):
                self._run(group, batch_size, results)
                bar.update(sum(len(p.chunks) for p in group.values()))
        return results

    def _prepare(self, text: str, published: str | dt.date | None, source: str) -> _Prepared:
        date = parse_published(published, source)  # checked first: it costs nothing
        clean = clean_text(check_type(text, source))
        check_text(clean.text, source)
        return _Prepared(clean, date, _chunks(clean.text))

    def _run(self, prepared: dict[int, _Prepared], batch_size: int, results: list) -> None:
        pieces = [
            (i, start, Document(id=f"{i}:{start}", text=p.clean.text[start:end], published=p.published))
            for i, p in prepared.items()
            for start, end in p.chunks
        ]
        # A group of documents at a time: only one group's hidden states are held at once.
        for g in range(0, len(pieces), batch_size):
            group = pieces[g : g + batch_size]
            analyses = self.model.analyze([doc for _, _, doc in group], batch_size=batch_size)
            for (i, start, _doc), analysis in zip(group, analyses, strict=True):
                events = assemble_events(analysis, self.gazetteer)
                results[i] += [_to_original(_shift(e, start), prepared[i].clean) for e in events]


def _check_batch_size(batch_size: object) -> int:
    if not isinstance(batch_size, int) or isinstance(batch_size, bool):
        raise TypeError(f"batch_size must be an int, got {type(batch_size).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return batch_size


def _as_list(values: object, what: str) -> list:
    # A lone string is iterable too: taken as a sequence it would be one text per character.
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        hint = "; use extract() for one text" if what == "texts" else ""
        raise TypeError(f"{what} must be a list or other iterable of str, got {type(values).__name__}{hint}")
    return list(values)


def _per_text(published: object, count: int) -> list:
    if published is None or isinstance(published, str | dt.date):
        return [published] * count
    dates = _as_list(published, "published")
    if len(dates) != count:
        raise ValueError(f"{count} texts but {len(dates)} publication dates")
    return dates


def _groups(
    prepared: dict[int, _Prepared], pieces: list[tuple[int, tuple[int, int]]], batch_size: int
) -> Iterator[dict[int, _Prepared]]:
    """The pieces in model-sized groups: at most ``batch_size`` pieces and :data:`GROUP_CHARS` characters."""
    group: dict[int, _Prepared] = {}
    count = chars = 0
    for i, (start, end) in pieces:
        if group and (count == batch_size or chars + end - start > GROUP_CHARS):
            yield group
            group, count, chars = {}, 0, 0
        group.setdefault(i, dataclasses.replace(prepared[i], chunks=[])).chunks.append((start, end))
        count, chars = count + 1, chars + end - start
    if group:
        yield group


def _chunks(text: str) -> list[tuple[int, int]]:
    if len(text) <= CHUNK_CHARS:
        return [(0, len(text))]
    chunks, start = [], 0
    for s_start, s_end in split_sentences(text):
        if s_end - start > CHUNK_CHARS and s_start > start:
            chunks.append((start, s_start))
            start = s_start
    chunks.append((start, len(text)))
    return chunks


def _shift(event: CallEvent, by: int) -> CallEvent:
    def span(start: int | None, end: int | None) -> tuple[int | None, int | None]:
        return (None, None) if start is None or end is None else (start + by, end + by)

    return _map_offsets(event, span)


def _map_offsets(event: CallEvent, span) -> CallEvent:
    def offsets(pairs):
        return [tuple(span(s, e)) for s, e in pairs]

    def value(v):
        if v is None:
            return None
        start, end = span(v.start, v.end)
        return dataclasses.replace(v, start=start, end=end)

    trigger = None
    if event.trigger is not None:
        start, end = span(event.trigger.start, event.trigger.end)
        trigger = dataclasses.replace(event.trigger, start=start, end=end)
    return dataclasses.replace(
        event,
        participants=[dataclasses.replace(p, mentions=offsets(p.mentions)) for p in event.participants],
        date=value(event.date),
        duration=value(event.duration),
        trigger=trigger,
        call_mentions=offsets(event.call_mentions),
    )


def _to_original(event: CallEvent, clean: CleanText) -> CallEvent:
    """Offsets, span texts and the evidence sentence in terms of the original input."""
    original = clean.original
    mapped = _map_offsets(event, clean.span_to_original)
    if mapped.trigger is not None:
        mapped.trigger = Trigger(original[mapped.trigger.start : mapped.trigger.end], mapped.trigger.start,
                                 mapped.trigger.end)  # fmt: skip
    for attr in ("date", "duration"):
        v: DateValue | DurationValue | None = getattr(mapped, attr)
        if v is not None and v.start is not None:
            setattr(mapped, attr, dataclasses.replace(v, text=original[v.start : v.end]))
    if event.trigger is not None:
        o_start, o_end = clean.sentence_to_original(event.trigger.start)
        mapped.evidence = original[o_start:o_end]
    return mapped


__all__ = ["Extractor", "ModelLoadError", "ModelNotFoundError", "find_model", "load"]
