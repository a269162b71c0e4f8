"""Event assembly on gold spans and relations: the deterministic half of the pipeline must reproduce the gold."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from diplo_ie.annotations import load_documents
from diplo_ie.annotations.compact import compile_compact
from diplo_ie.core.analysis import Analysis, StatusVote
from diplo_ie.core.schema import Participant, Span
from diplo_ie.evaluation.events import event_key, participant_key
from diplo_ie.events import assemble
from diplo_ie.events.cues import load_cues
from diplo_ie.events.entities import name_words
from diplo_ie.events.stages.country_lists import group_countries
from diplo_ie.lexicon.leaders import Gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _assemble(doc):
    return assemble(Analysis.from_gold(doc), Gazetteer.load())


@pytest.mark.parametrize("index", range(5))
def test_seed_events_from_gold_analysis(index):
    docs, _ = load_documents([ROOT / "annotations" / "seeds"])
    doc = docs[index]
    assert Counter(map(event_key, _assemble(doc))) == Counter(map(event_key, doc.events))


def test_names_titles_and_offsets_are_resolved(gold_doc):
    (event,) = _assemble(gold_doc)
    putin = event.participants[1]
    assert (putin.name, putin.title, putin.country) == ("Vladimir Putin", "Tổng thống", "Nga")
    assert {gold_doc.text[s:e] for s, e in putin.mentions} == {"Tổng thống Nga", "Vladimir Putin", "Putin"}
    assert event.evidence.startswith("Chiều 15/11") and event.duration.minutes == 60


def test_a_call_with_several_counterparts_is_one_event_each():
    text = "Ngày 3/2, Tổng thống Pháp Emmanuel Macron đã điện đàm với Thủ tướng Anh Boris Johnson và Thủ tướng Đức Olaf Scholz."
    record = {
        "id": "w",
        "text": text,
        "published": "2022-02-04",
        "spans": [
            ["d", "DATE", "Ngày 3/2"],
            ["c", "CALL", "điện đàm"],
            ["TITLE", "Tổng thống Pháp"],
            ["m", "LEADER", "Emmanuel Macron"],
            ["TITLE", "Thủ tướng Anh"],
            ["j", "LEADER", "Boris Johnson"],
            ["TITLE", "Thủ tướng Đức"],
            ["s", "LEADER", "Olaf Scholz"],
        ],
        "events": [
            {
                "status": "occurred",
                "calls": ["c"],
                "participants": [
                    {"name": "Emmanuel Macron", "spans": ["m"]},
                    {"name": "Boris Johnson", "spans": ["j"]},
                ],
                "date": {"value": "2022-02-03", "span": "d"},
            },
            {
                "status": "occurred",
                "calls": ["c"],
                "participants": [
                    {"name": "Emmanuel Macron", "spans": ["m"]},
                    {"name": "Olaf Scholz", "spans": ["s"]},
                ],
                "date": {"value": "2022-02-03", "span": "d"},
            },
        ],
    }
    doc = compile_compact(record)
    events = _assemble(doc)
    assert sorted(tuple(p.name for p in e.participants) for e in events) == [
        ("Emmanuel Macron", "Boris Johnson"),
        ("Emmanuel Macron", "Olaf Scholz"),
    ]
    assert {e.date.value for e in events} == {"2022-02-03"}


def test_a_name_ending_in_an_initial_goes_on_past_a_line_break():
    from diplo_ie.core.schema import Span
    from diplo_ie.events.entities import _name_runs

    text = "Cố vấn An ninh Quốc gia Mỹ H.R.\nMcMaster cho biết. Ông Putin.\nTrump"
    spans = [
        Span("LEADER", 27, 31, "H.R.", "T1"),
        Span("LEADER", 32, 40, "McMaster", "T2"),
        Span("LEADER", 55, 60, "Putin", "T3"),
        Span("LEADER", 62, 67, "Trump", "T4"),
    ]
    assert [text[s.start : s.end] for s in spans] == [s.text for s in spans]
    runs = [(name, [s.id for s in run]) for name, run in _name_runs(spans, text)]
    assert runs == [("H.R. McMaster", ["T1", "T2"]), ("Putin", ["T3"]), ("Trump", ["T4"])]
    apart = [name for name, _ in _name_runs(spans, text, across_lines=False)]
    assert apart == ["H.R.", "McMaster", "Putin", "Trump"]


def test_split_names_join_and_uninformative_mentions_are_no_participants():
    from diplo_ie.core.schema import Span
    from diplo_ie.events.entities import _name_runs

    text = "Ông Mahmoud Abbas và Ô-xtrây-li-a G.Ha-uốt"
    spans = [
        Span("LEADER", 4, 11, "Mahmoud", "T1"),
        Span("LEADER", 12, 17, "Abbas", "T2"),
        Span("LEADER", 21, 33, "Ô-xtrây-li-a", "T3"),
        Span("LEADER", 34, 42, "G.Ha-uốt", "T4"),
    ]
    runs = [(name, [s.id for s in run]) for name, run in _name_runs(spans, text)]
    assert runs == [("Mahmoud Abbas", ["T1", "T2"]), ("Ô-xtrây-li-a", ["T3"]), ("G.Ha-uốt", ["T4"])]

    from diplo_ie.events.entities import Entity

    assert Entity("Mahmoud Abbas").informative() and Entity(None, None, "Iraq").informative()
    assert not Entity("Ô-xtrây-li-a").informative() and not Entity(None).informative()


def _spans(text, marked):
    """Spans from (label, text) pairs, each found after the previous one."""
    from diplo_ie.core.schema import Span

    spans, at = [], 0
    for n, (label, piece) in enumerate(marked):
        start = text.index(piece, at)
        spans.append(Span(label, start, start + len(piece), piece, f"P{n}"))
        at = start + len(piece)
    return spans


def _assemble_marked(text, marked, links, anchor, status="occurred", anchor_bound=False):
    """Events from an analysis written by hand: spans as (label, text) pairs, each found after the previous
    one, and relations (type, head index, tail index); every CALL mention gets ``status``."""
    from diplo_ie.core.schema import Relation

    spans = _spans(text, marked)
    relations = [Relation(kind, f"P{h}", f"P{t}") for kind, h, t in links]
    votes = {s.id: StatusVote(status, 1.0) for s in spans if s.label == "CALL"}
    analysis = Analysis(
        text, spans, relations, votes, dt.date.fromisoformat(anchor) if anchor else None, anchor_bound
    )
    return assemble(analysis, Gazetteer.load())


def test_today_has_no_day_when_the_anchor_is_only_the_latest_date_told():
    # An article with no publication date or dateline, anchored on the latest full date it gives (the crash
    # it recalls): "hôm nay" is some later day, not that one; "ngày 24/5" still takes the anchor's year.
    text = (
        "Máy bay MH17 bị bắn rơi ngày 17/7/2014. Ngày 24/5, Hà Lan công bố kết luận. "
        "Hôm nay Ngoại trưởng Hà Lan Stef Blok điện đàm với Sergei Lavrov."
    )
    marked = [("DATE", "ngày 17/7/2014"), ("DATE", "Ngày 24/5"), ("DATE", "Hôm nay"),
              ("TITLE", "Ngoại trưởng Hà Lan"), ("LEADER", "Stef Blok"), ("CALL", "điện đàm"),
              ("LEADER", "Sergei Lavrov")]  # fmt: skip
    links = [("title_of", 3, 4), ("participant", 5, 4), ("participant", 5, 6), ("time", 5, 2)]
    (bound,) = _assemble_marked(text, marked, links, "2014-07-17", anchor_bound=True)
    (exact,) = _assemble_marked(text, marked, links, "2014-07-17")
    assert (bound.date.value, exact.date.value) == (None, "2014-07-17")
    links[-1] = ("time", 5, 1)
    (told,) = _assemble_marked(text, marked, links, "2014-07-17", anchor_bound=True)
    assert told.date.value == "2014-05-24"


def test_any_title_presents_an_official_that_the_title_lexicon_does_not_read():
    # A governor is an official though "Thống đốc bang" is no office of the lexicon; the same name with no
    # title is taken for a private person, and a call with one is no event.
    text = "Ngày 3/9, Tổng thống Mỹ Donald Trump điện đàm với Thống đốc bang Texas Greg Abbott."
    marked = [("DATE", "Ngày 3/9"), ("TITLE", "Tổng thống Mỹ"), ("LEADER", "Donald Trump"), ("CALL", "điện đàm"),
              ("TITLE", "Thống đốc bang Texas"), ("LEADER", "Greg Abbott")]  # fmt: skip
    links = [("title_of", 1, 2), ("title_of", 4, 5), ("participant", 3, 2), ("participant", 3, 5),
             ("time", 3, 0)]  # fmt: skip
    (event,) = _assemble_marked(text, marked, links, "2017-09-04")
    assert {p.name for p in event.participants} == {"Donald Trump", "Greg Abbott"}
    assert _assemble_marked(text, marked, [x for x in links if x != ("title_of", 4, 5)], "2017-09-04") == []


def test_the_latest_full_date_is_a_bound_and_a_publication_date_is_not():
    from diplo_ie.core.analysis import document_anchor
    from diplo_ie.core.schema import Document, Span

    text = "Ngày 17/7/2014, máy bay bị bắn rơi."
    doc = Document("d", text, spans=[Span("DATE", 0, 14, "Ngày 17/7/2014", "T1")])
    assert document_anchor(doc) == (dt.date(2014, 7, 17), True)
    published = Document("d", text, published="2018-06-01", spans=doc.spans)
    assert document_anchor(published) == (dt.date(2018, 6, 1), False)


def test_a_call_mention_without_its_people_takes_up_the_call_just_told():
    text = (
        "Ngày 3/2, Tổng thống Nga Vladimir Putin điện đàm với Tổng thống Pháp Emmanuel Macron. "
        "Theo Điện Kremlin, cuộc điện đàm kéo dài 40 phút. "
        "Hôm 28/1, một cuộc điện đàm khác đã diễn ra."
    )
    marked = [
        ("DATE", "Ngày 3/2"), ("LEADER", "Vladimir Putin"), ("CALL", "điện đàm"),
        ("LEADER", "Emmanuel Macron"), ("CALL", "cuộc điện đàm"), ("DURATION", "40 phút"),
        ("DATE", "Hôm 28/1"), ("CALL", "cuộc điện đàm"),
    ]  # fmt: skip
    links = [("time", 2, 0), ("participant", 2, 1), ("participant", 2, 3), ("duration", 4, 5), ("time", 7, 6)]
    event, earlier = sorted(_assemble_marked(text, marked, links, "2022-02-04"), key=lambda e: e.date.value)[
        ::-1
    ]
    assert event.date.value == "2022-02-03" and event.duration.minutes == 40
    assert [p.name for p in event.participants] == ["Vladimir Putin", "Emmanuel Macron"]
    assert len(event.call_mentions) == 2  # the 28/1 call is another call, not this one
    assert earlier.date.value == "2022-01-28" and len(earlier.call_mentions) == 1


def test_undated_mentions_go_with_the_nearest_dated_one_and_unreadable_durations_give_way():
    text = (
        "Hôm qua (12/2), Tổng thống Nga Vladimir Putin điện đàm với Tổng thống Syria Ahmed al-Sharaa, sau khi "
        "chính quyền cũ sụp đổ hồi tháng 12 năm ngoái. Cuộc điện đàm kéo dài hơn chừng nửa tiếng."
    )
    marked = [
        ("DATE", "Hôm qua (12/2)"), ("LEADER", "Vladimir Putin"), ("CALL", "điện đàm"),
        ("LEADER", "Ahmed al-Sharaa"), ("DATE", "hồi tháng 12 năm ngoái"), ("CALL", "Cuộc điện đàm"),
        ("DURATION", "hơn"), ("DURATION", "chừng nửa tiếng"),
    ]  # fmt: skip
    links = [
        ("time", 2, 0), ("time", 2, 4), ("participant", 2, 1), ("participant", 2, 3),
        ("same_call", 2, 5), ("duration", 5, 6), ("duration", 5, 7),
    ]  # fmt: skip
    events = _assemble_marked(text, marked, links, "2025-02-13")
    by_date = {e.date.value: e for e in events}
    assert set(by_date) == {"2025-02-12", "2024-12"}  # the mislinked date still makes its own event
    assert by_date["2025-02-12"].duration.minutes == 30


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Gru-di-a M.Xa-ca-svi-li", "M.Xa-ca-svi-li"),
        ("Đ.Mét-vê-đép.", "Đ.Mét-vê-đép"),
        ("G.", "G."),
        ("Vladimir Putin", "Vladimir Putin"),
        ("Nga", "Nga"),
        ('", Trump', "Trump"),
    ],
)
def test_person_names_shed_a_leading_country_and_a_full_stop(mention, name):
    from diplo_ie.events.entities import _person_name

    assert _person_name(mention) == name


def test_an_abbreviated_suffix_keeps_its_full_stop():
    from diplo_ie.events.entities import _person_name

    suffixes = load_cues().name_suffix
    assert _person_name("Ferdinand Marcos Jr.", suffixes) == "Ferdinand Marcos Jr."
    assert _person_name("Joseph F. Dunford Jr.", suffixes) == "Joseph F. Dunford Jr."
    assert _person_name("Ferdinand Marcos Jr.") == "Ferdinand Marcos Jr"
    assert _person_name("Ferdinand Marcos.", suffixes) == "Ferdinand Marcos"


def _one_call(text, date_text, status, anchor):
    marked = [
        ("LEADER", "Joe Biden"),
        ("CALL", "điện đàm"),
        ("LEADER", "Benjamin Netanyahu"),
        ("DATE", date_text),
    ]
    links = [("participant", 1, 0), ("participant", 1, 2), ("time", 1, 3)]
    (event,) = _assemble_marked(text, marked, links, anchor, status)
    return event


def test_date_and_status_agree_with_the_publication_date():
    planned = _one_call("Joe Biden sẽ điện đàm với Benjamin Netanyahu vào thứ Bảy (14-10).", "thứ Bảy (14-10)",
                        "planned", "2023-10-12")  # fmt: skip
    assert (planned.date.value, planned.status) == ("2023-10-14", "planned")
    month = _one_call("Joe Biden sẽ điện đàm với Benjamin Netanyahu vào tháng 6.", "tháng 6", "planned",
                      "2023-05-08")  # fmt: skip
    assert (month.date.value, month.status) == ("2023-06", "planned")
    ahead = _one_call("Joe Biden điện đàm với Benjamin Netanyahu ngày 20/11/2023.", "ngày 20/11/2023",
                      "occurred", "2023-10-12")  # fmt: skip
    assert (ahead.date.value, ahead.status) == ("2023-11-20", "planned")
    past = _one_call("Joe Biden đã điện đàm với Benjamin Netanyahu ngày 10/10.", "ngày 10/10", "occurred",
                     "2023-10-12")  # fmt: skip
    assert (past.date.value, past.status) == ("2023-10-10", "occurred")


@pytest.mark.parametrize(
    ("text", "date_text", "status", "value"),
    [
        # Saturday 17/5: a plan for "thứ Hai" is the coming Monday, a call held "hôm thứ Hai" the last one
        ("Joe Biden sẽ điện đàm với Benjamin Netanyahu vào thứ Hai.", "thứ Hai", "planned", "2025-05-19"),
        ("Joe Biden đã điện đàm với Benjamin Netanyahu hôm thứ Hai.", "hôm thứ Hai", "occurred", "2025-05-12"),
        # a weekday with its day, or a plan for yesterday, stays as written
        ("Joe Biden sẽ điện đàm với Benjamin Netanyahu vào thứ Hai (12/5).", "thứ Hai (12/5)", "planned",
         "2025-05-12"),
        ("Joe Biden dự kiến điện đàm với Benjamin Netanyahu hôm qua.", "hôm qua", "planned", "2025-05-16"),
    ],
)  # fmt: skip
def test_a_planned_call_on_a_weekday_alone_is_on_the_coming_one(text, date_text, status, value):
    assert _one_call(text, date_text, status, "2025-05-17").date.value == value


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Joe Biden sẽ điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden dự kiến điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden đã điện đàm với Benjamin Netanyahu ngày 10/10.", "occurred"),
        ("Joe Biden, người sẽ thăm Israel, đã điện đàm với Benjamin Netanyahu ngày 10/10.", "occurred"),
        ("Joe Biden đề nghị điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden xác nhận ý định điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden đang sắp xếp điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden không có điện đàm với Benjamin Netanyahu ngày 10/10.", "denied"),
        ("Joe Biden có thể sẽ lần lượt điện đàm với Benjamin Netanyahu ngày 10/10.", "planned"),
        ("Joe Biden từ chối đề nghị điện đàm với Benjamin Netanyahu ngày 10/10.", "denied"),
        ("Joe Biden nói không có bất kỳ cuộc điện đàm nào với Benjamin Netanyahu ngày 10/10.", "denied"),
        (
            "Nhà Trắng bác bỏ thông tin cho rằng Joe Biden đã điện đàm với Benjamin Netanyahu ngày 10/10.",
            "denied",
        ),
        (
            "Nhà Trắng bác bỏ thông tin về thuế. Joe Biden đã điện đàm với Benjamin Netanyahu ngày 10/10.",
            "occurred",
        ),
    ],
)
def test_a_status_marker_before_the_mention_sets_the_status(text, status):
    event = _one_call(text, "ngày 10/10", "occurred", "2023-10-09")
    assert event.status == status


def test_a_plan_told_after_the_mention_may_be_quoted():
    cues = load_cues()
    assert cues.planned_after.match('cuộc gọi "đang được sắp xếp".', len("cuộc gọi"))
    assert cues.planned_after.match("cuộc điện đàm này, nếu diễn ra, sẽ", len("cuộc điện đàm"))
    assert not cues.planned_after.match("cuộc điện đàm đã diễn ra", len("cuộc điện đàm"))


def test_a_plan_told_of_the_calls_content_is_no_plan_of_the_call():
    text = (
        "Vladimir Putin và Donald Trump đã điện đàm ngày 14/12. Nội dung cuộc điện đàm sẽ sớm được công bố."
    )
    marked = [("LEADER", "Vladimir Putin"), ("LEADER", "Donald Trump"), ("CALL", "điện đàm"),
              ("DATE", "ngày 14/12"), ("CALL", "cuộc điện đàm")]  # fmt: skip
    links = [("participant", 2, 0), ("participant", 2, 1), ("time", 2, 3), ("same_call", 2, 4)]
    (event,) = _assemble_marked(text, marked, links, "2017-12-15")
    assert (event.date.value, event.status) == ("2017-12-14", "occurred")


def test_a_marked_mention_outvotes_unmarked_ones_of_the_same_call():
    # A headline and a lead that name the call without saying whether it was held; the model calls such
    # mentions occurred by default, the one marked mention says it is still being arranged.
    text = (
        "Moscow nói gì về cuộc điện thoại với Tổng thống Trump? Điện Kremlin nhắc tới cuộc điện thoại giữa "
        "Vladimir Putin và Donald Trump. Hai bên đang sắp xếp cuộc điện đàm giữa hai nhà lãnh đạo."
    )
    marked = [("CALL", "cuộc điện thoại"), ("LEADER", "Trump"), ("CALL", "cuộc điện thoại"),
              ("LEADER", "Vladimir Putin"), ("LEADER", "Donald Trump"), ("CALL", "cuộc điện đàm")]  # fmt: skip
    links = [("participant", 2, 3), ("participant", 2, 4), ("participant", 0, 1), ("same_call", 0, 2),
             ("same_call", 2, 5)]  # fmt: skip
    (event,) = _assemble_marked(text, marked, links, "2025-01-22")
    assert len(event.call_mentions) == 3 and event.status == "planned"
    assert event.confidence == 1.0  # the status is as sure as the marked mentions that decided it


@pytest.mark.parametrize(
    "to_come, published, day",
    [
        ("ngày 8-1 tới", "2007-12-29", "2007-12-28"),
        # Without a publication date every day of the article is year-less, and "tomorrow" is still to come.
        ("ngày mai (29/12)", None, "XXXX-12-28"),
    ],
)
def test_same_day_skips_days_still_to_come(to_come, published, day):
    text = f"Ngày 28-12, ông A nói bầu cử sẽ diễn ra vào {to_come}. Cùng ngày, Joe Biden điện đàm với Benjamin Netanyahu."
    marked = [("DATE", "Ngày 28-12"), ("DATE", to_come), ("DATE", "Cùng ngày"), ("LEADER", "Joe Biden"),
              ("CALL", "điện đàm"), ("LEADER", "Benjamin Netanyahu")]  # fmt: skip
    links = [("participant", 4, 3), ("participant", 4, 5), ("time", 4, 2)]
    (event,) = _assemble_marked(text, marked, links, published)
    assert (event.date.value, event.status) == (day, "occurred")


def test_an_undated_report_of_its_own_does_not_borrow_another_calls_dates():
    text = (
        "Ngày 28 và 31/1, Emmanuel Macron và Vladimir Putin đã có các cuộc điện đàm. "
        "Emmanuel Macron cũng điện đàm với Volodymyr Zelensky."
    )
    marked = [
        ("DATE", "Ngày 28 và 31/1"), ("LEADER", "Emmanuel Macron"), ("LEADER", "Vladimir Putin"),
        ("CALL", "các cuộc điện đàm"), ("LEADER", "Emmanuel Macron"), ("CALL", "điện đàm"),
        ("LEADER", "Volodymyr Zelensky"),
    ]  # fmt: skip
    links = [
        ("time", 3, 0), ("participant", 3, 1), ("participant", 3, 2), ("same_call", 3, 5),
        ("participant", 5, 4), ("participant", 5, 6),
    ]  # fmt: skip
    events = _assemble_marked(text, marked, links, "2022-02-04")
    found = {(frozenset(p.name for p in e.participants), e.date.value if e.date else None) for e in events}
    assert found == {
        (frozenset({"Emmanuel Macron", "Vladimir Putin"}), "2022-01-28"),
        (frozenset({"Emmanuel Macron", "Vladimir Putin"}), "2022-01-31"),
        (frozenset({"Emmanuel Macron", "Volodymyr Zelensky"}), None),
    }


def test_a_shared_concern_is_no_joint_call():
    text = "Joe Biden điện đàm với Benjamin Netanyahu và Emmanuel Macron, bày tỏ mối quan tâm chung."
    marked = [("LEADER", "Joe Biden"), ("CALL", "điện đàm"), ("LEADER", "Benjamin Netanyahu"),
              ("LEADER", "Emmanuel Macron")]  # fmt: skip
    links = [("participant", 1, 0), ("participant", 1, 2), ("participant", 1, 3)]
    events = _assemble_marked(text, marked, links, "2023-10-12")
    assert sorted(len(e.participants) for e in events) == [2, 2]


def test_a_same_country_name_told_further_on_joins_no_delegation():
    text = (
        "Phó Thủ tướng Phạm Bình Minh điện đàm với Ngoại trưởng Singapore Vivian Balakrishnan, trao đổi về "
        "phát biểu của Thủ tướng Lý Hiển Long."
    )
    marked = [("TITLE", "Phó Thủ tướng"), ("LEADER", "Phạm Bình Minh"), ("CALL", "điện đàm"),
              ("TITLE", "Ngoại trưởng Singapore"), ("LEADER", "Vivian Balakrishnan"),
              ("TITLE", "Thủ tướng"), ("LEADER", "Lý Hiển Long")]  # fmt: skip
    links = [("title_of", 0, 1), ("title_of", 3, 4), ("title_of", 5, 6), ("participant", 2, 1),
             ("participant", 2, 4), ("participant", 2, 6)]  # fmt: skip
    events = _assemble_marked(text, marked, links, "2019-06-08")
    assert sorted(len(e.participants) for e in events) == [2, 2]


def _people(text, marked, links, anchor="2018-04-21"):
    from diplo_ie.core.schema import Relation
    from diplo_ie.events.cues import load_cues
    from diplo_ie.events.entities import EntityIndex
    from diplo_ie.text.sentences import split_sentences

    spans = _spans(text, marked)
    relations = [Relation(kind, f"P{h}", f"P{t}") for kind, h, t in links]
    index = EntityIndex(
        text,
        spans,
        relations,
        Gazetteer.load(),
        dt.date.fromisoformat(anchor),
        load_cues(),
        split_sentences(text),
    )
    return index, spans


def test_a_short_name_two_people_share_goes_to_the_one_named_last_before_it():
    text = (
        "Phát ngôn viên Nhà Xanh Kim Eui-kyeom cho biết Tổng thống Moon Jae-in sẽ điện đàm với nhà lãnh đạo "
        "Kim Jong-un. Cuộc điện đàm giữa ông Moon và ông Kim sẽ diễn ra trong tuần tới. Ông Kim Eui-kyeom "
        "nói thêm rằng ông Kim sẽ thông báo sau."
    )
    marked = [("LEADER", "Kim Eui-kyeom"), ("LEADER", "Moon Jae-in"), ("LEADER", "Kim Jong-un"),
              ("LEADER", "Moon"), ("LEADER", "Kim"), ("LEADER", "Kim Eui-kyeom"), ("LEADER", "Kim")]  # fmt: skip
    index, spans = _people(text, marked, [])
    assert index.resolve(spans[4]).name == "Kim Jong-un"
    assert index.resolve(spans[6]).name == "Kim Eui-kyeom"


def test_two_spellings_of_one_name_share_its_short_form():
    text = "Donald Trump nói. Ông Trump điện đàm. Donad Trump cho biết. Ông Trump nói thêm."
    marked = [("LEADER", "Donald Trump"), ("LEADER", "Trump"), ("LEADER", "Donad Trump"), ("LEADER", "Trump")]
    index, spans = _people(text, marked, [])
    assert index.resolve(spans[1]) is index.resolve(spans[3])


def test_a_name_written_with_and_without_hyphens_is_one_person():
    text = (
        "Tổng thống Yoon Suk Yeol điện đàm với ông Trump. Ông Yoon Suk-yeol cho biết. Ông Moon Jae - in nói."
    )
    marked = [("LEADER", "Yoon Suk Yeol"), ("LEADER", "Trump"), ("LEADER", "Yoon Suk-yeol"),
              ("LEADER", "Moon Jae - in")]  # fmt: skip
    index, spans = _people(text, marked, [])
    assert index.resolve(spans[0]) is index.resolve(spans[2])
    assert index.resolve(spans[0]).name == "Yoon Suk Yeol"
    assert name_words("Moon Jae - in") == name_words("Moon Jae-in") == ["moon", "jae", "in"]


def test_an_office_of_a_chain_finds_its_holder_and_an_office_the_lexicon_lacks_keeps_other_roles_off():
    text = (
        "Thủ tướng Phạm Minh Chính đã điện đàm với Hoàng Thái tử, Thủ tướng Ả Rập Xê Út Mohammed bin Salman. "
        "Thủ tướng Ả Rập Xê Út đánh giá cao đề nghị này. Thư ký Báo chí Nhà Trắng Sarah Sanders cho biết "
        "Tổng thống Mỹ sẽ điện đàm với ông."
    )
    marked = [("TITLE", "Thủ tướng"), ("LEADER", "Phạm Minh Chính"), ("TITLE", "Hoàng Thái tử"),
              ("TITLE", "Thủ tướng Ả Rập Xê Út"), ("LEADER", "Mohammed bin Salman"),
              ("TITLE", "Thủ tướng Ả Rập Xê Út"), ("TITLE", "Thư ký Báo chí Nhà Trắng"),
              ("LEADER", "Sarah Sanders"), ("TITLE", "Tổng thống Mỹ")]  # fmt: skip
    index, spans = _people(text, marked, [("title_of", 0, 1), ("title_of", 2, 4), ("title_of", 6, 7)])
    prince = index.resolve(spans[4])
    assert prince.title == "Thái tử" and index.resolve(spans[5]) is prince
    assert index.resolve(spans[7]).country == "Mỹ"
    assert index.resolve(spans[8]).name is None


def test_an_aide_reporting_a_call_is_no_counterpart_but_an_aide_calling_an_adviser_is():
    text = (
        "Joe Biden điện đàm với Vladimir Putin. Trợ lý Tổng thống Nga Yuri Ushakov cho biết, "
        "ông Putin hài lòng về cuộc điện đàm."
    )
    marked = [("LEADER", "Joe Biden"), ("CALL", "điện đàm"), ("LEADER", "Vladimir Putin"),
              ("TITLE", "Trợ lý Tổng thống Nga"), ("LEADER", "Yuri Ushakov"), ("LEADER", "Putin"),
              ("CALL", "cuộc điện đàm")]  # fmt: skip
    links = [("participant", 1, 0), ("participant", 1, 2), ("title_of", 3, 4), ("same_call", 1, 6),
             ("participant", 6, 3), ("participant", 6, 5)]  # fmt: skip
    (event,) = _assemble_marked(text, marked, links, "2021-12-31")
    assert [p.name for p in event.participants] == ["Vladimir Putin", "Joe Biden"]

    text = "Cố vấn Yuri Ushakov điện đàm với Cố vấn An ninh Quốc gia Mỹ Jake Sullivan."
    marked = [("TITLE", "Cố vấn"), ("LEADER", "Yuri Ushakov"), ("CALL", "điện đàm"),
              ("TITLE", "Cố vấn An ninh Quốc gia Mỹ"), ("LEADER", "Jake Sullivan")]  # fmt: skip
    links = [("title_of", 0, 1), ("title_of", 3, 4), ("participant", 2, 1), ("participant", 2, 4)]
    (event,) = _assemble_marked(text, marked, links, "2021-12-31")
    assert {p.name for p in event.participants} == {"Yuri Ushakov", "Jake Sullivan"}


def test_an_aide_is_no_counterpart_of_a_head_of_state():
    text = "Tổng thống Donald Trump đang lên kế hoạch cho một cuộc điện đàm, ông Yuri Ushakov cho biết."
    marked = [("TITLE", "Tổng thống"), ("LEADER", "Donald Trump"), ("CALL", "cuộc điện đàm"),
              ("LEADER", "Yuri Ushakov")]  # fmt: skip
    links = [("title_of", 0, 1), ("participant", 2, 1), ("participant", 2, 3)]
    assert _assemble_marked(text, marked, links, "2025-01-22") == []


def test_a_title_set_off_after_a_name_with_a_possessive_goes_to_that_name():
    text = (
        "Ông Yuri Ushakov - Trợ lý chính sách đối ngoại của Tổng thống Nga Vladimir Putin, cho biết Tổng thống "
        "Nga Vladimir Putin đã điện đàm với Tổng thống Mỹ Joe Biden."
    )
    marked = [("LEADER", "Yuri Ushakov"), ("TITLE", "Trợ lý chính sách đối ngoại của Tổng thống Nga"),
              ("LEADER", "Vladimir Putin"), ("LEADER", "Vladimir Putin"), ("CALL", "điện đàm"),
              ("LEADER", "Joe Biden")]  # fmt: skip
    links = [("title_of", 1, 2), ("participant", 4, 3), ("participant", 4, 5)]
    (event,) = _assemble_marked(text, marked, links, "2021-12-31")
    assert {(p.name, p.title) for p in event.participants} == {
        ("Vladimir Putin", "Tổng thống"),
        ("Joe Biden", "Tổng thống"),
    }


@pytest.mark.parametrize(
    ("roles", "aide"),
    [
        (["Trợ lý Tổng thống"], True),
        (["Người phát ngôn Điện Kremlin"], True),
        (["Cố vấn chính sách đối ngoại Nga"], True),
        (["Cố vấn An ninh Quốc gia"], False),
        (["Cố vấn Nhà nước"], False),
        (["Tổng thống Nga", "Trợ lý chính sách đối ngoại của Tổng thống Nga"], False),
        ([], False),
    ],
)
def test_aides_are_told_by_their_offices(roles, aide):
    from diplo_ie.core.schema import Span
    from diplo_ie.events.cues import load_cues
    from diplo_ie.events.entities import Entity

    mentions = [Span("TITLE", 0, len(r), r) for r in roles]
    assert Entity("X", mentions=mentions).aide(load_cues().aide) is aide


def test_a_conversation_with_the_press_is_no_call():
    text = "Trong cuộc trò chuyện với các phóng viên ngày 21/1, Yuri Ushakov nhắc tới Vladimir Putin."
    marked = [("CALL", "cuộc trò chuyện"), ("DATE", "ngày 21/1"), ("LEADER", "Yuri Ushakov"),
              ("LEADER", "Vladimir Putin")]  # fmt: skip
    links = [("time", 0, 1), ("participant", 0, 2), ("participant", 0, 3)]
    assert _assemble_marked(text, marked, links, "2025-01-22") == []


@pytest.mark.parametrize(
    ("before", "events"),
    [("người đã không", 0), ("người chưa từng", 0), ("người đã", 1)],
)
def test_a_call_verb_negated_on_the_spot_is_a_general_statement(before, events):
    text = f"Joe Biden, {before} nói chuyện qua điện thoại với Vladimir Putin trong gần ba năm."
    marked = [("LEADER", "Joe Biden"), ("CALL", "nói chuyện qua điện thoại"), ("LEADER", "Vladimir Putin")]
    links = [("participant", 1, 0), ("participant", 1, 2)]
    assert len(_assemble_marked(text, marked, links, "2025-01-22")) == events


def test_tagged_punctuation_and_lowercase_words_name_nobody():
    text = "Joe Biden điện đàm với ”- Vladimir Putin và sai."
    marked = [("LEADER", "Joe Biden"), ("CALL", "điện đàm"), ("LEADER", "”-"), ("LEADER", "Vladimir Putin"),
              ("LEADER", "sai")]  # fmt: skip
    links = [("participant", 1, 0), ("participant", 1, 2), ("participant", 1, 3), ("participant", 1, 4)]
    (event,) = _assemble_marked(text, marked, links, "2021-12-31")
    assert [p.name for p in event.participants] == ["Joe Biden", "Vladimir Putin"]


def test_a_counting_word_alone_is_no_call_mention():
    text = "Joe Biden và Benjamin Netanyahu trong một cuộc gặp trực tuyến ngày 26/6/2020."
    marked = [
        ("LEADER", "Joe Biden"),
        ("LEADER", "Benjamin Netanyahu"),
        ("CALL", "cuộc"),
        ("DATE", "ngày 26/6/2020"),
    ]
    links = [("participant", 2, 0), ("participant", 2, 1), ("time", 2, 3)]
    assert _assemble_marked(text, marked, links, "2021-12-31") == []


def test_a_report_of_its_own_takes_the_same_day_phrase_of_its_sentence():
    text = (
        "Ngày 3/2, Vladimir Putin điện đàm với Emmanuel Macron. Trước đó, ngày 28/1, hai nhà lãnh đạo đã có "
        "các cuộc điện đàm. Trong khi đó, cùng ngày, Emmanuel Macron đã điện đàm với Volodymyr Zelensky."
    )
    marked = [("DATE", "Ngày 3/2"), ("LEADER", "Vladimir Putin"), ("CALL", "điện đàm"), ("LEADER", "Emmanuel Macron"),
              ("DATE", "ngày 28/1"), ("CALL", "các cuộc điện đàm"), ("LEADER", "Emmanuel Macron"),
              ("CALL", "điện đàm"), ("LEADER", "Volodymyr Zelensky")]  # fmt: skip
    links = [("time", 2, 0), ("participant", 2, 1), ("participant", 2, 3), ("time", 5, 4), ("same_call", 5, 7),
             ("participant", 7, 6), ("participant", 7, 8)]  # fmt: skip
    events = _assemble_marked(text, marked, links, "2022-02-04")
    found = {(frozenset(p.name for p in e.participants), e.date.value if e.date else None) for e in events}
    assert (frozenset({"Emmanuel Macron", "Volodymyr Zelensky"}), "2022-02-03") in found


def test_the_same_day_phrase_of_a_call_told_again_dates_the_telling_not_the_call():
    text = (
        "Hôm nay (30/5), EU nhóm họp. Aleksandar Vučić cho biết ông đã điện đàm với Vladimir Putin hôm Chủ nhật "
        "(29/5). Phát biểu tối cùng ngày, ông Vučić cho biết cuộc điện đàm với ông Putin kéo dài một giờ."
    )
    marked = [("DATE", "Hôm nay (30/5)"), ("LEADER", "Aleksandar Vučić"), ("CALL", "điện đàm"),
              ("LEADER", "Vladimir Putin"), ("DATE", "hôm Chủ nhật (29/5)"), ("LEADER", "Vučić"),
              ("CALL", "cuộc điện đàm"), ("LEADER", "Putin")]  # fmt: skip
    links = [("participant", 2, 1), ("participant", 2, 3), ("time", 2, 4), ("same_call", 2, 6),
             ("participant", 6, 5), ("participant", 6, 7)]  # fmt: skip
    (event,) = _assemble_marked(text, marked, links, "2022-05-30")
    assert event.date.value == "2022-05-29"


def test_event_assembly_imports_neither_torch_nor_the_model_nor_the_annotation_store():
    import subprocess
    import sys

    code = (
        "import sys, diplo_ie.events; "
        "print(sorted(m for m in ('torch', 'transformers', 'diplo_ie.modeling.model', 'diplo_ie.annotations') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_same_day_without_an_anchor_takes_a_day_whose_year_is_unknown():
    from diplo_ie.core.schema import Span
    from diplo_ie.events.dates import DateResolver

    spans = [Span("DATE", 0, 9, "hôm 17/12", "P1"), Span("DATE", 40, 49, "cùng ngày", "P2")]
    (value,) = DateResolver(spans, None).values(spans[1])
    assert value.value == "XXXX-12-17"


def _resolved(text: str, anchor: str | None) -> list[str | None]:
    """The values of every DATE span of ``text`` (spans are the date expressions parse_date reads, in order of
    the ``|``-separated marks ``[[...]]``)."""
    from diplo_ie.core.schema import Span
    from diplo_ie.events.dates import DateResolver

    plain, spans = "", []
    for i, piece in enumerate(text.split("[[")):
        head, _, rest = piece.partition("]]") if i else ("", "", piece)
        if i:
            spans.append(Span("DATE", len(plain), len(plain) + len(head), head, f"P{i}"))
            plain += head
        plain += rest
    resolver = DateResolver(spans, dt.date.fromisoformat(anchor) if anchor else None, plain)
    return [v.value for s in spans for v in resolver.values(s)]


@pytest.mark.parametrize(
    ("text", "anchor", "values"),
    [
        ("[[Ngày 12/3]], A điện đàm với B. [[Một ngày sau]], A điện đàm với C.", "2024-03-14",
         ["2024-03-12", "2024-03-13"]),
        ("[[Ngày 31/12]], A điện đàm với B; [[ngày hôm sau]] A điện đàm với C.", "2025-01-02",
         ["2024-12-31", "2025-01-01"]),
        ("[[hôm 7/8]] A điện đàm với B. [[Hai ngày sau đó]], A gặp C.", None, ["XXXX-08-07", "XXXX-08-09"]),
        # counted from the story's day, not from publication
        ("[[Ngày 20/7]], A điện đàm với B. [[Một ngày trước đó]], A gặp C.", "2024-07-25",
         ["2024-07-20", "2024-07-19"]),
        ("[[Ngày 1/5]], B thăm Washington sau cuộc điện đàm với A diễn ra [[trước đó một ngày]].", None,
         ["XXXX-05-01", "XXXX-04-30"]),
        ("[[Ngày 1/5]], A gặp B. [[Sau đó hai ngày]], A điện đàm với C.", None, ["XXXX-05-01", "XXXX-05-03"]),
        # counted from an event, not a date: unresolved
        ("[[Ngày 17/11]] A thắng cử. B điện đàm với A [[một ngày sau]] khi ông thắng.", "2016-11-20",
         ["2016-11-17", None]),
        ("[[tối 5/1]], A điện đàm với B. [[Cùng tối]], A điện đàm với C.", "2025-01-06",
         ["2025-01-05", "2025-01-05"]),
        # "hôm đó" is a day just told, in its sentence or the one before; not one told paragraphs earlier
        ("Tên lửa được phóng [[ngày 28/7]] và ngay trong [[đêm đó]], A điện đàm với B.", None,
         ["XXXX-07-28", "XXXX-07-28"]),
        ("Vụ việc xảy ra [[chiều ngày 9-2]]. Ngay trong [[đêm hôm đó]], A gọi điện cho B.", "2017-02-12",
         ["2017-02-09", "2017-02-09"]),
        ("[[Ngày 6/11]], A giao việc. Ba tháng trôi qua. A đến xem. Họ bỏ chạy. Ngay [[hôm đó]], A gọi điện cho B.",
         None, ["XXXX-11-06", None]),
        ("[[Ngày 6/11]], A điện đàm với B. Trong [[những ngày đó]], A bận.", None, ["XXXX-11-06", None]),
        # the Vietnam-time restatement of the callers' day is not the story's day
        ("A điện đàm với B [[tối 16/10 theo giờ địa phương]], tức [[rạng sáng 17/10 giờ Việt Nam]]. [[Cùng tối]], A "
         "nói chuyện qua điện thoại với C.", "2023-10-17", ["2023-10-16", "2023-10-17", "2023-10-16"]),
    ],
)  # fmt: skip
def test_days_counted_from_the_story_resolve_against_the_day_told_before(text, anchor, values):
    assert _resolved(text, anchor) == values


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # No year anywhere: a month counted from the present counts from the latest day told, without a year.
        ("[[Ngày 24/4]], ông Putin nói về cuộc điện đàm [[hồi tháng trước]] với ông Trump.", ["XXXX-04-24", "XXXX-03"]),
        ("[[Ngày 20/11]] A gặp B. [[Hôm 2/12]] A nói. Hai ông điện đàm [[hồi đầu tháng]].",
         ["XXXX-11-20", "XXXX-12-02", "XXXX-12"]),
        # January after a December of the same article is the later month.
        ("[[Ngày 28/12]] A gặp B. [[Ngày 3/1]] A nói về cuộc điện đàm [[tháng trước]].",
         ["XXXX-12-28", "XXXX-01-03", "XXXX-12"]),
        # A day ("hôm qua") is not resolved so: articles put it a day before the latest day told, or on it.
        ("[[Ngày 24/4]] A gặp B. [[Hôm qua]], A điện đàm với C.", ["XXXX-04-24", None]),
    ],
)  # fmt: skip
def test_a_month_from_the_present_of_an_article_without_a_year(text, values):
    assert _resolved(text, None) == values


@pytest.mark.parametrize("written", ["Kim Jong Un", "kim jong-un", "Kim Jong – Un", "Kim  Jong - un"])
def test_a_name_scores_alike_with_a_hyphen_or_a_space(written):
    assert participant_key(Participant(name=written)) == participant_key(Participant(name="Kim Jong-un"))
    assert participant_key(Participant(name=written)) != participant_key(Participant(name="Kim Jong-il"))


@pytest.mark.parametrize(
    ("after", "countries"),
    [
        (" với các quan chức thương mại Mỹ.", ["Mỹ"]),
        (" tuần này với những nhà đàm phán thương mại hàng đầu của Trung Quốc.", ["Trung Quốc"]),
        (" với các quan chức Mỹ và Hàn Quốc.", ["Mỹ", "Hàn Quốc"]),
        # What follows "về", "tại" is a topic or a place, not the group's country.
        (" với các quan chức về vấn đề Triều Tiên.", []),
        (" với các quan chức tại Kiev.", []),
        # A group must come right after the mention, and a name is no group.
        (", các quan chức Mỹ cho biết.", []),
        (" với ông Trump.", []),
    ],
)
def test_group_of_officials_after_a_mention(after: str, countries: list[str]) -> None:
    text = "Ông Lưu Hạc đã có cuộc điện đàm" + after
    mention = Span("CALL", 18, 31, "cuộc điện đàm")
    assert group_countries(text, mention, load_cues()) == countries
