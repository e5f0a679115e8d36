"""The 30-day rate chart: a value axis of round steps in the shop's currency, a date
axis, and a scale that one outlying rate does not squash."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from back_office.inventory.admin.charts import TOP, rate_chart
from back_office.inventory.models import MetalRate
from back_office.tenancy.context import tenant_context

END = datetime(2026, 12, 1, 12, tzinfo=UTC)
START = END - timedelta(days=30)


@pytest.fixture
def in_shop(aurum):
    with tenant_context(aurum):
        yield


def _rates(*values):
    """Unsaved rates, one a day, ending the day before END."""
    return [
        MetalRate(
            metal="gold",
            rate_per_gram=Decimal(value),
            effective_at=END - timedelta(days=len(values) - n),
        )
        for n, value in enumerate(values)
    ]


def test_the_value_axis_is_in_round_steps_of_money(in_shop):
    chart = rate_chart(_rates("84.90", "86.10", "87.60"), START, END)

    # 84.90 to 87.60: a step of 1 (about four steps), the ends rounded out.
    assert [tick.label for tick in chart.value_ticks] == [
        "USD 84.00/g",
        "USD 85.00/g",
        "USD 86.00/g",
        "USD 87.00/g",
        "USD 88.00/g",
    ]


def test_the_date_axis_marks_a_day_each_week(in_shop):
    chart = rate_chart(_rates("86.10", "86.20"), START, END)

    assert [tick.label for tick in chart.date_ticks] == [
        "2 Nov",
        "9 Nov",
        "16 Nov",
        "23 Nov",
        "30 Nov",
    ]


def test_one_outlying_rate_is_drawn_at_the_edge_and_keeps_the_scale(in_shop):
    usual = [f"{86 + n / 10:.2f}" for n in range(10)]
    chart = rate_chart(_rates(*usual[:5], "872.50", *usual[5:]), START, END)

    outlier = chart.off_scale
    assert [point.rate.rate_per_gram for point in outlier] == [Decimal("872.50")]
    assert outlier[0].off_scale == "above"
    assert outlier[0].y == TOP
    assert chart.value_ticks[-1].label == "USD 87.00/g"  # not 900
    assert chart.high == Decimal("872.50")  # the title still tells the range


def test_a_rate_unchanged_all_month_gets_a_band_around_it(in_shop):
    chart = rate_chart(_rates("86.40"), START, END)

    labels = [tick.label for tick in chart.value_ticks]
    assert labels[0] < "USD 86.40/g" < labels[-1]
    assert not chart.off_scale
