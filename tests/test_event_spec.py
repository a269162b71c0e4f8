"""The event type is data: a spec saved in config.json, read back, and nothing downstream fixed to calls."""

import json

import pytest
from tiny_model import TINY_CONFIG

from diplo_ie.annotations import save_documents
from diplo_ie.core.schema import CallEvent, Document, Relation, Span
from diplo_ie.core.spec import CALL_SPEC, EventSpec, SpecError, load_spec
from diplo_ie.evaluation import evaluate
from diplo_ie.modeling.model import DiploModel, read_spec
from diplo_ie.training import build_config, train

# A second event type: in-person meetings, with its own labels, relation and statuses.
TOY_SPEC = {
    "name": "meeting",
    "trigger": "MEET",
    "span_labels": ["PERSON", "MEET"],
    "relations": {"attendee": [["MEET", "PERSON"]]},
    "statuses": ["held", "cancelled"],
}


def _meeting(doc_id: str, a: str, b: str, status: str) -> Document:
    verb = "đã gặp" if status == "held" else "hủy cuộc gặp với"
    text = f"Hôm qua ông {a} {verb} ông {b} tại Hà Nội."
    spans = [
        Span("PERSON", text.index(a), text.index(a) + len(a), a, "p1"),
        Span("MEET", text.index(verb), text.index(verb) + len(verb), verb, "m1"),
        Span("PERSON", text.index(b), text.index(b) + len(b), b, "p2"),
    ]
    relations = [Relation("attendee", "m1", "p1", id="r1"), Relation("attendee", "m1", "p2", id="r2")]
    event = CallEvent(participants=[], status=status, call_mentions=[(spans[1].start, spans[1].end)])
    return Document(
        doc_id, text, source="written", split="train", spans=spans, relations=relations, events=[event]
    )


def test_spec_round_trips_through_json_and_the_call_spec_is_a_data_file(tmp_path):
    assert EventSpec.from_dict(json.loads(json.dumps(CALL_SPEC.to_dict()))) == CALL_SPEC
    (tmp_path / "meeting.json").write_text(json.dumps(TOY_SPEC), encoding="utf-8")
    toy = load_spec(tmp_path / "meeting.json")
    assert toy.tags == ("O", "B-PERSON", "I-PERSON", "B-MEET", "I-MEET")
    assert toy.signature_type == {("MEET", "PERSON"): 0}
    assert toy.to_dict() == TOY_SPEC


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trigger": "CALL"}, "trigger 'CALL' is not one of the span labels"),
        ({"relations": {"attendee": [["MEET", "PLACE"]]}}, "unknown label 'PLACE'"),
        ({"relations": {"a": [["MEET", "PERSON"]], "b": [["MEET", "PERSON"]]}}, "belongs to both"),
        ({"statuses": []}, "statuses must be a non-empty list"),
        ({"span_labels": None}, "malformed"),
    ],
)
def test_a_spec_that_cannot_describe_a_model_is_refused(change, message):
    with pytest.raises(SpecError, match=message):
        EventSpec.from_dict({**TOY_SPEC, **change})
    with pytest.raises(SpecError, match="missing field 'trigger'"):
        EventSpec.from_dict({k: v for k, v in TOY_SPEC.items() if k != "trigger"})


def test_models_saved_before_specs_were_stored_read_as_the_call_spec(tmp_path):
    old = {"labels": {"tags": list(CALL_SPEC.tags), "statuses": list(CALL_SPEC.statuses)}}
    assert read_spec(old, tmp_path) is CALL_SPEC
    with pytest.raises(ValueError, match="names no event spec"):
        read_spec({"labels": {"tags": ["O"]}}, tmp_path)


def test_a_model_of_another_event_type_trains_saves_loads_and_predicts_its_own_labels(tmp_path):
    (tmp_path / "meeting.json").write_text(json.dumps(TOY_SPEC), encoding="utf-8")
    names = [("Nguyễn Văn An", "Trần Thị Bình"), ("Lê Minh", "Phạm Hùng"), ("Hoàng Nam", "Đỗ Lan")]
    docs = [_meeting(f"m{i}", a, b, ("held", "cancelled")[i % 2]) for i, (a, b) in enumerate(names)]
    save_documents(docs, tmp_path / "data" / "meetings.jsonl")
    cfg = build_config(
        {
            **TINY_CONFIG,
            "output_dir": str(tmp_path / "out"),
            "data": {"annotations": [str(tmp_path / "data")], "train_splits": ["train"], "dev_split": None},
            "model": {**TINY_CONFIG["model"], "event_spec": str(tmp_path / "meeting.json")},
        }
    )
    train(cfg)
    saved = json.loads((tmp_path / "out" / "checkpoint" / "config.json").read_text(encoding="utf-8"))
    assert saved["event_spec"] == TOY_SPEC

    model = DiploModel.from_pretrained(tmp_path / "out" / "checkpoint")
    assert model.spec == EventSpec.from_dict(TOY_SPEC)
    assert model.token_classifier.out_features == 5
    (pred,) = model.predict_detailed(docs[:1])
    assert {(s.label, s.text) for s in pred.spans} == {
        ("PERSON", "Nguyễn Văn An"),
        ("MEET", "đã gặp"),
        ("PERSON", "Trần Thị Bình"),
    }
    assert {r.type for r in pred.relations} == {"attendee"}
    assert [v.status for v in pred.call_status.values()] == ["held"]

    metrics = evaluate(model, docs)["all"]
    assert set(metrics["spans"]) >= {"PERSON", "MEET"}
    assert metrics["relations"]["attendee"]["f1"] == 1.0
    assert set(metrics["status_confusion"]) == {"held", "cancelled"}
    assert "events" not in metrics  # phone-call assembly is not run on meetings
