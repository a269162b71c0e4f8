"""Real-world input on the extraction API and CLI: other encodings of the same text, bad arguments, torn
output files, corrupt models, failing writes. Uses the tiny model of tests/tiny_model.py."""

from __future__ import annotations

import csv
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from test_canonical import VARIANTS
from tiny_model import RECORDS

import diplo_ie
import diplo_ie.pipeline as extractor_module
import diplo_ie.text.prepare as prepare_module
from diplo_ie.cli.main import main
from diplo_ie.core.schema import CallEvent

# The fitted article under a title line, so that line endings matter.
TEXT = "Tin thế giới\n" + RECORDS[0]["text"] + "\n"
NO_CALL = "Thủ tướng Đức Olaf Scholz thăm Hà Nội và gặp các doanh nghiệp Việt Nam tại đây."


def _summary(events: list[CallEvent]) -> list[tuple]:
    return [
        (
            [p.name for p in e.participants],
            e.date.value if e.date else None,
            e.duration.minutes if e.duration else None,
            e.status,
        )
        for e in events
    ]


def _assert_offsets_slice(text: str, events: list[CallEvent]) -> None:
    def same(start: int, end: int, expected: str) -> None:
        assert prepare_module.clean_text(text[start:end]).text.strip() == expected.strip()

    for e in events:
        same(e.trigger.start, e.trigger.end, prepare_module.clean_text(e.trigger.text).text)
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
        for value in (e.date, e.duration):
            if value is not None:
                assert text[value.start : value.end] == value.text
        for p in e.participants:
            for start, end in p.mentions:
                assert prepare_module.clean_text(text[start:end]).text.strip()
        assert e.evidence in text


def test_the_fitted_article_with_a_title_gives_its_event(extractor):
    assert _summary(extractor.extract(TEXT, published="2024-11-16")) == [
        (["Olaf Scholz", "Vladimir Putin"], "2024-11-15", 60, "occurred")
    ]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_encoding_of_the_article_gives_the_same_events(extractor, name):
    expected = _summary(extractor.extract(TEXT, published="2024-11-16"))
    text = VARIANTS[name](TEXT)
    events = extractor.extract(text, published="2024-11-16")
    assert _summary(events) == expected
    _assert_offsets_slice(text, events)


def test_html_no_break_spaces_are_spaces(extractor):
    html = TEXT.replace("Olaf Scholz", "Olaf&nbsp;Scholz").replace("một tiếng", "một&nbsp;tiếng")
    (event,) = extractor.extract(html, published="2024-11-16")
    assert event.participants[0].name == "Olaf Scholz" and event.duration.minutes == 60
    assert html[event.duration.start : event.duration.end] == "một&nbsp;tiếng"


def test_lone_surrogates_are_processed(extractor):
    text = TEXT.replace("tiếng.", "tiếng.\udcff")  # as left by surrogateescape decoding
    events = extractor.extract(text, published="2024-11-16")
    assert _summary(events) == _summary(extractor.extract(TEXT, published="2024-11-16"))
    _assert_offsets_slice(text, events)


@pytest.mark.parametrize(
    "published", ["9999-12-31", "0001-01-01", "2024-11-16garbage", "2024-11", "16/11/2024"]
)
def test_published_must_be_a_full_date_inside_the_calendar(extractor, published):
    with pytest.raises(diplo_ie.InputError, match="published must"):
        extractor.extract(TEXT, published=published)


def test_published_may_be_a_datetime(extractor):
    events = extractor.extract(TEXT, published="2024-11-16T08:30:00+07:00")
    assert _summary(events)[0][1] == "2024-11-15"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"texts": TEXT}, TypeError, "texts must be a list"),
        ({"texts": [TEXT], "batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"texts": [TEXT], "batch_size": -3}, ValueError, "batch_size must be at least 1"),
        ({"texts": [TEXT], "batch_size": 2.0}, TypeError, "batch_size must be an int"),
        ({"texts": [TEXT], "on_error": "ignore"}, ValueError, "on_error must be one of"),
        ({"texts": [TEXT, TEXT], "published": ["2024-11-16"]}, ValueError, "2 texts but 1 publication"),
        ({"texts": [TEXT], "names": ["a", "b"]}, ValueError, "1 texts but 2 names"),
    ],
)
def test_batch_arguments_are_checked(extractor, kwargs, error, message):
    with pytest.raises(error, match=message):
        extractor.extract_batch(**kwargs)


def test_batch_takes_any_iterable_and_names_its_texts(extractor):
    results = extractor.extract_batch(
        (t for t in [TEXT, ""]), published="2024-11-16", on_error="return", names=["first", "second"]
    )
    assert len(results[0]) == 1 and str(results[1]) == "second: empty text"
    with pytest.raises(ValueError, match="batch_size"):
        extractor_module.Extractor(extractor.model, batch_size=0)


def test_public_errors_and_short_reprs(extractor, model_dir):
    assert issubclass(diplo_ie.ModelNotFoundError, diplo_ie.ModelLoadError)
    assert issubclass(diplo_ie.InputError, ValueError)
    assert repr(extractor) == f"Extractor(model='{model_dir}', precision='float32', batch_size=16)"
    (event,) = extractor.extract(TEXT, published="2024-11-16")
    assert repr(event) == "CallEvent(Olaf Scholz — Vladimir Putin, 2024-11-15, occurred)"
    assert CallEvent.from_dict(event.to_dict()) == event and "evidence" in event.to_dict()


@pytest.fixture
def broken_model(model_dir, tmp_path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    return copy


def test_truncated_weights_are_a_load_error_naming_the_file(broken_model, capsys):
    weights = broken_model / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    with pytest.raises(diplo_ie.ModelLoadError, match=r"model\.safetensors: not a readable safetensors file"):
        diplo_ie.load(broken_model)
    article = _write(broken_model.parent / "a.txt", TEXT)
    assert main(["extract", str(article), "--model", str(broken_model)]) == 2
    err = capsys.readouterr().err
    assert "model.safetensors" in err and len(err.strip().splitlines()) == 1


def test_corrupt_config_is_a_load_error(broken_model):
    (broken_model / "config.json").write_text('{"labels": 1}', encoding="utf-8")
    with pytest.raises(diplo_ie.ModelLoadError, match="cannot load the model"):
        diplo_ie.load(broken_model)


def test_long_inputs_go_to_the_model_in_bounded_groups(extractor, monkeypatch):
    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", len(TEXT) + 1)
    monkeypatch.setattr(extractor_module, "GROUP_CHARS", 3 * len(TEXT))
    sizes = []
    run = extractor_module.Extractor._run

    def spy(self, prepared, batch_size, results):
        sizes.append(sum(end - start for p in prepared.values() for start, end in p.chunks))
        run(self, prepared, batch_size, results)

    monkeypatch.setattr(extractor_module.Extractor, "_run", spy)
    events = extractor.extract("\n".join([TEXT] * 7), published="2024-11-16")
    assert len(events) == 7 and len(sizes) >= 3 and max(sizes) <= 3 * len(TEXT)


def test_long_inputs_show_progress_in_pieces(extractor, monkeypatch, capsys):
    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", len(TEXT) + 1)
    extractor.extract("\n".join([TEXT] * 3), published="2024-11-16", progress=True)
    assert "/3 [" in capsys.readouterr().err  # pieces done / total
    extractor.extract("\n".join([TEXT] * 3), published="2024-11-16")  # not a terminal: no bar
    assert capsys.readouterr().err == ""


def test_sentences_are_split_once_per_text(extractor, monkeypatch):
    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", len(TEXT) + 1)
    calls = []
    split = prepare_module.split_sentences
    monkeypatch.setattr(prepare_module, "split_sentences", lambda text: calls.append(1) or split(text))
    assert len(extractor.extract("\n".join([TEXT] * 4), published="2024-11-16")) == 4
    assert len(calls) == 1


# -- command line --------------------------------------------------------------------------------------------


@pytest.fixture
def no_model_load(monkeypatch):
    """Fails the test if the model is loaded: checks must come first."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr(extractor_module, "load", refuse)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_options_and_files_are_reported_before_loading(model_dir, tmp_path, capsys, no_model_load):
    article = _write(tmp_path / "a.txt", TEXT)
    base = ["extract", "--model", str(model_dir)]
    assert main([*base, str(article), "--published", "2024-13-01"]) == 2
    assert main([*base, str(tmp_path / "missing.txt")]) == 1
    assert main([*base, str(tmp_path)]) == 1
    assert main([*base, str(article), "--html", str(tmp_path / "nodir" / "v.html")]) == 2
    assert main([*base, str(article), "--html", str(article / "v.html")]) == 2
    assert main([*base, str(article), "--output", str(tmp_path)]) == 2
    assert main([*base, "--input", str(tmp_path / "missing.jsonl")]) == 2
    assert main(["extract", str(article), "--model", str(tmp_path / "nomodel")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "diplo-ie: error: --published: published must be a date like 2024-11-16, got '2024-13-01'",
        f"diplo-ie: error: {tmp_path / 'missing.txt'}: no such file",
        f"diplo-ie: error: {tmp_path}: is a directory",
        f"diplo-ie: error: --html {tmp_path / 'nodir' / 'v.html'}: no such directory {tmp_path / 'nodir'}",
        f"diplo-ie: error: --html {article / 'v.html'}: no such directory {article}",
        f"diplo-ie: error: --output {tmp_path}: is a directory",
        f"diplo-ie: error: --input {tmp_path / 'missing.jsonl'}: no such file",
        f"diplo-ie: error: a saved model at {tmp_path / 'nomodel'} was not found "
        f"({tmp_path / 'nomodel'} has no config.json/model.safetensors)",
    ]


def test_file_errors_name_the_file(model_dir, tmp_path, capsys):
    english = _write(tmp_path / "english.txt", "The president called the chancellor on Friday for an hour.")
    assert main(["extract", str(english), "--model", str(model_dir)]) == 1
    assert f"diplo-ie: error: {english}: the text does not look like Vietnamese" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("batch", [False, True])
def test_a_full_disk_is_one_line(model_dir, tmp_path, capsys, batch):
    if batch:
        source = _write(tmp_path / "in.jsonl", json.dumps({"id": "a", "text": TEXT}) + "\n")
        args = ["extract", "--input", str(source)]
    else:
        args = ["extract", str(_write(tmp_path / "a.txt", TEXT))]
    assert main([*args, "--model", str(model_dir), "--output", "/dev/full"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "diplo-ie: error: /dev/full: cannot write (No space left on device)"
    )


def test_an_unwritable_html_view_is_one_line_after_the_events(model_dir, tmp_path, capsys, monkeypatch):
    article = _write(tmp_path / "a.txt", TEXT)

    def fail(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", fail)
    assert main(["extract", str(article), "--model", str(model_dir), "--html", str(tmp_path / "v.html")]) == 2
    captured = capsys.readouterr()
    assert "Olaf Scholz" in captured.out  # the events were written before the view failed
    assert (
        captured.err.strip()
        == f"diplo-ie: error: --html {tmp_path / 'v.html'}: cannot write (Permission denied)"
    )


def test_html_view_of_html_input_shows_the_clean_text(model_dir, tmp_path):
    page = TEXT.replace("Tin thế giới\n", "<b>Tin thế giới</b><br>").replace(
        "Olaf Scholz", "Olaf&nbsp;Scholz"
    )
    page = _write(tmp_path / "a.html", page)
    view = tmp_path / "v.html"
    assert (
        main(
            [
                "extract",
                str(page),
                "--model",
                str(model_dir),
                "--published",
                "2024-11-16",
                "--html",
                str(view),
            ]
        )
        == 0
    )
    html = view.read_text(encoding="utf-8")
    assert "&lt;p&gt;" not in html and "&amp;nbsp;" not in html
    assert "published 2024-11-16 (given)" in html
    assert 'title="PARTICIPANT (event 1)">Olaf Scholz<sup>P1</sup>' in html
    assert 'title="DURATION (event 1)">một tiếng<sup>L1</sup>' in html


def _batch(model_dir, source: Path, out: Path, *extra: str) -> list[str]:
    return ["extract", "--input", str(source), "--output", str(out), "--model", str(model_dir), *extra]


def test_published_option_is_the_default_for_batch_lines(model_dir, tmp_path):
    source = _write(
        tmp_path / "in.jsonl",
        json.dumps({"id": "own", "text": TEXT, "published": "2024-11-16"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "default", "text": TEXT}, ensure_ascii=False)
        + "\n",
    )
    out = tmp_path / "out.jsonl"
    assert main(_batch(model_dir, source, out, "--published", "2023-11-20")) == 0
    dates = {
        r["id"]: r["events"][0]["date"]["value"]
        for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())
    }
    assert dates == {"own": "2024-11-15", "default": "2023-11-15"}


def test_batch_error_messages(model_dir, tmp_path, capsys):
    source = _write(
        tmp_path / "in.jsonl", '{"id": "a", "text": }\n' + json.dumps({"id": "b", "text": ""}) + "\n"
    )
    assert main(_batch(model_dir, source, tmp_path / "out.jsonl")) == 1
    err = capsys.readouterr().err
    assert f"{source}:1: malformed JSON (Expecting value: line 1 column 21 (char 20))" in err
    assert "diplo-ie: error: article b: empty text" in err


def test_batch_with_lone_surrogates_writes_valid_output(model_dir, tmp_path):
    record = json.dumps({"id": "s", "text": TEXT.replace("Nga", "Nga \udcff"), "published": "2024-11-16"})
    source = _write(tmp_path / "in.jsonl", record + "\n")
    out = tmp_path / "out.jsonl"
    assert main(_batch(model_dir, source, out)) == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert "\\udcff" in line and json.loads(line)["events"]


def _lines(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


ARTICLES = [
    {"id": "a", "text": TEXT, "published": "2024-11-16"},
    {"id": "quiet", "text": NO_CALL},
    {"id": "c", "text": TEXT, "published": "2024-11-16"},
]


def test_jsonl_resume_cuts_a_torn_last_line(model_dir, tmp_path, capsys):
    source = _write(tmp_path / "in.jsonl", _lines(*ARTICLES))
    out = tmp_path / "out.jsonl"
    assert main(_batch(model_dir, source, out)) == 0
    whole = out.read_bytes()
    out.write_bytes(whole[: whole.rindex(b'"id": "c"') + 20])  # killed while writing article c
    assert main(_batch(model_dir, source, out)) == 0
    assert out.read_bytes() == whole
    assert "1 article(s) processed, 0 error(s), 2 skipped (already in" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "plover"])
def test_row_formats_resume_without_redoing_articles_without_rows(model_dir, tmp_path, capsys, fmt):
    source = _write(tmp_path / "in.jsonl", _lines(*ARTICLES))
    out = tmp_path / f"out.{fmt}"
    assert main(_batch(model_dir, source, out, "--format", fmt)) == 0
    whole = out.read_bytes()
    capsys.readouterr()
    assert main(_batch(model_dir, source, out, "--format", fmt)) == 0
    assert out.read_bytes() == whole
    assert "0 article(s) processed, 0 error(s), 3 skipped" in capsys.readouterr().err
    # Killed in the middle of article c's rows, before its progress line was written.
    out.write_bytes(whole[:-7])
    done = out.with_name(out.name + ".done")
    done.write_bytes(b"".join(done.read_bytes().splitlines(keepends=True)[:2]))
    assert main(_batch(model_dir, source, out, "--format", fmt)) == 0
    assert out.read_bytes() == whole
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
        assert [r["article_id"] for r in rows] == ["a", "c"]


def test_row_output_without_its_progress_record_is_not_appended_to(model_dir, tmp_path, capsys):
    source = _write(tmp_path / "in.jsonl", _lines(*ARTICLES))
    out = _write(tmp_path / "out.csv", "someone else's file\n")
    assert main(_batch(model_dir, source, out, "--format", "csv")) == 2
    assert "has no record of the articles done" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "someone else's file\n"


def test_decomposed_batch_text_is_vietnamese(model_dir, tmp_path):
    nfd = unicodedata.normalize("NFD", TEXT)
    source = _write(tmp_path / "in.jsonl", _lines({"id": "d", "text": nfd, "published": "2024-11-16"}))
    out = tmp_path / "out.jsonl"
    assert main(_batch(model_dir, source, out)) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["events"][0]["duration"]["minutes"] == 60
