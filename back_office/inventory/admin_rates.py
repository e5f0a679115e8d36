"""Metal rate screens: today's rates with a 30-day chart, the rate history with
manual entry, and the shop's rate feed settings.

Rates are append-only: a new rate is entered through `record_rate`, never edited or
deleted; a correction is a newer rate.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log

from back_office.inventory.models import MetalRate, RateFeed
from back_office.inventory.purity import Metal
from back_office.inventory.queries import latest_rates
from back_office.inventory.rates import RateError, record_rate
from back_office.tenants.context import require_tenant
from back_office.tenants.viewsets import TenantModelViewSet

HISTORY_DAYS = 30
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 160, 12


class NoSuchScreen(View):
    """Stands in for a generic view that must not exist here.

    Wagtail's ModelViewSet always routes add, edit and delete (it has no switch for
    them), so the screens this module does not offer answer 404 themselves.
    """

    template_name = None  # the ViewSet asks every view class for one

    def dispatch(self, request, *args, **kwargs):
        raise Http404


# The 30-day chart, drawn on the server as SVG


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


class CurrentRatesView(WagtailAdminTemplateMixin, TemplateView):
    """Today's rate per metal, each with its last 30 days."""

    template_name = "inventory/current_rates.html"
    page_title = "Today's metal rates"
    header_icon = "pick"
    _show_breadcrumbs = True
    add_url_name = None
    index_url_name = None
    feed_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("inventory.view_metalrate"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": "Metal rates"}]

    @cached_property
    def header_buttons(self):
        user = self.request.user
        buttons = [
            HeaderButton("All rates", reverse(self.index_url_name), icon_name="list-ul")
        ]
        if user.has_perm("inventory.add_metalrate"):
            buttons.insert(
                0,
                HeaderButton(
                    "Enter a rate", reverse(self.add_url_name), icon_name="plus"
                ),
            )
        if user.has_perm("inventory.change_ratefeed"):
            buttons.append(
                HeaderButton("Rate feed", reverse(self.feed_url_name), icon_name="cogs")
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        start = now - timedelta(days=HISTORY_DAYS)
        today = latest_rates(at=now)
        history: dict[str, list[MetalRate]] = {metal: [] for metal in Metal.values}
        window = MetalRate.objects.filter(effective_at__gt=start, effective_at__lte=now)
        for rate in window.order_by("effective_at", "id"):
            history[rate.metal].append(rate)
        context["currency"] = require_tenant().currency
        context["metals"] = [
            {
                "metal": metal,
                "label": label,
                "current": today.get(metal),
                "chart": rate_chart(history[metal], start, now),
            }
            for metal, label in Metal.choices
        ]
        context["feed"] = RateFeed.objects.first()
        context["history_days"] = HISTORY_DAYS
        return context


# Rate history and manual entry


class MetalRateCreateView(CreateView):
    """A rate entered by hand goes through record_rate, like the feed's."""

    def get_initial(self):
        return {**super().get_initial(), "effective_at": timezone.now()}

    def save_instance(self):
        entered = self.form.instance
        rate = record_rate(
            entered.metal, entered.rate_per_gram, entered.effective_at, "manual"
        )
        log(instance=rate, action="wagtail.create", user=self.request.user)
        return rate

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RateError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return f"{instance} is in force from {instance.effective_at:%Y-%m-%d %H:%M}."

    def get_success_url(self):
        return reverse("metal_rates:current")

    def get_success_buttons(self):
        return []


class MetalRateViewSet(TenantModelViewSet):
    """The rate history; new rates are added, never edited or deleted."""

    model = MetalRate
    name = "metal_rates"
    icon = "pick"
    menu_label = "Metal rates"
    add_view_class = MetalRateCreateView
    form_fields = ["metal", "rate_per_gram", "effective_at"]
    list_display = ["metal", "rate_per_gram", "effective_at", "source", "created_at"]
    list_filter = ["metal", "source"]
    ordering = ["-effective_at", "-id"]
    edit_view_class = NoSuchScreen
    delete_view_class = NoSuchScreen
    copy_view_enabled = False
    inspect_view_enabled = False

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("current"))

    def get_urlpatterns(self):
        current = self.construct_view(
            CurrentRatesView,
            add_url_name=self.get_url_name("add"),
            index_url_name=self.get_url_name("index"),
            feed_url_name="rate_feed:index",
        )
        return [*super().get_urlpatterns(), path("current/", current, name="current")]


# The shop's feed settings: one row per shop


class RateFeedIndexView(IndexView):
    """There is one feed per shop: open it, creating it on the first visit."""

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("inventory.change_ratefeed"):
            raise PermissionDenied
        feed, created = RateFeed.objects.get_or_create()
        if created:
            log(instance=feed, action="wagtail.create", user=request.user)
        return redirect(self.edit_url_name, feed.pk)


class RateFeedEditView(EditView):
    def get_success_url(self):
        return reverse("metal_rates:current")

    def get_success_message(self):
        return "Rate feed settings saved."

    def get_success_buttons(self):
        return []


class RateFeedViewSet(TenantModelViewSet):
    model = RateFeed
    name = "rate_feed"
    icon = "cogs"
    menu_label = "Rate feed"
    index_view_class = RateFeedIndexView
    edit_view_class = RateFeedEditView
    add_view_class = NoSuchScreen  # created on the first visit, one per shop
    delete_view_class = NoSuchScreen  # switched off with `enabled`, never deleted
    copy_view_enabled = False
    inspect_view_enabled = False
    panels = [
        FieldPanel("enabled"),
        FieldPanel("url"),
        FieldPanel("max_change_percent"),
        FieldPanel("last_success_at", read_only=True),
        FieldPanel("last_error", read_only=True),
        FieldPanel("last_error_at", read_only=True),
    ]

    def get_form_fields(self):
        return ["enabled", "url", "max_change_percent"]
