"""One test per validator error: each corrupts a valid record in one way and expects one message."""

import json

import pytest

from diplo_ie.annotations.store import document_to_record, standoff_for
from diplo_ie.annotations.validate import validate_paths


def _write(tmp_path, *records, raw_lines=()):
    path = tmp_path / "ann.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _errors(path):
    return [str(p) for p in validate_paths([path]) if p.severity == "error"]


@pytest.fixture
def record(gold_doc):
    return document_to_record(gold_doc)


def test_valid_record_is_clean(tmp_path, record):
    assert _errors(_write(tmp_path, record)) == []


def _span(record, label):
    return next(s for s in record["spans"] if s["label"] == label)


CORRUPTIONS = {
    "offsets out of range": lambda r: _span(r, "DATE").update(end=10_000),
    "span text": lambda r: _span(r, "DATE").update(text="Sáng 15/11"),
    "unknown label 'PLACE'": lambda r: _span(r, "DATE").update(label="PLACE"),
    "points to missing span": lambda r: r["relations"][0].update(tail="T99"),
    "does not link": lambda r: r["relations"].append(
        {"type": "time", "head": "T1", "tail": "T1", "id": "R99"}
    ),
    "duplicate span id": lambda r: _span(r, "DATE").update(id=_span(r, "CALL")["id"]),
    "duplicate relation id": lambda r: r["relations"][1].update(id=r["relations"][0]["id"]),
    "duplicate relation same_call": lambda r: r["relations"].append({**r["relations"][0], "id": "R99"}),
    "overlapping spans": lambda r: r["spans"].append(
        {"label": "TITLE", "start": 5, "end": 12, "text": r["text"][5:12], "id": "T99"}
    ),
    "duplicate span:": lambda r: r["spans"].append({**_span(r, "DATE"), "id": "T99"}),
    "unknown status": lambda r: r["events"][0].update(status="rumoured"),
    "is not a DATE span": lambda r: r["events"][0]["date"].update(start=0, end=3),
    "is not a CALL span": lambda r: r["events"][0]["call_mentions"].append([0, 3]),
    "belongs to no event": lambda r: r["events"][0]["call_mentions"].pop(0),
    "at least two participants": lambda r: r["events"][0]["participants"].pop(),
    "unknown source": lambda r: r.update(source="twitter"),
    "exactly one of 'text' and 'standoff'": lambda r: r.pop("text"),
}


@pytest.mark.parametrize("message", list(CORRUPTIONS))
def test_each_corruption_is_reported(tmp_path, record, message):
    CORRUPTIONS[message](record)
    errors = _errors(_write(tmp_path, record))
    assert any(message in e for e in errors), errors
    assert all(e.startswith(f"{tmp_path / 'ann.jsonl'}:1:") for e in errors)


def test_duplicate_document_ids(tmp_path, record):
    errors = _errors(_write(tmp_path, record, record))
    assert len(errors) == 1 and "ann.jsonl:2:" in errors[0] and "duplicate document id" in errors[0]


def test_invalid_json_line_is_named(tmp_path, record):
    errors = _errors(_write(tmp_path, record, raw_lines=["{not json"]))
    assert any(":2: not valid JSON" in e for e in errors)


def test_standoff_hash_mismatch(tmp_path, corpus_dir, gold_doc):
    gold_doc.meta["standoff"] = standoff_for("baomoi-2017", "111", gold_doc.text + "x")
    errors = _errors(_write(tmp_path, document_to_record(gold_doc)))
    assert any("sha256 does not match" in e for e in errors)


def test_blind_article_is_refused(tmp_path, corpus_dir, gold_doc):
    gold_doc.id = "baomoi-999"
    errors = _errors(_write(tmp_path, document_to_record(gold_doc)))
    assert any("blind test set" in e for e in errors)
