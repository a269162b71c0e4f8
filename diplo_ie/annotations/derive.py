"""Deterministic relations from gold events.

Annotators mark spans and group them into events; the relation-head targets follow from that by fixed rules,
so every document is labelled the same way:

- ``same_call``: consecutive CALL mentions of one event, in text order.
- ``participant``: from each CALL mention to the participant mentions in its sentence; a participant with no
  mention in any sentence of the event's CALL mentions is linked from the nearest CALL mention to its nearest
  mention.
- ``time`` / ``duration``: from the nearest CALL mention in the date / duration span's sentence, else the
  nearest one anywhere.
- ``title_of``: a TITLE followed by a LEADER with only spaces between them ("Tổng thống Nga Vladimir Putin"),
  anywhere in the text (to the LEADER before it when it is set off after that name and ends in a possessive:
  "Yuri Ushakov - Trợ lý ... của Tổng thống Nga Vladimir Putin"), and a TITLE of an event participant to that
  participant's nearest LEADER mention in the same sentence.
"""

from __future__ import annotations

import itertools

from diplo_ie.core.schema import Document, Relation, Span
from diplo_ie.lexicon.titles import titles_set_off_after_names
from diplo_ie.text.sentences import sentence_index, split_sentences


def _distance(a: Span, b: Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _nearest(target: Span, candidates: list[Span]) -> Span:
    return min(candidates, key=lambda c: (_distance(target, c), c.start))


def derive_relations(doc: Document) -> list[Relation]:
    """The relations implied by ``doc``'s spans and events, ids R1..Rn in a stable order."""
    by_offsets = {(s.start, s.end): s for s in doc.spans}
    sentences = split_sentences(doc.text)

    def sent(span: Span) -> int:
        return sentence_index(sentences, span.start)

    triples: list[tuple[str, Span, Span]] = []
    for event in doc.events:
        calls = sorted((by_offsets[tuple(o)] for o in event.call_mentions), key=lambda s: s.start)
        if not calls:
            continue
        triples += [("same_call", a, b) for a, b in itertools.pairwise(calls)]
        for participant in event.participants:
            mentions = [by_offsets[tuple(o)] for o in participant.mentions]
            if not mentions:
                continue
            local = [(c, m) for c in calls for m in mentions if sent(c) == sent(m)]
            if not local:
                m = min(mentions, key=lambda m: min(_distance(m, c) for c in calls))
                local = [(_nearest(m, calls), m)]
            triples += [("participant", c, m) for c, m in local]
            triples += _participant_titles(mentions, sent)
        for attr, rel in (("date", "time"), ("duration", "duration")):
            value = getattr(event, attr)
            if value is not None and value.start is not None:
                arg = by_offsets[(value.start, value.end)]
                same_sentence = [c for c in calls if sent(c) == sent(arg)]
                triples.append((rel, _nearest(arg, same_sentence or calls), arg))
    triples += _adjacent_titles(doc)
    return _dedupe(triples)


def _participant_titles(mentions: list[Span], sent) -> list[tuple[str, Span, Span]]:
    leaders = [m for m in mentions if m.label == "LEADER"]
    out = []
    for title in (m for m in mentions if m.label == "TITLE"):
        same = [leader for leader in leaders if sent(leader) == sent(title)]
        if same:
            out.append(("title_of", title, _nearest(title, same)))
    return out


def _adjacent_titles(doc: Document) -> list[tuple[str, Span, Span]]:
    ordered = sorted(doc.spans, key=lambda s: s.start)
    set_off = titles_set_off_after_names(doc.text, ordered)
    return [
        ("title_of", a, set_off.get(a.id or "", b))
        for a, b in itertools.pairwise(ordered)
        if a.label == "TITLE" and b.label == "LEADER" and doc.text[a.end : b.start].strip(" ") == ""
    ]


def _dedupe(triples: list[tuple[str, Span, Span]]) -> list[Relation]:
    seen: set[tuple[str, str, str]] = set()
    relations: list[Relation] = []
    for rel_type, head, tail in triples:
        key = (rel_type, head.id or "", tail.id or "")
        if key in seen:
            continue
        seen.add(key)
        relations.append(Relation(rel_type, head.id or "", tail.id or "", id=f"R{len(relations) + 1}"))
    return relations
