import csv
import io

import pytest

from diplo_ie.core.schema import CallEvent, Participant
from diplo_ie.output.formats import csv_rows, csv_writer, plover_records, render_table
from diplo_ie.output.html import Article, render_html
from diplo_ie.text.inputs import InputError, check_text, decode_bytes, vietnamese_ratio


@pytest.fixture
def event(gold_doc) -> CallEvent:
    return gold_doc.events[0]


def test_table_lists_people_date_and_duration(event):
    table = render_table("a1", [event])
    assert "Olaf Scholz (Thủ tướng, Đức) — Vladimir Putin (Tổng thống, Nga)" in table
    assert "2024-11-15" in table and "60 min" in table
    assert render_table("a2", []) == "a2: no call events"


def test_csv_round_trips_through_the_csv_module(event):
    buffer = io.StringIO()
    csv_writer(buffer).writerows(csv_rows("a1", [event]))
    (row,) = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert (
        row["date_value"] == "2024-11-15" and row["duration_minutes"] == "60" and row["status"] == "occurred"
    )


def test_plover_has_one_record_per_pair(event):
    three_way = CallEvent(
        participants=[Participant("A"), Participant("B"), Participant(None, "Thủ tướng", "Iraq")],
        status="occurred",
    )
    rows = plover_records("a1", [event, three_way])
    assert len(rows) == 1 + 3
    assert (
        rows[0]["cameo_code"] == "041"
        and rows[0]["event_type"] == "CONSULT"
        and rows[0]["mode"] == "telephone"
    )
    assert rows[0]["source_actor"] == "Olaf Scholz" and rows[0]["target_country"] == "Nga"
    assert rows[-1]["target_actor"] == "(unnamed) (Thủ tướng, Iraq)"


def test_html_highlights_mentions_and_escapes(gold_doc):
    html = render_html([Article("<a1>", gold_doc.text, gold_doc.events)])
    assert "&lt;a1&gt;" in html and html.count("<mark") >= 4 + len(gold_doc.events[0].call_mentions)
    assert 'title="DURATION (event 1)">một tiếng<sup>L1</sup>' in html
    assert 'title="DATE (event 1)">Chiều 15/11<sup>D1</sup>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty text"),
        ("   \n ", "empty text"),
        (
            "The US president spoke with the Russian president by phone for an hour on Friday.",
            "not look like Vietnamese",
        ),
        (None, "must be a string"),
    ],
)
def test_bad_text_is_refused_with_a_message(text, message):
    with pytest.raises(InputError, match=message):
        check_text(text, "doc")


def test_vietnamese_passes(gold_doc):
    assert check_text(gold_doc.text, "doc") == gold_doc.text
    assert vietnamese_ratio(gold_doc.text) > 0.2


def test_non_utf8_bytes_are_named():
    with pytest.raises(InputError, match="not UTF-8"):
        decode_bytes("điện đàm".encode("cp1258", errors="replace") + b"\xff\xfe", "x.txt")
