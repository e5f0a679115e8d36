"""The sales panel of the admin's dashboard: today's sales and the last 30 days as
a bar chart (SVG drawn on the server, no script)."""

from dataclasses import dataclass
from decimal import Decimal

from wagtail.admin.ui.components import Component

from back_office.inventory.pricing import format_money
from back_office.sales import queries
from back_office.tenancy.context import require_tenant

WIDTH, HEIGHT, BOTTOM = 600, 160, 20


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # what a reader hears and sees on hover


class SalesSummaryPanel(Component):
    name = "sales_summary"
    order = 40
    template_name = "sales/panels/sales_summary.html"

    def get_context_data(self, parent_context=None):
        currency = require_tenant().currency
        days = queries.daily_takings(30)
        top = max((day.total for day in days), default=Decimal(0)) or Decimal(1)
        step = WIDTH / len(days)
        bars = []
        for n, day in enumerate(days):
            height = float(day.total / top) * (HEIGHT - BOTTOM)
            bars.append(
                Bar(
                    x=n * step + 1,
                    y=HEIGHT - BOTTOM - height,
                    width=step - 2,
                    height=height,
                    label=f"{day.date:%a %d %b}: {day.count} sales, "
                    f"{format_money(day.total, currency)}",
                )
            )
        today = days[-1]
        return {
            "today": today,
            "currency": currency,
            "month_total": sum((day.total for day in days), Decimal(0)),
            "month_count": sum(day.count for day in days),
            "bars": bars,
            "first": days[0].date,
            "last": today.date,
            "width": WIDTH,
            "height": HEIGHT,
            "axis": HEIGHT - BOTTOM,
            "top": format_money(top, currency) if top > 1 else "",
        }
