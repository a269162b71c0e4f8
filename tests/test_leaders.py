from __future__ import annotations

import datetime
import itertools
import json
import re
from importlib import resources

import pytest

from diplo_ie.lexicon.countries import country_of
from diplo_ie.lexicon.leaders import Gazetteer, Leader, Office
from diplo_ie.lexicon.titles import countries_named, names_local_unit, read_office, split_title
from diplo_ie.normalize.text import same_tones

# A term bound: a year (older terms), a month or a day.
_BOUND = re.compile(r"(19\d\d|20[0-2]\d)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _records() -> list[dict]:
    text = resources.files("diplo_ie").joinpath("data/leaders.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_data_file_is_well_formed() -> None:
    records = _records()
    assert len(records) >= 300
    names = [r["name"] for r in records]
    assert len(names) == len(set(names))
    for r in records:
        assert r["offices"], r["name"]
        assert r["iso"] is None or re.fullmatch(r"[A-Z]{2}", r["iso"]), r["name"]
        assert r["wikidata"] is None or re.fullmatch(r"Q\d+", r["wikidata"]), r["name"]
        for office in r["offices"]:
            assert all(_BOUND.fullmatch(str(office[k])) for k in ("from", "to") if office[k] is not None), r[
                "name"
            ]
            assert office["source"], r["name"]
            assert office["to"] is None or str(office["from"]) <= str(office["to"]), r["name"]


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Vladimir Putin", "Vladimir Putin"),
        ("V.Putin", "Vladimir Putin"),
        ("V. Putin", "Vladimir Putin"),
        ("Pu-tin", "Vladimir Putin"),
        ("V.Pu-tin", "Vladimir Putin"),
        ("ông Putin", "Vladimir Putin"),
        ("Xi Jinping", "Tập Cận Bình"),
        ("xi jinping", "Tập Cận Bình"),
        ("Đô-nan Trăm", "Donald Trump"),
        ("Éc-đô-gan", "Recep Tayyip Erdoğan"),
        ("Erdogan", "Recep Tayyip Erdoğan"),
        ("Thái Anh Văn", "Thái Anh Văn"),
        ("Tsai Ing-wen", "Thái Anh Văn"),
        ("Si-giô A-bê", "Shinzo Abe"),
        ("Shinzo Abe", "Shinzo Abe"),
        ("Olaf Scholz", "Olaf Scholz"),
        ("Nguyen Phu Trong", "Nguyễn Phú Trọng"),
        ("Tô Lâm", "Tô Lâm"),
        ("Lương Cường", "Lương Cường"),
        ("Bùi Thanh Sơn", "Bùi Thanh Sơn"),
        ("Kim Jong Un", "Kim Jong-un"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Antonio Guterres", "António Guterres"),
        ("Emmanuel Macron", "Emmanuel Macron"),
        ("Joe Biden", "Joe Biden"),
    ],
)
def test_lookup_variants(gaz: Gazetteer, variant: str, canonical: str) -> None:
    leader = gaz.lookup(variant)
    assert leader is not None and leader.name == canonical


def test_lookup_unknown_and_ambiguous(gaz: Gazetteer) -> None:
    assert gaz.lookup("Nguyễn Văn A") is None
    assert gaz.lookup("") is None


def test_wikidata_when_known(gaz: Gazetteer) -> None:
    assert gaz.lookup("Putin").wikidata == "Q7747"  # type: ignore[union-attr]
    assert gaz.lookup("Tô Lâm").wikidata is None  # type: ignore[union-attr]


def test_lookup_surname_filters(gaz: Gazetteer) -> None:
    assert [x.name for x in gaz.lookup_surname("Moon")] == ["Moon Jae-in"]
    assert [x.name for x in gaz.lookup_surname("Tập")] == ["Tập Cận Bình"]
    assert [
        x.name for x in gaz.lookup_surname("Lavrov", country="Nga", title="Bộ trưởng Ngoại giao", year=2022)
    ] == ["Sergey Lavrov"]
    assert gaz.lookup_surname("Johnson", country="Anh", title="Thủ tướng", year=2017) == []
    assert [x.name for x in gaz.lookup_surname("Johnson", country="GB", title="Thủ tướng", year=2020)] == [
        "Boris Johnson"
    ]
    kims = {x.name for x in gaz.lookup_surname("Kim")}
    assert {"Kim Jong-un", "Kim Jong-il"} <= kims
    assert [x.name for x in gaz.lookup_surname("Kim", year=2018)] == ["Kim Jong-un"]
    assert [x.name for x in gaz.lookup_surname("Guterres", title="Tổng Thư ký", year=2020)] == [
        "António Guterres"
    ]


def test_vietnamese_leaders_present(gaz: Gazetteer) -> None:
    for name in (
        "Nguyễn Phú Trọng",
        "Tô Lâm",
        "Phạm Minh Chính",
        "Nguyễn Xuân Phúc",
        "Võ Văn Thưởng",
        "Lương Cường",
        "Bùi Thanh Sơn",
        "Phạm Bình Minh",
        "Nguyễn Tấn Dũng",
        "Trương Tấn Sang",
    ):
        leader = gaz.lookup(name)
        assert leader is not None and leader.country.iso == "VN"


@pytest.mark.parametrize(
    ("text", "name", "iso"),
    [
        ("Mỹ", "Mỹ", "US"),
        ("Hoa Kỳ", "Mỹ", "US"),
        ("Nga", "Nga", "RU"),
        ("A-rập Xê-út", "A-rập Xê-út", "SA"),
        ("Ả Rập Xê Út", "A-rập Xê-út", "SA"),
        ("Thổ Nhĩ Kỳ", "Thổ Nhĩ Kỳ", "TR"),
        ("Triều Tiên", "Triều Tiên", "KP"),
        ("người Mỹ", "Mỹ", "US"),
        ("Moskva", "Nga", "RU"),
        ("Điện Kremlin", "Nga", "RU"),
        ("Úc", "Australia", "AU"),
        ("Kabul", "Afghanistan", "AF"),
        ("Bờ Biển Ngà", "Côte d'Ivoire", "CI"),
        ("Jamaica", "Jamaica", "JM"),
        ("CHDC Congo", "CHDC Congo", "CD"),
        ("Ni-giê", "Niger", "NE"),
        ("Nigeria", "Nigeria", "NG"),
        # Written without diacritics, a country is still found.
        ("Phap", "Pháp", "FR"),
        ("Trieu Tien", "Triều Tiên", "KP"),
    ],
)
def test_country_of(text: str, name: str, iso: str) -> None:
    country = country_of(text)
    assert country is not None and (country.name, country.iso) == (name, iso)


def test_country_of_unknown() -> None:
    assert country_of("Atlantis") is None


@pytest.mark.parametrize("word", ["Bí", "Lão", "Nhất"])
def test_a_word_with_other_diacritics_is_no_country(word: str) -> None:
    # "Bí thư" holds no Bỉ: only a form written without diacritics is looked up loosely.
    assert country_of(word) is None


def test_every_un_member_state_and_no_form_of_two_countries() -> None:
    from diplo_ie.lexicon.countries import _key, _table

    rows = _table()
    codes = {iso for _name, iso, _aliases in rows if iso}
    assert len(codes) >= 193 + 2  # UN members, observer states (Palestine, Holy See), Taiwan, Kosovo
    forms = [_key(form) for name, _iso, aliases in rows for form in (name, *aliases)]
    assert len(forms) == len(set(forms))


@pytest.mark.parametrize(
    ("phrase", "title", "country"),
    [
        ("Tổng thống Nga", "Tổng thống", "Nga"),
        ("người đồng cấp Pháp", None, "Pháp"),
        ("người đồng nhiệm Hàn Quốc", None, "Hàn Quốc"),  # another word for a counterpart
        ("đối tác Pháp", None, "Pháp"),  # and another ("Putin và đối tác Pháp")
        ("Ngoại trưởng Mỹ", "Ngoại trưởng", "Mỹ"),
        ("Bộ trưởng Ngoại giao Hoa Kỳ", "Ngoại trưởng", "Mỹ"),
        # the ministry named in full
        ("Bộ trưởng Bộ Quốc phòng Việt Nam", "Bộ trưởng Quốc phòng", "Việt Nam"),
        ("Thủ tướng Đức", "Thủ tướng", "Đức"),
        ("Tổng thống đắc cử Mỹ", "Tổng thống đắc cử", "Mỹ"),
        ("nhà lãnh đạo Triều Tiên", None, "Triều Tiên"),
        ("Thủ tướng", "Thủ tướng", None),
        ("Phó Thủ tướng Anh", "Phó Thủ tướng", "Anh"),
        # An office the lexicon knows only in part still has the country named after it, the last one,
        # but not a posting or a topic, and not a lower-case word that spells a country.
        ("Bộ trưởng Tài chính Mỹ", "Bộ trưởng", "Mỹ"),
        ("Trợ lý chính sách đối ngoại của Tổng thống Nga", "Trợ lý", "Nga"),
        (
            "đặc phái viên về hòa bình ở Bán đảo Triều Tiên của Bộ Ngoại giao Hàn Quốc",
            "Đặc phái viên",
            "Hàn Quốc",
        ),
        ("Đại sứ Mỹ tại Nga", "Đại sứ", "Mỹ"),
        ("Đặc phái viên về Triều Tiên", "Đặc phái viên", None),
        ("chủ tịch Ủy ban tư pháp Thượng viện", "Chủ tịch", None),
        # Heads of international organisations: the organisation stands where a country would.
        ("Tổng Giám đốc Cơ quan Năng lượng Nguyên tử Quốc tế", "Tổng Giám đốc", "IAEA"),
        ("Tổng Giám đốc WHO", "Tổng Giám đốc", "WHO"),
    ],
)
def test_split_title(phrase: str, title: str | None, country: str | None) -> None:
    parsed = split_title(phrase)
    assert parsed is not None and (parsed.title, parsed.country) == (title, country)


def test_split_title_none() -> None:
    assert split_title("Olaf Scholz") is None


@pytest.mark.parametrize(
    ("phrase", "office", "country"),
    [
        ("Ngoại trưởng Mỹ", "Ngoại trưởng", "Mỹ"),
        # An office the lexicon does not know keeps its words, and its country, but not a posting's.
        ("Đại diện Thương mại Mỹ", "Đại diện Thương mại", "Mỹ"),
        ("Tư lệnh Bộ Chỉ huy Thái Bình Dương Mỹ", "Tư lệnh Bộ Chỉ huy Thái Bình Dương", "Mỹ"),
        ("Thư ký Báo chí Nhà Trắng", "Thư ký Báo chí", "Mỹ"),
        ("Giám đốc điều hành tại Nga", None, None),
        ("Olaf Scholz", None, None),
        # The government named without a country is Vietnam's; another country named wins; alone it is nobody.
        ("Thủ tướng Chính phủ", "Thủ tướng", "Việt Nam"),
        ("Tổng Thanh tra Chính phủ", "Tổng Thanh tra Chính phủ", "Việt Nam"),
        ("Thủ tướng Chính phủ Hoàng gia Campuchia", "Thủ tướng", "Campuchia"),
        ("Chính phủ", None, None),
        # So are its local administration's offices, the unit before or after the place.
        ("Bí thư Huyện uỷ", "Bí thư Huyện uỷ", "Việt Nam"),
        ("Giám đốc Sở Y tế tỉnh Bình Định", "Giám đốc Sở Y tế tỉnh Bình Định", "Việt Nam"),
        ("Chủ tịch UBND tỉnh Quảng Nam", "Chủ tịch", "Việt Nam"),
        ("chủ tịch xã", "Chủ tịch", "Việt Nam"),
        ("Bộ trưởng Truyền thông xã hội Brazil", "Bộ trưởng", "Brazil"),
        ("Thị trưởng thành phố New York", None, None),
        # Whoever holds a seat of power holds its office; its spokesperson is still a spokesperson.
        ("ông chủ Nhà Trắng", "Tổng thống", "Mỹ"),
        ("chủ nhân mới của Nhà Trắng", "Tổng thống", "Mỹ"),
        ("Người đứng đầu điện Kremlin", "Tổng thống", "Nga"),
        ("ông chủ Lầu Năm Góc", "Bộ trưởng Quốc phòng", "Mỹ"),
        ("người phát ngôn Điện Kremlin", "Người phát ngôn", "Nga"),
        # The older tone placement ("Thuỵ", "Hoà") names the same country as the newer ("Thụy", "Hòa").
        ("người đồng cấp Thuỵ Sĩ", None, "Thụy Sĩ"),
        ("Ngoại trưởng Thuỵ Điển", "Ngoại trưởng", "Thụy Điển"),
        # The leader of a movement, by its name or its own words.
        ("thủ lĩnh Hamas", None, "Hamas"),
        ("thủ lĩnh Mặt trận Giải phóng Nhân dân Tigray (TPLF)", None, "TPLF"),
    ],
)
def test_read_office(phrase: str, office: str | None, country: str | None) -> None:
    assert read_office(phrase) == (office, country)


def test_same_tones_places_the_tone_one_way_and_keeps_offsets() -> None:
    text = "Hoà bình, khoẻ, Thuỵ Sĩ; quý, hoàng, của, thuở vẫn thế"
    assert same_tones(text) == "Hòa bình, khỏe, Thụy Sĩ; quý, hoàng, của, thuở vẫn thế"
    assert len(same_tones(text)) == len(text)
    assert countries_named("Ngoại trưởng Thuỵ Sĩ gọi điện", 30) == [(13, "Thụy Sĩ")]


def test_office_bounds_cover_whole_periods() -> None:
    year = Office.from_record({"title": "Thủ tướng", "from": 2011, "to": 2016})
    assert (year.start, year.end) == (datetime.date(2011, 1, 1), datetime.date(2017, 1, 1))
    month = Office.from_record({"title": "Thủ tướng", "from": "2024-08", "to": "2024-12", "source": "s"})
    assert (month.start, month.end, month.source) == (
        datetime.date(2024, 8, 1),
        datetime.date(2025, 1, 1),
        "s",
    )
    day = Office.from_record({"title": "Thủ tướng", "from": "2021-04-05", "to": None})
    assert (day.start, day.end) == (datetime.date(2021, 4, 5), None)
    assert year.covers(2016) and not year.covers(2017)
    # The day a term ends is its successor's first day.
    handover = Office.from_record({"title": "Thủ tướng", "from": "2021-10-04", "to": "2024-10-01"})
    assert handover.covers(2024) and not handover.covers(2025)
    assert handover.covers_date(datetime.date(2024, 9, 30)) and not handover.covers_date(
        datetime.date(2024, 10, 1)
    )


def test_holds_on_a_date(gaz: Gazetteer) -> None:
    kishida = gaz.lookup("Kishida")
    assert kishida is not None
    assert kishida.holds("Thủ tướng", on=datetime.date(2024, 9, 30))
    assert not kishida.holds("Thủ tướng", on=datetime.date(2024, 10, 2))
    assert kishida.holds("Thủ tướng", year=2024) and kishida.holds("Ngoại trưởng", year=2016)
    assert not kishida.holds("Ngoại trưởng", year=2024, on=datetime.date(2016, 5, 1))


@pytest.mark.parametrize(
    ("title", "country", "day", "names"),
    [
        ("Thủ tướng", "Nhật Bản", "2024-09-30", ["Fumio Kishida"]),
        ("Thủ tướng", "Nhật", "2024-10-02", ["Shigeru Ishiba"]),
        ("Thủ tướng", "JP", "2026-03-01", ["Sanae Takaichi"]),
        ("Chủ tịch nước", "Việt Nam", "2024-01-15", ["Võ Văn Thưởng"]),
        ("Chủ tịch nước", "Việt Nam", "2024-04-15", ["Võ Thị Ánh Xuân"]),  # acting
        ("Chủ tịch nước", "Việt Nam", "2024-06-01", ["Tô Lâm"]),
        ("Chủ tịch nước", "Việt Nam", "2024-11-01", ["Lương Cường"]),
        ("Chủ tịch nước", "Việt Nam", "2026-05-01", ["Tô Lâm"]),
        ("Tổng Bí thư", "Việt Nam", "2024-06-15", ["Nguyễn Phú Trọng"]),
        ("Tổng Bí thư", "Việt Nam", "2024-11-01", ["Tô Lâm"]),
        ("Tổng Bí thư", "Việt Nam", "2026-02-01", ["Tô Lâm"]),
        ("Thủ tướng", "Việt Nam", "2026-04-06", ["Phạm Minh Chính"]),
        ("Thủ tướng", "Việt Nam", "2026-04-07", ["Lê Minh Hưng"]),
        ("Bộ trưởng Ngoại giao", "Việt Nam", "2025-10-01", ["Lê Hoài Trung"]),
        ("Ngoại trưởng", "Mỹ", "2020-05-01", ["Mike Pompeo"]),
        ("Tổng thống", "Mỹ", "2021-01-20", ["Joe Biden"]),
        ("Thủ tướng", "Hà Lan", "2026-03-01", ["Rob Jetten"]),
        ("Thủ tướng", "Hàn Quốc", "2025-08-01", ["Kim Min-seok"]),
        ("Ngoại trưởng", "Hàn Quốc", "2025-08-01", ["Cho Hyun"]),
        ("Thủ tướng", "Thái Lan", "2024-08-20", ["Paetongtarn Shinawatra"]),
        ("Tổng thống", "Philippines", "2022-06-30", ["Ferdinand Marcos Jr."]),
        ("Lãnh tụ tối cao", "Iran", "2026-03-10", ["Mojtaba Khamenei"]),
        ("Tổng Thư ký NATO", None, "2024-09-30", ["Jens Stoltenberg"]),
        ("Tổng thống", "Moldova", "2021-06-01", ["Maia Sandu"]),
        ("Thủ tướng", "Pakistan", "2024-06-01", ["Shehbaz Sharif"]),
        ("Tổng thống", "Kenya", "2023-01-01", ["William Ruto"]),
        ("Tổng thống", "Chile", "2023-01-01", ["Gabriel Boric"]),
        ("Bộ trưởng Quốc phòng", "Mỹ", "2025-06-01", ["Pete Hegseth"]),
        ("Bộ trưởng Quốc phòng", "Nga", "2025-01-01", ["Andrei Belousov"]),
        ("Bộ trưởng Quốc phòng", "Trung Quốc", "2024-06-01", ["Đổng Quân"]),
        ("Chủ tịch ASEAN", None, "2025-03-29", ["Anwar Ibrahim"]),
        ("Chủ tịch ASEAN", None, "2020-06-01", ["Nguyễn Xuân Phúc"]),
        ("Tổng Thư ký Liên Hợp Quốc", None, "2026-12-04", ["António Guterres"]),
        ("Thủ tướng", "Hungary", "2026-05-01", ["Viktor Orbán"]),
        ("Thủ tướng", "Hungary", "2026-06-01", ["Péter Magyar"]),
        ("Ngoại trưởng", "Hà Lan", "2026-03-01", ["Tom Berendsen"]),
        ("Ngoại trưởng", "Philippines", "2025-08-01", ["Ma. Theresa Lazaro"]),
        ("Chủ tịch Hội đồng châu Âu", None, "2024-12-15", ["António Costa"]),
        ("Ngoại trưởng", "Israel", "2025-01-01", ["Gideon Sa'ar"]),
    ],
)
def test_holders_on_a_date(
    gaz: Gazetteer, title: str, country: str | None, day: str, names: list[str]
) -> None:
    found = gaz.holders(title, country, datetime.date.fromisoformat(day))
    assert [x.name for x in found] == names


def test_bounds_are_dated_to_the_month_or_say_why_not() -> None:
    """A year alone makes both holders of a year of transition look in office: every bound is a month or a
    day, unless its source says the day was searched for and not found."""
    for r in _records():
        for office in r["offices"]:
            coarse = any(isinstance(b, int) for b in (office["from"], office["to"]))
            assert not coarse or "not found" in office["source"], (r["name"], office)


@pytest.mark.parametrize(
    ("title", "country", "day", "name"),
    [
        ("Thủ tướng", "Nhật Bản", "2007-06-01", "Shinzo Abe"),
        ("Thủ tướng", "Nhật Bản", "2007-11-01", "Yasuo Fukuda"),
        ("Tổng thống", "Nga", "2008-03-01", "Vladimir Putin"),
        ("Tổng thống", "Nga", "2008-06-01", "Dmitry Medvedev"),
        ("Thủ tướng", "Nga", "2008-06-01", "Vladimir Putin"),
        ("Tổng thống", "Mỹ", "2009-01-10", "George W. Bush"),
        ("Thủ tướng", "Việt Nam", "2006-03-01", "Phan Văn Khải"),
        ("Thủ tướng", "Việt Nam", "2006-09-01", "Nguyễn Tấn Dũng"),
        ("Ngoại trưởng", "Đức", "2009-12-01", "Guido Westerwelle"),
        ("Ngoại trưởng", "Việt Nam", "2011-10-01", "Phạm Bình Minh"),
        ("Chủ tịch nước", "Việt Nam", "2006-03-01", "Trần Đức Lương"),
        ("Tổng Bí thư", "Việt Nam", "2011-03-01", "Nguyễn Phú Trọng"),
    ],
)
def test_one_holder_in_a_year_of_transition(
    gaz: Gazetteer, title: str, country: str, day: str, name: str
) -> None:
    """The year a term ends is the year the next one starts: with terms dated to the day, a date in it has
    one holder, the outgoing one before the handover and the incoming one after."""
    assert [x.name for x in gaz.holders(title, country, datetime.date.fromisoformat(day))] == [name]


# Heads of government: prime ministers, or the president where the president leads the government (a prime
# minister there, as in South Korea, is the president's deputy).
_PRESIDENTIAL = {"US", "KR", "ID", "PH", "BR", "MX", "AR", "ZA"}
# Same-day pairs that are real (acting holders, handovers known only to the month): none so far.
_OVERLAPS_ALLOWED: set[frozenset[str]] = set()


def _heads_of_government(leaders: list[Leader]) -> list[tuple[str, str, Office]]:
    return [
        (leader.country.iso or leader.country.name, leader.name, office)
        for leader in leaders
        for office in leader.offices
        if not (office.source or "").startswith("legacy")
        and office.title == ("Tổng thống" if leader.country.iso in _PRESIDENTIAL else "Thủ tướng")
    ]


def test_one_head_of_government_at_a_time(gaz: Gazetteer) -> None:
    """No two people lead one government on the same day (checked terms; year-only legacy terms are too coarse
    to compare)."""
    clashes = [
        (country, a, b)
        for (country, a, x), (other, b, y) in itertools.combinations(_heads_of_government(gaz.leaders), 2)
        if country == other
        and a != b
        and x.start < (y.end or datetime.date.max)
        and y.start < (x.end or datetime.date.max)
        and frozenset((a, b)) not in _OVERLAPS_ALLOWED
    ]
    assert clashes == []


def test_title_table_heads_are_canonical_titles() -> None:
    from diplo_ie.lexicon.titles import HEAD_TITLES, ROLE_WORDS, TITLE_SYNONYMS

    assert set(TITLE_SYNONYMS.values()) >= HEAD_TITLES and "Thủ tướng" in HEAD_TITLES
    assert TITLE_SYNONYMS["Bộ trưởng Ngoại giao"] == "Ngoại trưởng" and "người đồng cấp" in ROLE_WORDS


def test_a_rotating_chair_is_not_the_office_reported(gaz: Gazetteer) -> None:
    """In 2025 Anwar Ibrahim chairs ASEAN as Malaysia's prime minister: the office his name gets is the latter."""
    from diplo_ie.events.entities import _office_on

    anwar = gaz.lookup("Anwar Ibrahim")
    assert anwar is not None and anwar.holds("Chủ tịch ASEAN", on=datetime.date(2025, 3, 29))
    assert _office_on(anwar, datetime.date(2025, 3, 29)) == "Thủ tướng"


def test_a_monarch_who_is_also_minister_is_reported_as_monarch(gaz: Gazetteer) -> None:
    """Brunei's Sultan is also its prime minister and foreign minister; news calls him "Quốc vương"."""
    from diplo_ie.events.entities import _office_on

    sultan = gaz.lookup("Hassanal Bolkiah")
    assert sultan is not None and sultan.holds("Ngoại trưởng", on=datetime.date(2024, 5, 1))
    assert _office_on(sultan, datetime.date(2024, 5, 1)) == "Quốc vương"


def _person(*offices: tuple[str, str, str | None]) -> Leader:
    return Leader.from_record(
        {
            "name": "X",
            "country": "Qatar",
            "offices": [{"title": t, "from": a, "to": b} for t, a, b in offices],
        }
    )


@pytest.mark.parametrize("order", [1, -1])
def test_a_head_of_government_who_is_also_minister_is_reported_by_the_head_office(order: int) -> None:
    """Qatar's prime minister has also been its foreign minister since 2023: whichever the gazetteer lists
    last, the news calls him prime minister."""
    from diplo_ie.events.entities import _office_on

    person = _person(*[("Ngoại trưởng", "2016-01", None), ("Thủ tướng", "2023-03", None)][::order])
    assert _office_on(person, datetime.date(2024, 5, 1)) == "Thủ tướng"
    assert _office_on(person, datetime.date(2020, 5, 1)) == "Ngoại trưởng"


def test_an_undated_article_gets_the_office_held_now_whatever_the_order_listed() -> None:
    from diplo_ie.events.entities import _office_on

    person = _person(
        ("Tổng thống", "2000", "2008-05"),
        ("Tổng thống", "2012-05", None),
        ("Thủ tướng", "2008-05", "2012-05"),
    )
    assert _office_on(person, None) == "Tổng thống"
    assert _office_on(person, datetime.date(2010, 1, 1)) == "Thủ tướng"


def test_out_of_office_on_the_date_gets_the_office_left_last_else_the_next_one() -> None:
    from diplo_ie.events.entities import _office_on

    person = _person(("Tổng Thư ký NATO", "2014-10", "2024-10"), ("Thủ tướng", "2005-10", "2013-10"))
    assert _office_on(person, datetime.date(2025, 6, 1)) == "Tổng Thư ký NATO"
    assert _office_on(person, datetime.date(2000, 6, 1)) == "Thủ tướng"


@pytest.mark.parametrize(
    ("phrase", "local"),
    [
        ("lãnh đạo huyện Văn Giang", True),
        ("Chủ tịch UBND tỉnh Quảng Nam", True),
        ("Bí thư Huyện uỷ", True),
        ("lãnh đạo Chính phủ", False),  # the government's leadership is the country's
        ("Thị trưởng thành phố New York", False),
        ("Tỉnh trưởng", False),  # an office named by a unit's word, with no unit after it
    ],
)
def test_names_local_unit(phrase: str, local: bool) -> None:
    assert names_local_unit(phrase) is local
