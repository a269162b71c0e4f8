"""BRAT standoff import/export.

Each document becomes ``ID.txt`` (the text), ``ID.ann`` (T lines for spans, R lines for relations, E lines and
Status attributes for events, for viewing in brat) and ``ID.json`` (publication date, source, split, metadata
and the events with their normalized values, which brat cannot hold). ``annotation.conf`` is written
beside them.
Reading takes spans and relations from ``.ann`` and events from ``.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from diplo_ie.annotations.exchange import from_side_fields, side_fields
from diplo_ie.core.schema import Document, Relation, Span
from diplo_ie.core.spec import CALL_SPEC


def annotation_conf() -> str:
    rel_lines = []
    for rel, pairs in CALL_SPEC.relations:
        heads = "|".join(sorted({h for h, _ in pairs}))
        tails = "|".join(sorted({t for _, t in pairs}))
        rel_lines.append(f"{rel}\tArg1:{heads}, Arg2:{tails}")
    entities = [label for label in CALL_SPEC.span_labels if label != CALL_SPEC.trigger]
    return (
        "[entities]\n" + "\n".join(entities) + "\n\n"
        "[relations]\n" + "\n".join(rel_lines) + "\n\n"
        "[events]\nCALL\tParticipant*:LEADER|TITLE, Time?:DATE, Duration?:DURATION\n\n"
        "[attributes]\nStatus\tArg:CALL, Value:" + "|".join(CALL_SPEC.statuses) + "\n"
    )


def _ann_lines(doc: Document) -> list[str]:
    lines = []
    for span in doc.spans:
        if "\n" in span.text:
            raise ValueError(f"{doc.id}: span {span.id} crosses a line break, which brat cannot hold")
        lines.append(f"{span.id}\t{span.label} {span.start} {span.end}\t{span.text}")
    lines += [f"{r.id}\t{r.type} Arg1:{r.head} Arg2:{r.tail}" for r in doc.relations]
    by_offsets = {(s.start, s.end): s.id for s in doc.spans}
    for n, event in enumerate(doc.events, start=1):
        trigger = by_offsets[tuple(event.call_mentions[0])]
        args = [f"CALL:{trigger}"]
        for i, p in enumerate(event.participants, start=1):
            if p.mentions:
                args.append(f"Participant{'' if i == 1 else i}:{by_offsets[tuple(p.mentions[0])]}")
        for role, value in (("Time", event.date), ("Duration", event.duration)):
            if value is not None and value.start is not None:
                args.append(f"{role}:{by_offsets[(value.start, value.end)]}")
        lines.append(f"E{n}\t{' '.join(args)}")
        lines.append(f"A{n}\tStatus E{n} {event.status}")
    return lines


def write_brat(docs: list[Document], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
    for doc in docs:
        (directory / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8", newline="")
        (directory / f"{doc.id}.ann").write_text("\n".join(_ann_lines(doc)) + "\n", encoding="utf-8")
        side = {"id": doc.id, **side_fields(doc)}
        (directory / f"{doc.id}.json").write_text(
            json.dumps(side, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def _parse_ann(text: str) -> tuple[list[Span], list[Relation]]:
    spans, relations = [], []
    for line in text.splitlines():
        if line.startswith("T"):
            sid, info, span_text = line.split("\t", 2)
            label, start, end = info.split(" ")
            spans.append(Span(label, int(start), int(end), span_text, id=sid))
        elif line.startswith("R"):
            rid, info = line.split("\t", 1)
            rel_type, arg1, arg2 = info.split(" ")
            relations.append(Relation(rel_type, arg1.split(":", 1)[1], arg2.split(":", 1)[1], id=rid))
    return spans, relations


def read_brat(directory: Path) -> list[Document]:
    docs = []
    for txt in sorted(directory.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        ann = txt.with_suffix(".ann")
        spans, relations = _parse_ann(ann.read_text(encoding="utf-8")) if ann.exists() else ([], [])
        side_path = txt.with_suffix(".json")
        side = json.loads(side_path.read_text(encoding="utf-8")) if side_path.exists() else {}
        docs.append(from_side_fields(side.get("id", txt.stem), text, side, spans, relations))
    return docs
