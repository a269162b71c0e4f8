import pytest

from diplo_ie.annotations.compact import CompactError, compile_compact, occurrences
from diplo_ie.annotations.validate import check_document


def test_compile_places_spans_and_events(gold_doc):
    texts = [(s.label, s.text) for s in gold_doc.spans]
    assert ("LEADER", "Putin") in texts  # the "*" entry found the bare surname
    assert texts.count(("LEADER", "Vladimir Putin")) == 1  # and did not double-tag inside the full name
    assert [s.id for s in gold_doc.spans] == [f"T{i}" for i in range(1, len(gold_doc.spans) + 1)]
    event = gold_doc.events[0]
    assert event.duration.iso == "PT1H" and event.date.granularity == "day"
    assert gold_doc.text[event.date.start : event.date.end] == "Chiều 15/11"
    assert check_document(gold_doc) == []


def test_derived_relations(gold_doc):
    by_id = gold_doc.span_by_id()
    rels = {(r.type, by_id[r.head].text, by_id[r.tail].text) for r in gold_doc.relations}
    assert ("title_of", "Thủ tướng Đức", "Olaf Scholz") in rels
    assert ("participant", "cuộc điện đàm", "Vladimir Putin") in rels
    assert ("time", "cuộc điện đàm", "Chiều 15/11") in rels
    assert ("duration", "Cuộc điện đàm", "một tiếng") in rels
    assert ("same_call", "điện đàm", "cuộc điện đàm") in rels
    # the headline mention is in no sentence with a participant, so it gets no participant link
    assert not any(t == "participant" and h == "điện đàm" for t, h, _ in rels)


def test_a_title_set_off_after_a_name_with_a_possessive_is_that_names():
    from diplo_ie.annotations.derive import derive_relations
    from diplo_ie.core.schema import Document, Span

    text = "Ông Yuri Ushakov - Trợ lý của Tổng thống Nga Vladimir Putin. Tổng thống Nga Vladimir Putin."
    pieces, spans, at = (
        ["Yuri Ushakov", "Trợ lý của Tổng thống Nga", "Vladimir Putin", "Tổng thống Nga"],
        [],
        0,
    )
    for n, (label, piece) in enumerate(zip(["LEADER", "TITLE", "LEADER", "TITLE"], pieces, strict=True)):
        at = text.index(piece, at)
        spans.append(Span(label, at, at + len(piece), piece, f"T{n}"))
    spans.append(Span("LEADER", text.rindex("Vladimir Putin"), len(text) - 1, "Vladimir Putin", "T4"))
    relations = derive_relations(Document(id="d", text=text, spans=spans))
    assert [(r.head, r.tail) for r in relations] == [("T1", "T0"), ("T3", "T4")]


def test_occurrences_respect_word_boundaries():
    assert occurrences("Putina Putin", "Putin") == [7]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (["x", "CALL", "không có"], "not found"),
        (["x", "PLACE", "Nga"], "unknown label"),
        (["x", "LEADER", "Putin", 5], "occurrence 5"),
    ],
)
def test_compile_errors(compact_record, entry, message):
    compact_record["spans"].append(entry)
    with pytest.raises(CompactError, match=message):
        compile_compact(compact_record)


def test_compile_rejects_overlap_and_unknown_key(compact_record):
    bad = dict(compact_record, spans=[*compact_record["spans"], ["y", "TITLE", "Thủ tướng"]])
    with pytest.raises(CompactError, match="overlaps"):
        compile_compact(bad)
    compact_record["events"][0]["calls"].append("nope")
    with pytest.raises(CompactError, match="unknown span key"):
        compile_compact(compact_record)


def test_an_every_occurrence_entry_that_matches_nothing_is_an_error(compact_record):
    import unicodedata

    import pytest

    from diplo_ie.annotations.compact import CompactError, compile_compact

    compact_record["spans"].append(["TITLE", unicodedata.normalize("NFD", "Thủ tướng Đức"), "*"])
    with pytest.raises(CompactError, match="no occurrence"):
        compile_compact(compact_record)
