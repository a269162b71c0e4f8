"""What the assembly stages pass along: calls under construction, and the document they come from."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from diplo_ie.core.analysis import StatusVote
from diplo_ie.core.schema import DateValue, DurationValue, Relation, Span
from diplo_ie.core.spec import CALL_SPEC
from diplo_ie.events.cues import Cues
from diplo_ie.events.dates import DateResolver
from diplo_ie.events.entities import Entity, EntityIndex
from diplo_ie.normalize.numbers import DIGITS
from diplo_ie.text.sentences import sentence_index

T = TypeVar("T")


@dataclass
class Call:
    """A call being assembled: its mentions and the people, dates and duration they are linked to.

    A call made from several mentions keeps the single-mention calls it was made from in ``parts``, since
    some stages look at which mention says what.
    """

    mentions: list[Span]
    people: list[Entity] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    duration: DurationValue | None = None
    scores: list[float] = field(default_factory=list)
    # How many of the call's mentions link each person (by id): the caller is usually the most linked.
    links: Counter[int] = field(default_factory=Counter)
    parts: list[Call] = field(default_factory=list)

    def leaves(self) -> list[Call]:
        return self.parts or [self]

    def person_ids(self) -> set[int]:
        return {id(p) for p in self.people}


@dataclass
class Context:
    """The document the calls come from, and what the stages share about it."""

    text: str
    sentences: list[tuple[int, int]]
    spans: list[Span]
    relations: list[Relation]
    statuses: Mapping[str, StatusVote]
    anchor: dt.date | None
    entities: EntityIndex
    dates: DateResolver
    cues: Cues
    skip: frozenset[str] = frozenset()  # stages and entity rules switched off

    def status_voters(self, mentions: list[Span]) -> list[Span]:
        """The mentions whose votes decide the status: those with a status marker right before them ("sẽ",
        "dự kiến", "không có"), if any, else all.

        The model's vote on an unmarked mention (a headline's "cuộc điện thoại") is mostly the majority status
        (occurred) whatever the call, while a marker is right for 95% of the training mentions it precedes;
        several unmarked mentions must not outvote it."""
        return [m for m in mentions if self.cued_status(m) is not None] or mentions

    def status_totals(self, mentions: list[Span]) -> dict[str, float]:
        """The voters' votes for each status: a marked mention gives its marker's status a full vote, an
        unmarked one the model's status its probability."""
        totals = dict.fromkeys(CALL_SPEC.statuses, 0.0)
        for mention in self.status_voters(mentions):
            cued = self.cued_status(mention)
            vote = self.statuses.get(mention.id or "")
            if cued is not None:
                totals[cued] += 1.0
            elif vote is not None:
                totals[vote.status] += vote.score
        return totals

    def cued_status(self, mention: Span) -> str | None:
        """The status a marker right before ``mention`` states ("sẽ điện đàm": planned), else denied where
        words right after it tell the call as not held ("đã không diễn ra"), else planned where a plan is told
        right after it ("cuộc điện đàm sẽ diễn ra", not "nội dung cuộc điện đàm sẽ được công bố"), else
        denied where its sentence denies a report before it ("bác bỏ thông tin cho rằng ông X đã điện đàm");
        None without any."""
        marked = self.cues.status_before(self.text[max(0, mention.start - 40) : mention.start])
        if marked is not None:
            return marked
        if self.told_not_held(mention):
            return "denied"
        if (
            "planned_after" not in self.skip
            and self.cues.planned_after.match(self.text, mention.end)
            and not self.cues.call_content.search(self.text, max(0, mention.start - 20), mention.start)
        ):
            return "planned"
        start, _ = self.sentence_of(mention.start)
        if "denials" not in self.skip and self.cues.denial.search(self.text, start, mention.start):
            return "denied"
        return None

    def status_of(self, mentions: list[Span]) -> str:
        """The status the mentions vote for; ties go to the spec's earlier status. A plan that a mention of
        the same call tells as done ("đề nghị cuộc trò chuyện" ... "ông Niinistö đã trao đổi qua điện
        thoại") was carried out, and one a mention tells as not held ("cuộc nói chuyện đã không diễn ra")
        was not."""
        totals = self.status_totals(mentions)
        status = max(CALL_SPEC.statuses, key=lambda s: totals[s])
        if status == "planned" and any(self.told_not_held(m) for m in mentions):
            return "denied"
        carried_out = "plan_carried_out" not in self.skip and any(self.told_held(m) for m in mentions)
        return "occurred" if status == "planned" and carried_out else status

    def told_not_held(self, mention: Span) -> bool:
        """Whether words right after ``mention`` tell the call as not held ("đã không diễn ra", "bị hủy")."""
        return "denied_after" not in self.skip and bool(self.cues.denied_after.match(self.text, mention.end))

    def told_held(self, mention: Span) -> bool:
        """Whether a marker right before ``mention`` tells the call as done ("đã điện đàm", "vừa có cuộc")."""
        return self.cued_status(mention) is None and bool(
            self.cues.held.search(self.text[max(0, mention.start - 40) : mention.start])
        )

    def ordinal(self, mention: Span) -> int | None:
        """The number an ordinal right after the mention gives its call ("cuộc điện đàm thứ hai": 2,
        "cuộc điện đàm đầu tiên": 1), if any."""
        m = self.cues.ordinal_after.match(self.text, mention.end)
        if m is None:
            return None
        if m["first"]:
            return 1
        n = m["n"].casefold()
        return int(n) if n.isdigit() else DIGITS.get(n)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return (
            self.sentences[sentence_index(self.sentences, offset)] if self.sentences else (0, len(self.text))
        )


def status_differs(one: Call, other: Call, ctx: Context) -> bool:
    """Whether one call is reported as done and the other, by a status marker before one of its mentions, as
    still to come ("Hai nhà lãnh đạo nhất trí sẽ điện đàm lần nữa" after the call that was held) or as not
    having happened ("gần đây không có cuộc điện đàm nào" beside the last call that was held): another call
    between the same people, not the same one. The marker is needed: a model's status votes alone differ
    between mentions of one call too. A plan later denied may be one call told twice, so only a status
    against occurred counts."""
    statuses = {ctx.status_of(one.mentions): one, ctx.status_of(other.mentions): other}
    if len(statuses) != 2 or "occurred" not in statuses:
        return False
    status, call = next((s, c) for s, c in statuses.items() if s != "occurred")
    return any(ctx.cued_status(m) == status for m in call.mentions)


def ordinal_differs(one: Call, other: Call, ctx: Context) -> bool:
    """Whether the two calls are numbered apart ("Đây là cuộc điện đàm thứ hai ... sau cuộc điện đàm đầu
    tiên"): another call between the same people, not the same one."""
    if "ordinals" in ctx.skip:
        return False
    numbers = [{n for m in c.mentions if (n := ctx.ordinal(m)) is not None} for c in (one, other)]
    return bool(numbers[0] and numbers[1] and not numbers[0] & numbers[1])


def first_readable(current: DurationValue | None, other: DurationValue | None) -> DurationValue | None:
    """The first duration in text order, unless only a later one can be read (a stray "hơn" tagged alone)."""
    if current is None or (current.minutes is None and other is not None and other.minutes is not None):
        return other
    return current


def union(calls: list[Call], dates: list[DateValue] | None = None) -> Call:
    """One call from several; people ordered by how many mentions link them."""
    leaves = [leaf for c in calls for leaf in c.leaves()]
    call = Call(sorted((c.mentions[0] for c in leaves), key=lambda m: m.start), parts=leaves)
    call.links = Counter(id(p) for c in leaves for p in c.people)
    for leaf in leaves:
        call.people += [p for p in leaf.people if p not in call.people]
        call.dates += [d for d in leaf.dates if d.value not in {x.value for x in call.dates}]
        call.duration = first_readable(call.duration, leaf.duration)
        call.scores += leaf.scores
    call.people.sort(key=lambda p: -call.links[id(p)])  # stable: ties keep first-linked order
    if dates is not None:
        call.dates = dates
    return call


def nearest_first(items: list[T], start: int, start_of: Callable[[T], int]) -> list[T]:
    """``items`` by preference as the referent of a mention at ``start``: the nearest before it first, then
    the ones after it, nearest first."""
    return sorted(items, key=lambda item: (start_of(item) > start, abs(start_of(item) - start)))


def score(item: Span | Relation) -> float:
    return 1.0 if item.score is None else item.score


def duration_owner(duration: DurationValue, counterparts: list[Entity], ctx: Context) -> Entity | None:
    """The counterpart whose call a duration measures: the only one named in the duration's sentence ("cuộc
    điện đàm kéo dài 30 phút với Thủ tướng Abe"), else the one named last before it ("... điện đàm với Thủ
    tướng Đức. Cuộc điện đàm kéo dài một tiếng")."""
    if duration.start is None:
        return None
    at = duration.start
    start, end = ctx.sentence_of(at)
    in_sentence = [p for p in counterparts if any(start <= m.start < end for m in p.mentions)]
    if len(in_sentence) == 1:
        return in_sentence[0]
    before = [(max(m.start for m in p.mentions if m.start < at), i) for i, p in enumerate(counterparts)
              if any(m.start < at for m in p.mentions)]  # fmt: skip
    return counterparts[max(before)[1]] if before else None


def lengths_by_counterpart(
    call: Call, counterparts: list[Entity], ctx: Context
) -> dict[int | None, DurationValue]:
    """The first readable length of each counterpart's call (by id), and under ``None`` the one of a length
    that names no counterpart, for the counterparts without one of their own."""
    found = [leaf.duration for leaf in call.leaves() if leaf.duration is not None]
    lengths: dict[int | None, DurationValue] = {}
    for duration in sorted(found, key=lambda d: d.start or 0):
        owner = duration_owner(duration, counterparts, ctx)
        key = None if owner is None else id(owner)
        lengths[key] = first_readable(lengths.get(key), duration)  # type: ignore[assignment]
    return lengths


def named_in(people: list[Entity], start: int, end: int) -> list[tuple[Span, Entity]]:
    """The mentions of ``people`` between ``start`` and ``end``, in text order, with whom each names."""
    return sorted(
        ((m, p) for p in people for m in p.mentions if start <= m.start < end), key=lambda mp: mp[0].start
    )


def listed_with(
    person: Entity, call: Call, ctx: Context, principal: Callable[[Entity], bool], by_word: bool = False
) -> bool:
    """Whether ``person`` is named, before a mention of the call in its sentence, in one list with someone
    ``principal`` holds for ("Kushner và cố vấn an ninh quốc gia John Bolton đã gọi điện cho Thái tử"): the
    subject of the call verb, a caller beside them. ``by_word``: only a list word ("và") joins them, not a
    comma, which also ends a clause ("Theo tờ Hurriyet, Tổng thống Erdogan đã điện đàm")."""
    for mention in call.mentions:
        start, _ = ctx.sentence_of(mention.start)
        named = named_in(call.people, start, mention.start)
        for (a, x), (b, y) in itertools.pairwise(named):
            if (x is person) != (y is person):
                other = y if x is person else x
                joiner = ctx.text[a.end : b.start]
                if (
                    principal(other)
                    and ctx.cues.list_joiner.fullmatch(joiner)
                    and (not by_word or ctx.cues.list_word.search(joiner))
                ):
                    return True
    return False


def one_after_another(named: list[tuple[Span, Entity]], ctx: Context) -> bool:
    """Whether the people are named as one list: each next person after a comma or "và"."""
    return all(
        owner is other or ctx.cues.list_joiner.fullmatch(ctx.text[a.end : b.start])
        for (a, owner), (b, other) in itertools.pairwise(named)
    )


def listed_after(mention: Span, named: list[tuple[Span, Entity]], ctx: Context) -> bool:
    """Whether ``named`` (in text order) all come after the mention as one list introduced by "với": the
    counterparts of whoever called ("điện đàm với ông A và ông B"), not people who spoke together."""
    return (
        bool(named)
        and named[0][0].start >= mention.end
        and bool(ctx.cues.counterparts_follow.search(ctx.text, mention.end, named[0][0].start))
        and one_after_another(named, ctx)
    )
