"""What annotation tools cannot hold natively (events, publication date, source, split, metadata) travels
beside their spans and relations as these fields of the document."""

from __future__ import annotations

from typing import Any

from diplo_ie.core.schema import Document, Relation, Span

_NATIVE = ("id", "text", "spans", "relations")


def side_fields(doc: Document) -> dict[str, Any]:
    return {k: v for k, v in doc.to_dict().items() if k not in _NATIVE}


def from_side_fields(
    doc_id: str, text: str, fields: dict[str, Any], spans: list[Span], relations: list[Relation]
) -> Document:
    side = {k: v for k, v in fields.items() if k not in _NATIVE}
    doc = Document.from_dict({**side, "id": doc_id, "text": text})
    doc.spans, doc.relations = spans, relations
    return doc
