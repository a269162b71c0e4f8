"""Deterministic event assembly: from predicted spans, relations and call statuses to CallEvents.

1. CALL mentions linked by ``same_call`` form one call. Mentions that name no call are left out: counting
   words alone ("cuộc"), a conversation with the press, a call verb negated on the spot
   ("chưa từng điện đàm").
2. Each call collects the participants, dates and durations its mentions are linked to; a mention that names
   two people and no date takes a "cùng ngày" earlier in its sentence.
3. Participants are resolved to people of the article (:mod:`diplo_ie.events.entities`); dates and
   durations are normalized (:mod:`diplo_ie.normalize`), "cùng ngày" taking the date of the nearest
   earlier dated mention.
4. A call with several date values ("ngày 28 và 31/1") becomes one event per date; a mention of separate
   calls with more than two people ("điện đàm riêng rẽ với A và B") becomes one event per counterpart, aides
   and spokespeople among them, or beside a head of state, being the call's reporters.
5. Calls with the same people and date (or no date) are merged; calls with fewer than two people are dropped.
6. Status: the mentions' votes, a status marker right before a mention ("sẽ", "không có") outvoting the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from diplo_ie.analysis import Analysis, StatusVote
from diplo_ie.events.entities import Entity, EntityIndex
from diplo_ie.labels import STATUSES
from diplo_ie.leaders import Gazetteer
from diplo_ie.normalize import parse_date, parse_duration
from diplo_ie.schema import CallEvent, DateValue, DurationValue, Relation, Span, Trigger
from diplo_ie.sentences import sentence_index, split_sentences

T = TypeVar("T")

# Markers of one joint call with three or more people; without them, several counterparts are separate calls.
# "chung" alone is too common ("mối quan tâm chung"): only "điện đàm chung" and the like count.
_JOINT = re.compile(
    r"\b(?:ba|3|bốn|4) (?:bên|nhà lãnh đạo|nước|nguyên thủ)|(?:điện đàm|cuộc gọi|điện thoại) chung\b|tay ba",
    re.IGNORECASE,
)
# "ngày 28 và 31/1", "28, 29 và 31/1": several days sharing one month.
_DAY_LIST = re.compile(r"(\d{1,2})((?:\s*(?:,|và)\s*\d{1,2})+)\s*[/.-]\s*(\d{1,2}(?:\s*[/.-]\s*\d{4})?)")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# Status markers just before a call mention, in the same clause, with optional fillers: "ông sẽ điện đàm",
# "dự kiến điện đàm", "lên kế hoạch cho một cuộc điện đàm", "sắp xếp cuộc điện đàm"; "không có cuộc điện đàm
# nào". Their precision on the gold training data (batches A-E): 17/17 denied, 52/54 planned ("ý định", an
# intention, occurs in no gold or corpus text and is a plan by the guidelines' definition).
_CUE_FILLERS = r"(?:\s+(?:sớm|có|tiến hành|tổ chức|cho|một|cuộc|trực tiếp))*\s*$"
_PLAN_WORDS = r"\b(?:sẽ|dự kiến|kế hoạch|ý định|sắp xếp|sắp|chuẩn bị|đề nghị)"
_STATUS_CUES = (
    (re.compile(r"\bkhông có" + _CUE_FILLERS, re.IGNORECASE), "denied"),
    (re.compile(_PLAN_WORDS + _CUE_FILLERS, re.IGNORECASE), "planned"),
)
_YEAR = re.compile(r"\d{4}")
# Reports of a call may come out a day "early" across time zones ("tối 13/7 theo giờ Washington").
_SLACK = dt.timedelta(days=1)
# A plan reported for a day half a year gone is rather a day of the coming year whose year the text left out.
_STALE_PLAN = dt.timedelta(days=180)
_SAME_DAY = re.compile(r"cùng ngày|cùng hôm|cùng thời điểm", re.IGNORECASE)
# A CALL span of counting words only is a fragment of another noun ("cuộc" of "cuộc gặp trực tuyến"); every
# gold call mention names the call with a word of its own.
_BARE_MENTION = re.compile(r"(?:(?:các|những|một|cuộc)\s*)+", re.IGNORECASE)
# A call verb negated on the spot ("người đã không nói chuyện trực tiếp với ông Putin trong gần ba năm", "chưa
# từng điện đàm") states that calls did not happen in general: 14 of the 15 in the gold texts are no call
# mention.
_NEGATED = re.compile(r"\b(?:không|chưa)(?:\s+(?:từng|hề|đã|bao giờ))*\s*$", re.IGNORECASE)
# A conversation with the press ("cuộc trò chuyện với các phóng viên") is no call between officials.
_WITH_PRESS = re.compile(
    r"\s+với\s+(?:các\s+|những\s+)?(?:phóng viên|nhà báo|báo giới|báo chí|giới truyền thông)", re.IGNORECASE
)


@dataclass
class _Call:
    mentions: list[Span]
    people: list[Entity] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    duration: DurationValue | None = None
    scores: list[float] = field(default_factory=list)
    # How many of the call's mentions link each person (by id): the caller is usually the most linked.
    links: Counter[int] = field(default_factory=Counter)


def _union_find(calls: list[Span], relations: list[Relation]) -> list[list[Span]]:
    parent = {c.id: c.id for c in calls}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in relations:
        if rel.type == "same_call" and rel.head in parent and rel.tail in parent:
            parent[find(rel.head)] = find(rel.tail)
    groups: dict[str, list[Span]] = defaultdict(list)
    for call in calls:
        groups[find(call.id)].append(call)
    return sorted(groups.values(), key=lambda g: g[0].start)


def date_values(span: Span, anchor: dt.date | None) -> list[DateValue]:
    """The date values of a DATE span; a list of days ("ngày 28 và 31/1") gives one value per day."""
    m = _DAY_LIST.search(span.text)
    parts = [span.text]
    if m:
        days = [m.group(1), *re.findall(r"\d{1,2}", m.group(2))]
        parts = [f"ngày {day}/{m.group(3)}" for day in days]
    values = []
    for part in parts:
        parsed = parse_date(part, anchor)
        if parsed is not None:
            values.append(DateValue(span.text, parsed.value, parsed.granularity, span.start, span.end))
    return values or [DateValue(span.text, None, None, span.start, span.end)]


class _DateResolver:
    """Dates in text order, so "cùng ngày" can borrow the value of a day mentioned before it.

    "Cùng ngày" refers to the day of the main story, which is the latest day mentioned so far (days still to
    come excepted: "tổng tuyển cử vào ngày 8-1 tới. Cùng ngày, ..."); earlier days before it are flashbacks
    ("Ngày 3/2, ... Trước đó, ngày 28 và 31/1, ... Cùng ngày, ..." → 3/2).
    """

    def __init__(self, spans: list[Span], anchor: dt.date | None):
        self._anchor = anchor
        # Publication stamps ("Thứ Tư, 06:15, 06/03/2024", related-article times) date the page, not a story.
        self._dated = sorted(
            (
                (s.start, v)
                for s in spans
                if s.label == "DATE" and not _CLOCK.search(s.text)
                for v in date_values(s, anchor)
                if v.value
            ),
            key=lambda x: x[0],
        )

    def values(self, span: Span) -> list[DateValue]:
        values = date_values(span, self._anchor)
        if values[0].value is None and _SAME_DAY.search(span.text):
            latest = (self._anchor + _SLACK).isoformat() if self._anchor else "9999"
            earlier = [
                v
                for start, v in self._dated
                if start < span.start and v.granularity == "day" and (v.value or "") <= latest
            ]
            if earlier:
                ref = max(earlier, key=lambda v: v.value or "")
                return [DateValue(span.text, ref.value, ref.granularity, span.start, span.end)]
        return values


def assemble(analysis: Analysis, gazetteer: Gazetteer) -> list[CallEvent]:
    """Build the call events of one document from its (predicted or gold) analysis.

    Relation and span ``score`` values (1.0 when absent) feed the events' confidence.
    """
    text, spans, relations, anchor = analysis.text, analysis.spans, analysis.relations, analysis.anchor
    call_status = analysis.statuses
    by_id = {s.id: s for s in spans}
    entities = EntityIndex(text, spans, relations, gazetteer, anchor.year if anchor else None)
    dates = _DateResolver(spans, anchor)
    outgoing: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        if rel.head in by_id and rel.tail in by_id:
            outgoing[rel.head].append(rel)

    sentences = split_sentences(text)
    frames = {}
    for call in (s for s in spans if s.label == "CALL" and _names_a_call(s, text)):
        frame = _Call([call], scores=[_score(call)])
        for rel in outgoing[call.id]:
            tail = by_id[rel.tail]
            frame.scores.append(_score(rel))
            if rel.type == "participant":
                entity = entities.resolve(tail)
                if entity.informative() and entity not in frame.people:
                    frame.people.append(entity)
            elif rel.type == "time":
                frame.dates += [
                    d for d in dates.values(tail) if d.value not in {x.value for x in frame.dates}
                ]
            elif rel.type == "duration":
                frame.duration = _first_readable(frame.duration, _duration(tail))
        frames[call.id] = frame

    pieces = []
    for group in _attach_anaphoric(_union_find(list(by_id[k] for k in frames), relations), frames):
        members = [frames[m.id] for m in group]
        _date_own_reports(members, text, sentences, dates)
        for piece in _by_date(members):
            pieces += _by_counterpart(piece, text, sentences)
    events = [_event(c, text, sentences, call_status, anchor) for c in _merge(pieces) if len(c.people) >= 2]
    return sorted(events, key=lambda e: e.trigger.start if e.trigger else 0)


def _names_a_call(mention: Span, text: str) -> bool:
    return not (
        _BARE_MENTION.fullmatch(mention.text)
        or _WITH_PRESS.match(text, mention.end)
        or _NEGATED.search(text[max(0, mention.start - 30) : mention.start])
    )


def _date_own_reports(
    frames: list[_Call], text: str, sentences: list[tuple[int, int]], dates: _DateResolver
) -> None:
    """A mention that names two people but is linked to no date takes a "cùng ngày" earlier in its sentence
    ("Trong khi đó, cùng ngày, Điện Elysee cho biết Tổng thống Pháp đã điện đàm ..."), a fixed phrase the
    tagger sometimes misses; unless a dated mention of its group names the same people, which makes it that
    call told again ("... hôm Chủ nhật (29/5). Phát biểu tối cùng ngày, ông Vučić cho biết cuộc điện đàm với
    ông Putin ...")."""
    dated_people = [{id(p) for p in f.people} for f in frames if f.dates]
    for frame in frames:
        people = {id(p) for p in frame.people}
        if frame.dates or len(people) < 2 or any(people <= other for other in dated_people):
            continue
        mention = frame.mentions[0]
        found = _SAME_DAY.search(text, _sentence_of(mention.start, text, sentences)[0], mention.start)
        if found is not None:
            same_day = Span("DATE", found.start(), found.end(), found.group())
            frame.dates = [v for v in dates.values(same_day) if v.value]


def _attach_anaphoric(groups: list[list[Span]], frames: dict[str, _Call]) -> list[list[Span]]:
    """A call mention naming fewer than two people ("Theo ông Ushakov, cuộc điện đàm kéo dài 1 giờ 15
    phút") usually takes up the call just told: it joins the nearest earlier call with two people (else the
    next one) unless its date or person says it is another call."""

    people = {id(g): {id(p) for m in g for p in frames[m.id].people} for g in groups}
    dates = {id(g): {d.value for m in g for d in frames[m.id].dates} for g in groups}
    full = [g for g in groups if len(people[id(g)]) >= 2]
    merged = {id(g): list(g) for g in full}
    for group in groups:
        if id(group) in merged:
            continue
        own_dates = dates[id(group)]
        target = next(
            (
                g for g in _nearest_first(full, group[0].start, lambda g: g[0].start)
                if not (own_dates and dates[id(g)] and own_dates != dates[id(g)])
                and people[id(group)] <= people[id(g)]
            ),
            None,
        )  # fmt: skip
        if target is None:
            merged[id(group)] = list(group)
        else:
            merged[id(target)] += group
    return sorted(merged.values(), key=lambda g: min(m.start for m in g))


def _nearest_first(items: list[T], start: int, start_of: Callable[[T], int]) -> list[T]:
    """``items`` by preference as the referent of a mention at ``start``: the nearest before it first, then
    the ones after it, nearest first."""
    return sorted(items, key=lambda item: (start_of(item) > start, abs(start_of(item) - start)))


def _score(item: Span | Relation) -> float:
    return 1.0 if item.score is None else item.score


def _duration(span: Span) -> DurationValue:
    parsed = parse_duration(span.text)
    if parsed is None:
        return DurationValue(span.text, None, None, None, span.start, span.end)
    return DurationValue(span.text, parsed.minutes, parsed.iso, parsed.qualifier, span.start, span.end)


def _first_readable(current: DurationValue | None, other: DurationValue | None) -> DurationValue | None:
    """The first duration in text order, unless only a later one can be read (a stray "hơn" tagged alone)."""
    if current is None or (current.minutes is None and other is not None and other.minutes is not None):
        return other
    return current


def _union(frames: list[_Call], dates: list[DateValue] | None = None) -> _Call:
    """One call from the frames of its mentions; people ordered by how many mentions link them."""
    call = _Call(sorted((f.mentions[0] for f in frames), key=lambda m: m.start))
    call.links = Counter(id(p) for f in frames for p in f.people)
    for frame in frames:
        call.people += [p for p in frame.people if p not in call.people]
        call.dates += [d for d in frame.dates if d.value not in {x.value for x in call.dates}]
        call.duration = _first_readable(call.duration, frame.duration)
        call.scores += frame.scores
    call.people.sort(key=lambda p: -call.links[id(p)])  # stable: ties keep first-linked order
    if dates is not None:
        call.dates = dates
    return call


def _by_date(frames: list[_Call]) -> list[_Call]:
    """Mentions of one call group carrying several date values are several calls, one per date. Each takes
    the people linked to the mentions that carry its date, or, if those are fewer than two, the two people
    most linked in the group ("ngày 28 và 31/1, hai nhà lãnh đạo ... các cuộc điện đàm")."""
    whole = _union(frames)
    if len(whole.dates) > 1:  # a date word the normalizer cannot read ("ngày") is no second date
        whole.dates = [d for d in whole.dates if d.value is not None]
    if len(whole.dates) <= 1:
        return [whole]
    dated = [f for f in frames if any(d.value for d in f.dates)]
    owners = [_date_owner(f, dated) for f in frames]
    calls = []
    for date in whole.dates:
        owned = [
            f
            for f, o in zip(frames, owners, strict=True)
            if o and any(d.value == date.value for d in o.dates)
        ]
        call = _union(owned, [date])
        if len(call.people) < 2:
            call.people = whole.people[:2]
        calls.append(call)
    undated = [f for f, o in zip(frames, owners, strict=True) if o is None]
    if undated:  # merged later into a dated call of the same people, if there is one
        calls.append(_union(undated, []))
    return calls


def _date_owner(frame: _Call, dated: list[_Call]) -> _Call | None:
    """The frame (of the ``dated`` ones) whose dates ``frame`` goes with: its own, else, for a mention that
    names fewer than two people, the nearest dated mention before it (after it when none is before): "Hôm
    qua (12/2), A điện đàm với B... Cuộc điện đàm kéo dài chừng nửa tiếng"."""
    if any(d.value for d in frame.dates):
        return frame
    if len(frame.people) >= 2:  # a report of its own ("A đã điện đàm riêng rẽ với B và C"), not an aside
        return None
    nearest = _nearest_first(dated, frame.mentions[0].start, lambda f: f.mentions[0].start)
    return nearest[0] if nearest else None


def _by_counterpart(call: _Call, text: str, sentences: list[tuple[int, int]]) -> list[_Call]:
    """More than two people on one call are separate calls by the caller to each counterpart ("điện đàm
    với Thủ tướng Úc và Tổng thống Mexico"), unless the text says it was a joint call ("ba bên"). Aides and
    spokespeople among more than two, or beside a head of state or government, are the call's reporters
    ("Trợ lý Ushakov cho biết, Tổng thống Putin hài lòng về cuộc điện đàm"), not counterparts: a head of state
    talks with peers, an aide with aides and ministers."""
    principals = [p for p in call.people if not p.aide()]
    if len(principals) >= 2 or any(p.heads_a_state() for p in principals):
        call.people = principals
    if len(call.people) <= 2 or any(_joint_call(m, text, sentences) for m in call.mentions):
        return [call]
    caller, others = _caller_and_counterparts(call, text, sentences)
    return [_Call(call.mentions, [caller, o], call.dates, call.duration, call.scores) for o in others]


def _sentence_of(offset: int, text: str, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    return sentences[sentence_index(sentences, offset)] if sentences else (0, len(text))


def _joint_call(mention: Span, text: str, sentences: list[tuple[int, int]]) -> bool:
    start, end = _sentence_of(mention.start, text, sentences)
    return bool(_JOINT.search(text[start:end]))


def _caller_and_counterparts(
    call: _Call, text: str, sentences: list[tuple[int, int]]
) -> tuple[Entity, list[Entity]]:
    """The caller is the person most mentions link; on a tie, the one named first in the call's sentence
    ("A điện đàm với B và C")."""
    start, end = _sentence_of(call.mentions[0].start, text, sentences)

    def first_in_sentence(entity: Entity) -> int:
        inside = [m.start for m in entity.mentions if start <= m.start < end]
        return min(inside) if inside else end

    ordered = sorted(call.people, key=lambda p: (-call.links[id(p)], first_in_sentence(p)))
    return ordered[0], ordered[1:]


def _main_mention(call: _Call, text: str, sentences: list[tuple[int, int]]) -> Span:
    """The mention whose sentence names the most of the call's people (the headline rarely does); the
    earliest on a tie. Its sentence is the event's evidence."""

    def named(mention: Span) -> int:
        start, end = _sentence_of(mention.start, text, sentences)
        return sum(any(start <= m.start < end for m in person.mentions) for person in call.people)

    return max(call.mentions, key=lambda m: (named(m), -m.start))


def _key(call: _Call) -> frozenset[int]:
    return frozenset(id(p) for p in call.people)


def _merge(calls: list[_Call]) -> list[_Call]:
    """Join calls that are the same conversation: same people, and the same date or no date on one side."""
    merged: list[_Call] = []
    for call in calls:
        value = call.dates[0].value if call.dates else None
        target = next(
            (
                m for m in merged
                if _key(m) == _key(call)
                and (value is None or not m.dates or m.dates[0].value == value)
            ),
            None,
        )  # fmt: skip
        if target is None:
            merged.append(call)
            continue
        target.mentions = sorted(
            {m.id: m for m in [*target.mentions, *call.mentions]}.values(), key=lambda s: s.start
        )
        target.dates = target.dates or call.dates
        target.duration = _first_readable(target.duration, call.duration)
        target.scores += call.scores
    return merged


def _date_and_status(date: DateValue, status: str, anchor: dt.date) -> tuple[DateValue, str]:
    """Make date and status agree with the publication date: a call dated after it has not happened yet
    (planned); a planned call's day or month without a year is the next such one, not last year's ("thứ Bảy
    (14-10)" in an article of 12/10, "tháng 6" in one of May)."""
    value = date.value or ""
    if status == "planned" and date.granularity in ("day", "month") and not _YEAR.search(date.text):
        day = dt.date.fromisoformat(value if date.granularity == "day" else value + "-28")
        ahead = _next_year(day)
        if day < anchor - _STALE_PLAN and ahead is not None and ahead >= anchor - _SLACK:
            return dataclasses.replace(date, value=ahead.isoformat()[: len(value)]), status
    if status == "occurred" and value > (anchor + _SLACK).isoformat()[: len(value)]:
        return date, "planned"
    return date, status


def _next_year(day: dt.date) -> dt.date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return None


def _event(
    call: _Call,
    text: str,
    sentences: list[tuple[int, int]],
    call_status: Mapping[str, StatusVote],
    anchor: dt.date | None,
) -> CallEvent:
    # Mentions vote for their status with their probability; ties go to the earlier status in STATUSES.
    totals = dict.fromkeys(STATUSES, 0.0)
    for mention in call.mentions:
        vote = call_status.get(mention.id or "")
        cued = _status_cue(text[max(0, mention.start - 40) : mention.start])
        if cued is not None:
            totals[cued] += 1.0
        elif vote is not None:
            totals[vote.status] += vote.score
    status = max(STATUSES, key=lambda s: totals[s])
    status_conf = totals[status] / max(len(call.mentions), 1)
    date = call.dates[0] if call.dates else None
    if anchor is not None and date is not None and date.value:
        date, status = _date_and_status(date, status, anchor)
    trigger = _main_mention(call, text, sentences)
    start, end = _sentence_of(trigger.start, text, sentences)
    confidence = min([status_conf, *call.scores]) if call.scores else status_conf
    return CallEvent(
        participants=[p.participant() for p in call.people],
        status=status,
        date=date,
        duration=call.duration,
        trigger=Trigger(trigger.text, trigger.start, trigger.end),
        call_mentions=[(m.start, m.end) for m in call.mentions],
        evidence=text[start:end],
        confidence=round(confidence, 4),
    )


def _status_cue(before: str) -> str | None:
    return next((status for cue, status in _STATUS_CUES if cue.search(before)), None)
