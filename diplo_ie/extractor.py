"""The extraction API: ``diplo_ie.load()`` and :class:`Extractor`.

Pipeline per article: clean scraped text and HTML (keeping a map to the original offsets), check it is
Vietnamese text, tag spans, relations and call statuses with the model, assemble events deterministically
(:mod:`diplo_ie.events`), and map every offset back to the input as given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

from diplo_ie.events import assemble_events
from diplo_ie.inputs import InputError, check_text, check_type
from diplo_ie.leaders import Gazetteer
from diplo_ie.precision import DEFAULT_PRECISION, check_precision
from diplo_ie.prepare import CleanText, clean_text
from diplo_ie.schema import CallEvent, DateValue, Document, DurationValue, Trigger
from diplo_ie.sentences import sentence_index, split_sentences

DEFAULT_MODEL_NAME = "default"
# Long inputs are tagged in pieces of at most this many characters, cut at sentence ends, so memory stays
# bounded whatever the input size (the model itself windows each piece).
CHUNK_CHARS = 20_000


class ModelNotFoundError(FileNotFoundError):
    """No saved model at the given path (or no shipped default model in this installation)."""


def default_model_path() -> Path:
    return Path(str(resources.files("diplo_ie").joinpath("models", DEFAULT_MODEL_NAME)))


def load(path: str | Path | None = None, precision: str = DEFAULT_PRECISION) -> Extractor:
    """An :class:`Extractor` with the shipped default model, or the saved model directory at ``path``.
    ``precision="bfloat16"`` trades exact reproduction of the model's recorded scores for speed on CPUs with
    bfloat16 support (:mod:`diplo_ie.precision`)."""
    from diplo_ie.modeling import DiploModel  # torch and transformers load only when a model is used

    check_precision(precision)
    directory = Path(path) if path is not None else default_model_path()
    if not (directory / "config.json").is_file() or not (directory / "model.safetensors").is_file():
        where = "the shipped default model" if path is None else f"a saved model at {directory}"
        raise ModelNotFoundError(f"{where} was not found ({directory} has no config.json/model.safetensors)")
    model = DiploModel.from_pretrained(directory)
    model.set_precision(precision)
    return Extractor(model)


def parse_published(value: str | dt.date | None, source: str) -> str | None:
    if value is None or isinstance(value, dt.date):
        return value.isoformat() if value else None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InputError(f"{source}: published must be a date like 2024-11-16, got {value!r}") from None


@dataclasses.dataclass
class _Prepared:
    clean: CleanText
    published: str | None
    chunks: list[tuple[int, int]]


class Extractor:
    """Extracts call events from Vietnamese news text with a loaded model."""

    def __init__(self, model, gazetteer: Gazetteer | None = None, batch_size: int = 16):
        self.model = model
        self.gazetteer = gazetteer or Gazetteer.load()
        self.batch_size = batch_size

    def extract(self, text: str, published: str | dt.date | None = None) -> list[CallEvent]:
        """The call events of one article; offsets refer to ``text`` as given."""
        (result,) = self.extract_batch([text], published=[published])
        return result  # type: ignore[return-value]

    def extract_batch(
        self,
        texts: Sequence[str],
        published: Sequence[str | dt.date | None] | str | dt.date | None = None,
        batch_size: int | None = None,
        on_error: Literal["raise", "return"] = "raise",
    ) -> list[list[CallEvent] | InputError]:
        """Events of many articles, batched through the model.

        ``published`` is one date for all texts or one per text. A text that cannot be processed raises
        :class:`InputError`, or with ``on_error="return"`` gets the error in its place in the result.
        """
        dates = list(published) if isinstance(published, list | tuple) else [published] * len(texts)
        if len(dates) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(dates)} publication dates")
        results: list[list[CallEvent] | InputError] = []
        prepared: dict[int, _Prepared] = {}
        for i, (text, date) in enumerate(zip(texts, dates, strict=True)):
            try:
                prepared[i] = self._prepare(text, date, f"text {i}")
            except InputError as exc:
                if on_error == "raise":
                    raise
                results.append(exc)
                continue
            results.append([])
        self._run(prepared, batch_size or self.batch_size, results)
        return results

    def _prepare(self, text: str, published: str | dt.date | None, source: str) -> _Prepared:
        clean = clean_text(check_type(text, source))
        check_text(clean.text, source)
        return _Prepared(clean, parse_published(published, source), _chunks(clean.text))

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
        sentences = split_sentences(clean.text)
        s_start, s_end = sentences[sentence_index(sentences, event.trigger.start)]
        o_start, o_end = clean.span_to_original(s_start, s_end)
        mapped.evidence = original[o_start:o_end]
    return mapped


__all__ = ["Extractor", "ModelNotFoundError", "load"]
