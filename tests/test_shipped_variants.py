"""The shipped model gives the same events for every encoding of a seed article (line endings, Unicode
normal forms, Unicode spaces, invisible characters), with offsets into the text as given."""

from functools import reduce
from pathlib import Path

import pytest
from fuzz_inputs import check_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_canonical import VARIANTS

import diplo_ie
from diplo_ie.annotations import load_documents
from diplo_ie.text.prepare import clean_text

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor():
    return diplo_ie.load()


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, str]]:
    docs, _ = load_documents([ROOT / "annotations" / "seeds"])
    return {
        doc.id[5:8]: (
            (ROOT / "seeds" / f"{doc.meta['standoff']['article_id']}.txt").read_text(),
            doc.published,
        )
        for doc in docs
    }


def _events(extractor, text: str, published: str) -> list[tuple]:
    """What an event says, with each mention as the text it covers, normalized."""
    events = extractor.extract(text, published=published)
    for event in events:
        check_event(text, event)

    def covered(offsets) -> list[str]:
        return [clean_text(text[s:e]).text for s, e in offsets]

    return [
        (
            [(p.name, p.title, p.country, covered(p.mentions)) for p in e.participants],
            e.date.value if e.date else None,
            e.duration.minutes if e.duration else None,
            e.status,
            covered(e.call_mentions),
        )
        for e in events
    ]


@pytest.mark.parametrize(
    ("seed", "variant", "count"),
    [("000", "crlf", 2), ("000", "cr", 2), ("002", "cr", 1), ("000", "nfd", 2), ("003", "no-break space", 1)],
)
def test_reported_encodings_keep_their_events(extractor, seeds, seed, variant, count):
    text, published = seeds[seed]
    expected = _events(extractor, text, published)
    assert len(expected) == count
    assert _events(extractor, VARIANTS[variant](text), published) == expected


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.sampled_from(["000", "001", "002", "003", "004"]),
    names=st.lists(st.sampled_from(sorted(VARIANTS)), min_size=1, max_size=3),
)
def test_any_encoding_of_a_seed_gives_its_events(extractor, seeds, seed, names):
    text, published = seeds[seed]
    variant = reduce(lambda t, name: VARIANTS[name](t), names, text)
    assert _events(extractor, variant, published) == _events(extractor, text, published)
