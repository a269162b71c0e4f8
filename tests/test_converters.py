import json

from diplo_ie.annotations import brat, labelstudio
from diplo_ie.cli.main import main


def test_labelstudio_round_trip_is_exact(gold_doc):
    tasks = json.loads(json.dumps(labelstudio.to_labelstudio([gold_doc]), ensure_ascii=False))
    assert labelstudio.from_labelstudio(tasks) == [gold_doc]
    assert '<Label value="CALL"/>' in labelstudio.labelling_config()


def test_brat_round_trip_is_exact(tmp_path, gold_doc):
    brat.write_brat([gold_doc], tmp_path)
    ann = (tmp_path / f"{gold_doc.id}.ann").read_text(encoding="utf-8")
    assert "\tCALL " in ann and "\tStatus E1 occurred" in ann and "\tparticipant Arg1:" in ann
    assert (tmp_path / "annotation.conf").exists()
    assert brat.read_brat(tmp_path) == [gold_doc]


def test_cli_convert_chain_returns_the_same_jsonl(tmp_path, gold_doc):
    from diplo_ie.annotations.store import save_documents

    src = tmp_path / "gold.jsonl"
    save_documents([gold_doc], src)
    assert main(["annotations", "convert", str(src), str(tmp_path / "ls.json"), "--to", "labelstudio"]) == 0
    args = [
        "annotations",
        "convert",
        str(tmp_path / "ls.json"),
        str(tmp_path / "brat"),
        "--from",
        "labelstudio",
    ]
    assert main([*args, "--to", "brat"]) == 0
    back = tmp_path / "back.jsonl"
    assert (
        main(["annotations", "convert", str(tmp_path / "brat"), str(back), "--from", "brat", "--to", "jsonl"])
        == 0
    )
    assert back.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
