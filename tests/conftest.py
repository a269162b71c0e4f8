from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from tiny_model import RECORDS, TINY_CONFIG

from diplo_ie.annotations import save_documents
from diplo_ie.annotations.compact import compile_compact
from diplo_ie.core.schema import Document
from diplo_ie.training import build_config, train

TEXT = (
    "Nga, Đức điện đàm\n"
    "Chiều 15/11, Thủ tướng Đức Olaf Scholz và Tổng thống Nga Vladimir Putin đã có cuộc điện đàm. "
    "Cuộc điện đàm kéo dài một tiếng. Ông Putin nói chuyện thẳng thắn."
)

COMPACT = {
    "id": "w-test-1",
    "source": "written",
    "split": "train",
    "published": "2024-11-16",
    "text": TEXT,
    "spans": [
        ["c0", "CALL", "điện đàm"],
        ["c1", "CALL", "cuộc điện đàm"],
        ["c2", "CALL", "Cuộc điện đàm"],
        ["d1", "DATE", "Chiều 15/11"],
        ["t1", "TITLE", "Thủ tướng Đức"],
        ["l1", "LEADER", "Olaf Scholz"],
        ["t2", "TITLE", "Tổng thống Nga"],
        ["l2", "LEADER", "Vladimir Putin"],
        ["u1", "DURATION", "một tiếng"],
        ["LEADER", "Putin", "*"],
    ],
    "events": [
        {
            "status": "occurred",
            "calls": ["c0", "c1", "c2"],
            "participants": [
                {"name": "Olaf Scholz", "title": "Thủ tướng", "country": "Đức", "spans": ["t1", "l1"]},
                {
                    "name": "Vladimir Putin",
                    "title": "Tổng thống",
                    "country": "Nga",
                    "spans": ["t2", "l2", "text:Putin"],
                },
            ],
            "date": {"value": "2024-11-15", "span": "d1"},
            "duration": {"minutes": 60, "span": "u1"},
        }
    ],
}


@pytest.fixture
def compact_record() -> dict:
    return json.loads(json.dumps(COMPACT))


@pytest.fixture
def gold_doc(compact_record) -> Document:
    return compile_compact(compact_record)


@pytest.fixture
def corpus_dir(tmp_path: Path, monkeypatch) -> Path:
    """A miniature corpus directory with one article and a blind set of one article."""
    directory = tmp_path / "corpus"
    directory.mkdir()
    with gzip.open(directory / "baomoi-2017.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"id": "111", "title": "t", "lead": "l", "text": TEXT}, ensure_ascii=False) + "\n"
        )
    (directory / "blind-2017.jsonl").write_text(
        json.dumps({"id": "999", "title": "t", "lead": "l", "text": "bí mật"}) + "\n", encoding="utf-8"
    )
    monkeypatch.setenv("DIPLO_IE_CORPUS_DIR", str(directory))
    return directory


@pytest.fixture(scope="session")
def tiny_gold() -> list[Document]:
    return [compile_compact(r) for r in RECORDS]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_gold):
    root = tmp_path_factory.mktemp("run")
    save_documents(tiny_gold, root / "data" / "gold.jsonl")
    cfg = build_config(
        {
            **TINY_CONFIG,
            "output_dir": str(root / "out"),
            "data": {**TINY_CONFIG["data"], "annotations": [str(root / "data")]},
        }
    )
    train(cfg)
    # The last epoch's model (the checkpoint) is the fully fitted one; "best" follows the dev split only.
    return root / "out"


@pytest.fixture(scope="module")
def model_dir(tiny_model_dir):
    """The tiny model fitted on the fixture articles (its last epoch)."""
    return tiny_model_dir / "checkpoint"


@pytest.fixture(scope="module")
def extractor(model_dir):
    import diplo_ie

    return diplo_ie.load(model_dir)
