"""Country names, aliases and metonyms as Vietnamese media write them, resolved to (name, ISO alpha-2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from diplo_ie.normalize.text import fold, strip_diacritics


@dataclass(frozen=True)
class Country:
    name: str  # canonical Vietnamese name: "Mỹ", "Nga", "A-rập Xê-út"
    iso: str | None  # ISO 3166-1 alpha-2; None for organisations without one


# canonical name, ISO code, aliases (other spellings, transliterations, capitals and seats used as metonyms)
_TABLE: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("Việt Nam", "VN", ("Hà Nội", "Vietnam")),
    ("Mỹ", "US", ("Hoa Kỳ", "Hợp chúng quốc Hoa Kỳ", "Washington", "Nhà Trắng", "USA", "Mĩ")),
    ("Nga", "RU", ("Liên bang Nga", "Moscow", "Moskva", "Mát-xcơ-va", "Điện Kremlin", "Kremlin", "Russia")),
    ("Trung Quốc", "CN", ("Bắc Kinh", "China", "Trung Hoa")),
    ("Nhật Bản", "JP", ("Nhật", "Tokyo", "Japan")),
    ("Hàn Quốc", "KR", ("Seoul", "Đại Hàn", "South Korea")),
    ("Triều Tiên", "KP", ("CHDCND Triều Tiên", "Bình Nhưỡng", "Bắc Triều Tiên", "North Korea")),
    ("Đài Loan", "TW", ("Đài Bắc", "Taiwan")),
    ("Đức", "DE", ("CHLB Đức", "Berlin", "Germany")),
    ("Pháp", "FR", ("Paris", "Điện Elysee", "Điện Élysée", "France")),
    ("Anh", "GB", ("Vương quốc Anh", "London", "Luân Đôn", "Britain", "UK")),
    ("Italy", "IT", ("Ý", "I-ta-li-a", "Rome", "Italia")),
    ("Canada", "CA", ("Ca-na-đa", "Ottawa")),
    ("Australia", "AU", ("Úc", "Ô-xtrây-li-a", "Canberra")),
    ("Ấn Độ", "IN", ("New Delhi", "India")),
    ("Brazil", "BR", ("Bra-xin", "Brasilia")),
    ("Mexico", "MX", ("Mê-hi-cô", "Mexico City")),
    ("Argentina", "AR", ("Ác-hen-ti-na", "Buenos Aires")),
    ("Nam Phi", "ZA", ("South Africa",)),
    ("A-rập Xê-út", "SA", ("Saudi Arabia", "Ả Rập Xê Út", "Ả-rập Xê-út", "Arab Saudi", "Riyadh")),
    ("Thổ Nhĩ Kỳ", "TR", ("Türkiye", "Turkey", "Ankara")),
    ("Indonesia", "ID", ("In-đô-nê-xi-a", "Jakarta")),
    ("Lào", "LA", ("Viêng Chăn", "Vientiane")),
    ("Campuchia", "KH", ("Cam-pu-chia", "Phnom Penh", "Phnôm Pênh")),
    ("Thái Lan", "TH", ("Bangkok", "Băng Cốc", "Thailand")),
    ("Malaysia", "MY", ("Ma-lai-xi-a", "Kuala Lumpur")),
    ("Singapore", "SG", ("Xinh-ga-po", "Xin-ga-po")),
    ("Philippines", "PH", ("Phi-líp-pin", "Philippin", "Manila")),
    ("Myanmar", "MM", ("Mi-an-ma", "Miến Điện", "Naypyidaw")),
    ("Brunei", "BN", ("Bru-nây",)),
    ("Đông Timor", "TL", ("Timor-Leste", "Timor Leste")),
    ("Ukraine", "UA", ("U-crai-na", "Ucraina", "Kiev", "Kyiv", "Ki-ép")),
    ("Belarus", "BY", ("Bê-la-rút", "Minsk")),
    ("Kazakhstan", "KZ", ("Ca-dắc-xtan",)),
    ("Tây Ban Nha", "ES", ("Madrid", "Spain")),
    ("Ba Lan", "PL", ("Warsaw", "Vác-sa-va", "Poland")),
    ("Hà Lan", "NL", ("The Hague", "Netherlands")),
    ("Hungary", "HU", ("Hung-ga-ri", "Budapest")),
    ("Áo", "AT", ("Vienna", "Austria")),
    ("Bỉ", "BE", ("Brussels", "Belgium")),
    ("Thụy Điển", "SE", ("Stockholm", "Sweden")),
    ("Phần Lan", "FI", ("Helsinki", "Finland")),
    ("Đan Mạch", "DK", ("Copenhagen", "Denmark")),
    ("Na Uy", "NO", ("Oslo", "Norway")),
    ("Hy Lạp", "GR", ("Athens", "Greece")),
    ("Bồ Đào Nha", "PT", ("Lisbon", "Portugal")),
    ("Séc", "CZ", ("CH Séc", "Cộng hòa Séc", "Praha", "Czech")),
    ("Slovakia", "SK", ("Xlô-va-ki-a",)),
    ("Romania", "RO", ("Ru-ma-ni",)),
    ("Bulgaria", "BG", ("Bun-ga-ri",)),
    ("Ireland", "IE", ("Ai-len", "Dublin")),
    ("Thụy Sĩ", "CH", ("Bern", "Switzerland")),
    ("Luxembourg", "LU", ("Lúc-xăm-bua",)),
    ("Estonia", "EE", ("E-xtô-ni-a",)),
    ("Malta", "MT", ()),
    ("Israel", "IL", ("I-xra-en", "Tel Aviv", "Jerusalem")),
    ("Palestine", "PS", ("Palestin", "Pa-le-xtin")),
    ("Iran", "IR", ("I-ran", "Tehran", "Tê-hê-ran")),
    ("Ai Cập", "EG", ("Cairo", "Egypt")),
    (
        "UAE",
        "AE",
        ("Các Tiểu vương quốc A-rập Thống nhất", "Các Tiểu vương quốc Ả Rập Thống nhất", "Abu Dhabi"),
    ),
    ("Qatar", "QA", ("Ca-ta", "Doha")),
    ("Syria", "SY", ("Xy-ri", "Damascus")),
    ("Iraq", "IQ", ("I-rắc", "Baghdad")),
    ("Jordan", "JO", ("Gioóc-đa-ni", "Amman")),
    ("Liban", "LB", ("Li-băng", "Lebanon", "Beirut")),
    ("Oman", "OM", ("Ô-man",)),
    ("Bahrain", "BH", ("Ba-ranh",)),
    ("Kuwait", "KW", ("Cô-oét",)),
    ("Venezuela", "VE", ("Vê-nê-xu-ê-la", "Caracas")),
    ("Cuba", "CU", ("Cu-ba", "La Habana", "Havana")),
    ("Colombia", "CO", ("Cô-lôm-bi-a",)),
    ("Chile", "CL", ("Chi-lê",)),
    ("Pakistan", "PK", ("Pa-ki-xtan", "Islamabad")),
    ("Bangladesh", "BD", ("Băng-la-đét",)),
    ("Azerbaijan", "AZ", ("A-déc-bai-gian",)),
    ("Armenia", "AM", ("Ác-mê-ni-a",)),
    ("Gruzia", "GE", ("Georgia", "Gru-di-a")),
    ("Uzbekistan", "UZ", ("U-dơ-bê-ki-xtan",)),
    ("Tajikistan", "TJ", ("Tát-gi-ki-xtan",)),
    ("Mông Cổ", "MN", ("Ulan Bator", "Mongolia")),
    ("New Zealand", "NZ", ("Niu Di-lân", "Wellington")),
    ("Nigeria", "NG", ("Ni-giê-ri-a",)),
    ("Kenya", "KE", ("Kê-ni-a",)),
    ("Ethiopia", "ET", ("Ê-ti-ô-pi-a",)),
    ("Rwanda", "RW", ("Ru-an-đa",)),
    ("Maroc", "MA", ("Morocco", "Ma-rốc")),
    ("Algeria", "DZ", ("An-giê-ri",)),
    ("Tunisia", "TN", ("Tuy-ni-di",)),
    ("Ghana", "GH", ("Ga-na",)),
    ("Sri Lanka", "LK", ("Xri Lan-ca",)),
    ("Liên Hợp Quốc", None, ("LHQ", "Liên hợp quốc", "UN")),
    ("NATO", None, ("Tổ chức Hiệp ước Bắc Đại Tây Dương",)),
    ("Liên minh châu Âu", "EU", ("EU", "Liên minh Châu Âu")),
    ("ASEAN", None, ("Hiệp hội các quốc gia Đông Nam Á",)),
)
# "người Mỹ", "phía Nga", "nước Pháp" name the country too; these words are dropped before lookup.
_PREFIX = re.compile(r"^(?:người|phía|nước|chính phủ|chính quyền)\s+", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


@cache
def _index() -> tuple[dict[str, Country], dict[str, Country]]:
    exact: dict[str, Country] = {}
    loose: dict[str, Country] = {}
    for name, iso, aliases in _TABLE:
        country = Country(name, iso)
        for form in (name, *aliases):
            exact.setdefault(_key(form), country)
            loose.setdefault(strip_diacritics(_key(form)), country)
    return exact, loose


def country_of(text: str) -> Country | None:
    """Resolve a country name, alias, capital or demonym phrase ("người Mỹ") to its canonical form."""
    if not isinstance(text, str):
        return None
    key = _key(_PREFIX.sub("", text.strip()))
    exact, loose = _index()
    # Exact (diacritics kept) first: "Úc" and "Uc", "Ý" must not collide with unrelated ASCII forms.
    return exact.get(key) or loose.get(strip_diacritics(key))


def country_names() -> list[str]:
    """Every surface form known, longest first (for building matchers)."""
    forms = {form for name, _iso, aliases in _TABLE for form in (name, *aliases)}
    return sorted(forms, key=len, reverse=True)
