import json
from pathlib import Path

from diplo_ie.annotations.store import save_documents
from diplo_ie.cli.main import main


def test_validate_clean_and_dirty(tmp_path, gold_doc, capsys):
    good = tmp_path / "good.jsonl"
    save_documents([gold_doc], good)
    assert main(["annotations", "validate", str(good)]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    bad = tmp_path / "bad.jsonl"
    record = json.loads(good.read_text(encoding="utf-8"))
    record["spans"][0]["end"] = 10_000
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["annotations", "validate", str(bad)]) == 1
    assert "bad.jsonl:1: error:" in capsys.readouterr().out


def test_stats_prints_table(tmp_path, gold_doc, capsys):
    save_documents([gold_doc], tmp_path / "a.jsonl")
    assert main(["annotations", "stats", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| written/train | 1 | 1 |" in out and "| CALL | 3 |" in out and "| occurred | 1 |" in out


def test_missing_path_is_a_one_line_error(tmp_path, capsys):
    assert main(["annotations", "stats", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diplo-ie: error: no such file") and "Traceback" not in err


def test_compile_reports_the_failing_line(tmp_path, compact_record, capsys):
    compact_record["spans"].append(["z", "CALL", "không có"])
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps(compact_record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["annotations", "compile", str(src), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "c.jsonl:1: w-test-1:" in capsys.readouterr().err


def test_repository_annotations_validate():
    root = Path(__file__).resolve().parents[1] / "annotations"
    assert main(["annotations", "validate", str(root)]) == 0
