import json

import pytest

from diplo_ie.annotations.corpus import CorpusUnavailableError
from diplo_ie.annotations.store import document_to_record, load_documents, save_documents, standoff_for


def test_inline_round_trip(tmp_path, gold_doc):
    path = tmp_path / "a.jsonl"
    save_documents([gold_doc], path)
    docs, warnings = load_documents([tmp_path])
    assert docs == [gold_doc] and warnings == []


def test_standoff_round_trip_keeps_corpus_text_out(tmp_path, corpus_dir, gold_doc):
    gold_doc.meta["standoff"] = standoff_for("baomoi-2017", "111", gold_doc.text)
    record = document_to_record(gold_doc)
    assert "text" not in record and all(e["evidence"] is None for e in record["events"])
    path = tmp_path / "s.jsonl"
    save_documents([gold_doc], path)
    assert "kéo dài một tiếng" not in path.read_text(encoding="utf-8")
    (loaded,), _ = load_documents([path])
    assert loaded.text == gold_doc.text and loaded.spans == gold_doc.spans
    assert loaded.meta["standoff"]["sha256"] == gold_doc.meta["standoff"]["sha256"]


def test_missing_corpus_is_a_clear_error_or_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLO_IE_CORPUS_DIR", str(tmp_path / "absent"))
    path = tmp_path / "s.jsonl"
    record = {
        "id": "baomoi-1",
        "standoff": {"corpus": "baomoi-2017", "article_id": "1", "sha256": "0"},
        "spans": [],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(CorpusUnavailableError, match="DIPLO_IE_CORPUS_DIR"):
        load_documents([path])
    docs, warnings = load_documents([path], skip_unavailable=True)
    assert docs == [] and "baomoi-2017" in warnings[0]
