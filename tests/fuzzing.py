"""Hypothesis settings and strategies for the fuzzing tests (tests/**/test_fuzzing.py).

`nasty` is input as people and attackers type it: numbers in every spelling
(exponents, other scripts' digits, superscripts, NaN), text with control characters
and NUL bytes, very long values, and the plausible values around them.

The examples are the same on every run (derandomize): a failure in CI is
reproducible on any machine. Each example runs in `rolled_back()`, so examples do
not see each other's rows.
"""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
ODD_SPELLINGS = [
    "", " ", "0", "-0", "-1", "1e9", "1E-400", "NaN", "-Infinity", "1,5", "1.2.3",
    "٣٫٥", "²", "５", "0x10", "9" * 40, "0.0000001", " 12 ", "18K", "750‰", "\x00",
    "1\x00", "\t", "\u202e5", "None", "null", "-", "+5",
]  # fmt: skip
nasty = st.one_of(
    st.sampled_from(ODD_SPELLINGS),
    st.text(max_size=30),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


@contextmanager
def rolled_back():
    """The block's writes are undone, as if the example had never run."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
