"""Label Studio JSON import/export.

Spans become ``labels`` regions and relations ``relation`` results on the ``text`` object; events,
publication date, source, split and metadata travel in ``data.diplo_ie`` because Label Studio has no event
type. Relation ids are renumbered R1..Rn in order on import, as every file of this project numbers them.
Use the labelling config returned by :func:`labelling_config` for the project.
"""

from __future__ import annotations

from typing import Any

from diplo_ie.annotations.exchange import from_side_fields, side_fields
from diplo_ie.core.schema import Document, Relation, Span
from diplo_ie.core.spec import CALL_SPEC


def labelling_config() -> str:
    labels = "\n".join(f'    <Label value="{label}"/>' for label in CALL_SPEC.span_labels)
    relations = "\n".join(f'    <Relation value="{rel}"/>' for rel in CALL_SPEC.relation_types)
    return (
        "<View>\n  <Relations>\n" + relations + "\n  </Relations>\n"
        '  <Labels name="label" toName="text">\n' + labels + "\n  </Labels>\n"
        '  <Text name="text" value="$text"/>\n</View>\n'
    )


def to_labelstudio(docs: list[Document]) -> list[dict[str, Any]]:
    tasks = []
    for index, doc in enumerate(docs, start=1):
        result: list[dict[str, Any]] = [
            {
                "id": span.id,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
            }
            for span in doc.spans
        ]
        result += [
            {"type": "relation", "from_id": r.head, "to_id": r.tail, "direction": "right", "labels": [r.type]}
            for r in doc.relations
        ]
        extra = side_fields(doc)
        tasks.append(
            {
                "id": index,
                "data": {"text": doc.text, "doc_id": doc.id, "diplo_ie": extra},
                "annotations": [{"result": result}],
            }
        )
    return tasks


def from_labelstudio(tasks: list[dict[str, Any]]) -> list[Document]:
    docs = []
    for task in tasks:
        data = task["data"]
        extra = data.get("diplo_ie", {})
        results = task["annotations"][0]["result"] if task.get("annotations") else []
        spans = [
            Span(
                r["value"]["labels"][0],
                r["value"]["start"],
                r["value"]["end"],
                r["value"]["text"],
                id=r["id"],
            )
            for r in results
            if r.get("type") == "labels"
        ]
        relations = [
            Relation(r["labels"][0], r["from_id"], r["to_id"], id=f"R{i}")
            for i, r in enumerate((r for r in results if r.get("type") == "relation"), start=1)
        ]
        doc_id = str(data.get("doc_id", task.get("id")))
        docs.append(from_side_fields(doc_id, data["text"], extra, spans, relations))
    return docs
