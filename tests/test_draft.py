"""Pre-annotation drafts: a model's output written in the compact form compiles back to that output."""

import pytest

from diplo_ie.annotations.compact import compile_compact
from diplo_ie.annotations.corpus import fixed_split
from diplo_ie.annotations.draft import draft_records
from diplo_ie.core.analysis import Analysis


class _GoldModel:
    """Predicts the gold spans and relations of the one fixture article, as a model would."""

    def __init__(self, gold):
        self.gold = gold

    def analyze(self, docs):
        return [Analysis.from_gold(self.gold) for _ in docs]


def test_a_draft_of_gold_predictions_compiles_back_to_the_gold_spans_and_events(corpus_dir, gold_doc):
    (record,) = draft_records(_GoldModel(gold_doc), "baomoi-2017", ["111"])
    assert record["standoff"] == {"corpus": "baomoi-2017", "article_id": "111"}
    assert record["split"] == fixed_split("baomoi-2017", "111")
    doc = compile_compact(record)
    assert [(s.label, s.start, s.end) for s in doc.spans] == [
        (s.label, s.start, s.end) for s in gold_doc.spans
    ]
    assert [e.status for e in doc.events] == [e.status for e in gold_doc.events]
    assert [sorted(p.name for p in e.participants) for e in doc.events] == [
        sorted(p.name for p in e.participants) for e in gold_doc.events
    ]


def test_a_draft_names_missing_articles(corpus_dir, gold_doc):
    with pytest.raises(KeyError, match="404"):
        draft_records(_GoldModel(gold_doc), "baomoi-2017", ["111", "404"])


def test_the_dev_split_is_fixed_by_rule_per_corpus():
    ids = [str(i) for i in range(2000)]
    share = {
        c: sum(fixed_split(c, i) == "dev" for i in ids) / len(ids) for c in ("baomoi-2017", "vnds-2016-2019")
    }
    assert 0.2 < share["baomoi-2017"] < 0.3 < share["vnds-2016-2019"] < 0.36
