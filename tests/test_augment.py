"""Mention replacement for training: the copy must stay a consistent annotated article."""

import random

from diplo_ie.modeling.features import gold_mention_status
from diplo_ie.training.augment import MentionPools, replace_mentions


def test_replaced_mentions_keep_offsets_relations_and_statuses(tiny_gold):
    pools = MentionPools(
        {"LEADER": ["Kishida Fumio", "Lula"], "DATE": ["hôm thứ Ba (7/2)"], "DURATION": ["1h"]}
    )
    for seed in range(5):
        for doc in tiny_gold:
            copy = replace_mentions(doc, pools, random.Random(seed))
            assert copy.relations == doc.relations
            for span in copy.spans:
                assert copy.text[span.start : span.end] == span.text
            assert [s.label for s in copy.spans] == [s.label for s in doc.spans]
            calls = {(s.start, s.end): s.text for s in copy.spans if s.label == "CALL"}
            old_calls = {(s.start, s.end): s.text for s in doc.spans if s.label == "CALL"}
            assert sorted(calls.values()) == sorted(old_calls.values())  # calls are kept as written
            statuses = gold_mention_status(copy)
            assert set(statuses) <= set(calls) and sorted(statuses.values()) == sorted(
                gold_mention_status(doc).values()
            )
            # one person keeps one name; other labels (TITLE here: no pool) are untouched
            leaders = {}
            for old, new in zip(doc.spans, copy.spans, strict=True):
                if old.label == "LEADER":
                    assert leaders.setdefault(old.text, new.text) == new.text
                    assert new.text in pools.by_label["LEADER"]
                if old.label == "TITLE":
                    assert new.text == old.text


def test_pools_take_training_mentions_and_gazetteer_names(tiny_gold):
    from diplo_ie.lexicon.leaders import Gazetteer

    pools = MentionPools.from_documents(tiny_gold, Gazetteer.load())
    assert "Olaf Scholz" in pools.by_label["LEADER"] and "Emmanuel Macron" in pools.by_label["LEADER"]
    assert "một tiếng" in pools.by_label["DURATION"] and "CALL" not in pools.by_label
