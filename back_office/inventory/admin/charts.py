"""The 30-day metal rate chart, drawn on the server as SVG."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from back_office.inventory.models import MetalRate

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 160, 12


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    rate: MetalRate


@dataclass(frozen=True)
class Chart:
    """One metal's rates over a window, scaled into the SVG's box."""

    points: list[ChartPoint]
    low: Decimal | None
    high: Decimal | None
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def rate_chart(rates: list[MetalRate], start: datetime, end: datetime) -> Chart:
    """Place `rates` (oldest first) on a time axis from `start` to `end`."""
    if not rates:
        return Chart(points=[], low=None, high=None)
    values = [rate.rate_per_gram for rate in rates]
    low, high = min(values), max(values)
    span = (end - start).total_seconds() or 1
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD

    def y(value: Decimal) -> float:
        if high == low:
            return CHART_HEIGHT / 2
        return CHART_PAD + inner_h * float((high - value) / (high - low))

    points = [
        ChartPoint(
            x=CHART_PAD + inner_w * (rate.effective_at - start).total_seconds() / span,
            y=y(rate.rate_per_gram),
            rate=rate,
        )
        for rate in rates
    ]
    return Chart(points=points, low=low, high=high)
