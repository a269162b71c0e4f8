"""The extraction API and CLI on a tiny model overfitted to tests/tiny_model.py (built once per session)."""

import itertools
import json

import pytest
from tiny_model import RECORDS

import diplo_ie
import diplo_ie.pipeline as extractor_module
from diplo_ie.cli.main import main
from diplo_ie.pipeline import CHUNK_CHARS, ModelNotFoundError, _chunks
from diplo_ie.text.inputs import InputError

TEXT = RECORDS[0]["text"]


def _summary(event):
    return (
        [p.name for p in event.participants],
        event.date.value if event.date else None,
        event.duration.minutes if event.duration else None,
        event.status,
    )


def test_extracts_the_fitted_event_with_offsets_into_the_input(extractor):
    (event,) = extractor.extract(TEXT, published="2024-11-16")
    assert _summary(event) == (["Olaf Scholz", "Vladimir Putin"], "2024-11-15", 60, "occurred")
    assert event.participants[0].title == "Thủ tướng" and event.participants[1].country == "Nga"
    assert TEXT[event.trigger.start : event.trigger.end] == event.trigger.text == "điện đàm"
    assert event.duration.iso == "PT1H" and TEXT[event.date.start : event.date.end] == "Chiều ngày 15/11"
    assert event.evidence in TEXT and 0 < event.confidence <= 1


def test_html_input_is_stripped_and_offsets_point_into_the_html(extractor):
    html = f"<html><body><p>{TEXT.replace('Cuộc', '</p><p>Cuộc')}</p></body></html>"
    (event,) = extractor.extract(html, published="2024-11-16")
    assert _summary(event)[0] == ["Olaf Scholz", "Vladimir Putin"]
    for start, end in event.participants[0].mentions:
        assert html[start:end] in ("Thủ tướng Đức", "Olaf Scholz")


def test_markup_heavy_html_is_not_mistaken_for_another_language(extractor):
    wrapper = '<div class="article-content-wrapper" data-tracking-category="international-news-section">'
    html = wrapper * 30 + f"<p>{TEXT}</p>" + "</div>" * 30
    (event,) = extractor.extract(html, published="2024-11-16")
    assert html[event.trigger.start : event.trigger.end] == "điện đàm"


def test_long_input_is_cut_at_sentences_into_bounded_pieces():
    text = "Câu thứ nhất nói về kinh tế. " * 2000
    pieces = _chunks(text)
    assert len(pieces) > 2 and pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= CHUNK_CHARS for a, b in pieces) and all(text[a] == "C" for a, _ in pieces)
    assert all(p[1] == q[0] for p, q in itertools.pairwise(pieces))


def test_offsets_of_later_pieces_point_into_the_input(extractor, monkeypatch):
    # Two copies of the fitted article, cut into one piece each: the second event must be the first one shifted.
    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", len(TEXT) + 1)
    text = TEXT + "\n" + TEXT
    first, second = extractor.extract(text, published="2024-11-16")
    shift = len(TEXT) + 1
    assert _summary(first) == _summary(second)
    assert second.trigger.start == first.trigger.start + shift and second.call_mentions == [
        (s + shift, e + shift) for s, e in first.call_mentions
    ]
    assert text[second.date.start : second.date.end] == "Chiều ngày 15/11"


def test_batch_reports_bad_items_in_place(extractor):
    results = extractor.extract_batch(
        [TEXT, "", "The president called the chancellor on Friday for an hour."],
        published="2024-11-16",
        on_error="return",
    )
    assert len(results[0]) == 1 and isinstance(results[1], InputError) and isinstance(results[2], InputError)
    with pytest.raises(InputError, match="empty text"):
        extractor.extract_batch([""])


def test_bad_published_date_is_a_clear_error(extractor):
    with pytest.raises(InputError, match="published must be a date"):
        extractor.extract(TEXT, published="15/11")


def test_cli_extracts_in_bfloat16_and_rejects_unknown_precisions(model_dir, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    args = [
        "extract",
        str(article),
        "--model",
        str(model_dir),
        "--published",
        "2024-11-16",
        "--format",
        "json",
    ]
    assert main([*args, "--precision", "bfloat16"]) == 0
    (event,) = json.loads(capsys.readouterr().out)["events"]
    assert [p["name"] for p in event["participants"]] == ["Olaf Scholz", "Vladimir Putin"]
    with pytest.raises(ValueError, match="precision must be one of"):
        diplo_ie.load(model_dir, precision="int8")


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match=r"no config\.json"):
        diplo_ie.load(tmp_path)


def test_cli_table_for_a_file(model_dir, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    html = tmp_path / "view.html"
    args = ["extract", str(article), "--model", str(model_dir), "--published", "2024-11-16"]
    assert main([*args, "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "Olaf Scholz (Thủ tướng, Đức) — Vladimir Putin (Tổng thống, Nga)" in out and "60 min" in out
    assert "<mark" in html.read_text(encoding="utf-8")


def test_cli_file_errors_are_one_line(model_dir, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00 kh\xf4ng")
    assert main(["extract", str(bad), str(tmp_path / "missing.txt"), "--model", str(model_dir)]) == 1
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "missing.txt: no such file" in err and "Traceback" not in err
    assert main(["extract", "x.txt", "--model", str(tmp_path / "nomodel")]) == 2
    assert "was not found" in capsys.readouterr().err


def test_cli_batch_is_resumable_and_survives_bad_lines(model_dir, tmp_path, capsys):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps(
            {"id": "a", "text": TEXT, "published": "2024-11-16", "url": "ignored"}, ensure_ascii=False
        ),
        "{broken json",
        json.dumps({"id": "b", "text": ""}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["extract", "--input", str(src), "--output", str(out), "--model", str(model_dir)]
    assert main(args) == 1  # two bad lines, reported; the good one is written
    err = capsys.readouterr().err
    assert "in.jsonl:2: malformed JSON" in err and "article b: " in err
    (record,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "a" and record["events"][0]["date"]["value"] == "2024-11-15"
    with src.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "c", "text": TEXT, "published": "2024-11-16"}, ensure_ascii=False) + "\n")
    main(args)
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "c"]


@pytest.mark.parametrize("fmt", ["csv", "plover"])
def test_cli_batch_other_formats(model_dir, tmp_path, fmt):
    src, out = tmp_path / "in.jsonl", tmp_path / f"out.{fmt}"
    src.write_text(
        json.dumps({"id": "a", "text": TEXT, "published": "2024-11-16"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    args = ["extract", "--input", str(src), "--output", str(out), "--model", str(model_dir), "--format", fmt]
    assert main(args) == 0
    body = out.read_text(encoding="utf-8")
    assert ("041" in body) if fmt == "plover" else body.startswith("article_id,")
    assert main(args) == 0 and out.read_text(encoding="utf-8") == body  # rerun: nothing new to do
