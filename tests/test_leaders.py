from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from diplo_ie.countries import country_of
from diplo_ie.leaders import Gazetteer
from diplo_ie.titles import split_title


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_data_file_is_well_formed() -> None:
    lines = (
        resources.files("diplo_ie").joinpath("data/leaders.jsonl").read_text(encoding="utf-8").splitlines()
    )
    records = [json.loads(line) for line in lines if line.strip()]
    assert len(records) >= 300
    names = [r["name"] for r in records]
    assert len(names) == len(set(names))
    for r in records:
        assert r["offices"], r["name"]
        assert r["iso"] is None or re.fullmatch(r"[A-Z]{2}", r["iso"]), r["name"]
        assert r["wikidata"] is None or re.fullmatch(r"Q\d+", r["wikidata"]), r["name"]
        for office in r["offices"]:
            assert 1960 <= office["from"] <= 2026 and (office["to"] is None or office["from"] <= office["to"])


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
    assert [x.name for x in gaz.lookup_surname("Kim", year=2020)] == ["Kim Jong-un"]
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
    ],
)
def test_country_of(text: str, name: str, iso: str) -> None:
    country = country_of(text)
    assert country is not None and (country.name, country.iso) == (name, iso)


def test_country_of_unknown() -> None:
    assert country_of("Atlantis") is None


@pytest.mark.parametrize(
    ("phrase", "title", "country"),
    [
        ("Tổng thống Nga", "Tổng thống", "Nga"),
        ("người đồng cấp Pháp", None, "Pháp"),
        ("Ngoại trưởng Mỹ", "Ngoại trưởng", "Mỹ"),
        ("Bộ trưởng Ngoại giao Hoa Kỳ", "Ngoại trưởng", "Mỹ"),
        ("Thủ tướng Đức", "Thủ tướng", "Đức"),
        ("Tổng thống đắc cử Mỹ", "Tổng thống đắc cử", "Mỹ"),
        ("nhà lãnh đạo Triều Tiên", None, "Triều Tiên"),
        ("Thủ tướng", "Thủ tướng", None),
        ("Phó Thủ tướng Anh", "Phó Thủ tướng", "Anh"),
    ],
)
def test_split_title(phrase: str, title: str | None, country: str | None) -> None:
    parsed = split_title(phrase)
    assert parsed is not None and (parsed.title, parsed.country) == (title, country)


def test_split_title_none() -> None:
    assert split_title("Olaf Scholz") is None
