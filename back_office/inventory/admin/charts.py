"""The 30-day metal rate chart, drawn on the server as SVG: a step line (a rate is in
force until the next one), a value axis in the shop's currency and a date axis.

The value axis spans the usual rates, not every rate: one day's outlier (a feed's
glitch, a typo not yet corrected) would squash the other 29 days into a flat line.
A rate beyond the axis is drawn at its edge, marked, with its value written beside
it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from statistics import median

from django.utils import timezone
from django.utils.dateformat import format as format_date

from back_office.inventory.models import MetalRate
from back_office.inventory.pricing import format_rate
from back_office.tenancy.context import require_tenant

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 14, 30  # room for the axes' labels
#: A rate further than this from the median (as a share of it) is off the scale,
#: unless the other rates spread as far.
OUTLIER_SHARE = Decimal("0.25")
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    rate: MetalRate
    off_scale: str = ""  # "above" or "below" the value axis

    @property
    def label_anchor(self) -> str:
        """Write a point's label towards the middle, so it stays inside the box."""
        return "end" if self.x > (LEFT + WIDTH - RIGHT) / 2 else "start"


@dataclass(frozen=True)
class Tick:
    at: float  # x for a date, y for a value
    label: str


@dataclass(frozen=True)
class Chart:
    points: list[ChartPoint]
    low: Decimal | None = None  # the lowest and highest rate, outliers included
    high: Decimal | None = None
    step_line: str = ""
    value_ticks: list[Tick] = field(default_factory=list)
    date_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def off_scale(self) -> list[ChartPoint]:
        return [point for point in self.points if point.off_scale]


def _nice_step(span: Decimal) -> Decimal:
    """A round step giving about four intervals over `span`: 0.5, 1, 2.5, 10..."""
    rough = span / 4
    magnitude = Decimal(10) ** (rough.adjusted())
    return next(step * magnitude for step in NICE_STEPS if step * magnitude >= rough)


def _value_axis(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The axis' bounds: the usual rates, widened to round steps."""
    middle = median(values)
    usual = [v for v in values if abs(v - middle) <= middle * OUTLIER_SHARE] or values
    low, high = min(usual), max(usual)
    if high == low:  # one rate all month: a band of 1 % around it
        low, high = low * Decimal("0.995"), high * Decimal("1.005")
    step = _nice_step(high - low)
    return (
        (low / step).to_integral_value(rounding=ROUND_FLOOR) * step,
        (high / step).to_integral_value(rounding=ROUND_CEILING) * step,
    )


def rate_chart(rates: list[MetalRate], start: datetime, end: datetime) -> Chart:
    """Place `rates` (oldest first) on a time axis from `start` to `end`."""
    if not rates:
        return Chart(points=[])
    values = [rate.rate_per_gram for rate in rates]
    axis_low, axis_high = _value_axis(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = (end - start).total_seconds() or 1
    currency = require_tenant().currency

    def x(moment: datetime) -> float:
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y(value: Decimal) -> float:
        share = (value - axis_low) / (axis_high - axis_low)
        return TOP + plot_h * (1 - float(min(max(share, Decimal(0)), Decimal(1))))

    points = [
        ChartPoint(
            x=x(rate.effective_at),
            y=y(rate.rate_per_gram),
            rate=rate,
            off_scale="above"
            if rate.rate_per_gram > axis_high
            else "below"
            if rate.rate_per_gram < axis_low
            else "",
        )
        for rate in rates
    ]
    # Each rate holds until the next one, the last one until now.
    corners = []
    for point, following in zip(points, [*points[1:], None], strict=True):
        until = following.x if following else LEFT + plot_w
        corners += [(point.x, point.y), (until, point.y)]
    step = _nice_step(axis_high - axis_low)
    value_ticks = []
    value = axis_low
    while value <= axis_high:
        value_ticks.append(Tick(y(value), format_rate(value, currency)))
        value += step
    first_day = timezone.localtime(start).replace(hour=0, minute=0, second=0)
    date_ticks = [
        Tick(x(day), format_date(day, "j M"))
        for day in (first_day + timedelta(days=n) for n in range(1, 32, 7))
        if start <= day <= end
    ]
    return Chart(
        points=points,
        low=min(values),
        high=max(values),
        step_line=" ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners),
        value_ticks=value_ticks,
        date_ticks=date_ticks,
    )
