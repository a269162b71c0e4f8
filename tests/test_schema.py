import json

import pytest

from diplo_ie.core.schema import (
    CallEvent,
    DateValue,
    Document,
    DurationValue,
    Participant,
    Relation,
    Span,
    Trigger,
)


def test_call_event_json_round_trip_through_text():
    event = CallEvent(
        participants=[
            Participant("Olaf Scholz", "Thủ tướng", "Đức", [(3, 14)], "Q61053"),
            Participant(None, "Thủ tướng", "Iraq"),
        ],
        status="planned",
        date=DateValue("chiều ngày 15/11", "2024-11-15", "day", 20, 36),
        duration=DurationValue("một tiếng", 60, "PT1H", None, 40, 49),
        trigger=Trigger("điện đàm", 1, 9),
        call_mentions=[(1, 9)],
        evidence="...",
        confidence=0.9,
    )
    restored = CallEvent.from_dict(json.loads(json.dumps(event.to_dict(), ensure_ascii=False)))
    assert restored == event
    assert restored.participants[0].mentions == [(3, 14)]


def test_document_round_trip(gold_doc):
    assert Document.from_dict(json.loads(json.dumps(gold_doc.to_dict()))) == gold_doc


def test_from_dict_rejects_unknown_fields():
    with pytest.raises(ValueError, match="unknown field"):
        Span.from_dict({"label": "CALL", "start": 0, "end": 1, "text": "x", "colour": "red"})


def test_relation_defaults():
    assert Relation.from_dict({"type": "time", "head": "T1", "tail": "T2"}).id is None
