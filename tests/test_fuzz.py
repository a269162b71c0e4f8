"""Fuzzing the extractor with the shipped model: a fixed set of hostile inputs (tests/fuzz_inputs.py) on
every run; ``python bench/fuzz.py`` runs the same property on many more."""

import pytest
from fuzz_inputs import check_extraction, published, texts
from hypothesis import HealthCheck, given, settings

import diplo_ie

pytestmark = pytest.mark.slow
EXAMPLES = 30


@pytest.fixture(scope="module")
def extractor():
    return diplo_ie.load()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: a test failure is a regression, never bad luck
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(text=texts, date=published)
def test_any_input_gives_valid_events_or_an_input_error(extractor, text, date):
    check_extraction(extractor, text, date)
