"""A shop's history: every entry of its log (ShopLogEntry) on one screen, with
Wagtail's site history filters and export, for the people allowed to read it.

Wagtail's own site history joins every log model of every shop and is the
platform's; this is one shop's, scoped by the shop's manager and by RLS.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Value
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_actions

from back_office.tenancy.admin.viewsets import RequireShopMixin
from back_office.tenancy.models import ShopLogEntry
from back_office.tenancy.services import record_export

PERMISSION = "tenancy.view_shoplogentry"


class EventFormatter(LogFormatter):
    """An entry's message with what its data says: "Role changed (role: Sales →
    Owner)", "Signed in (address: 203.0.113.9)"."""

    def format_message(self, log_entry):
        data = dict(log_entry.data or {})
        details = [
            f"{name}: {before or '—'} → {after or '—'}"
            for name, (before, after) in data.pop("changes", {}).items()
        ]
        details += [f"{name}: {value}" for name, value in data.items()]
        return f"{self.message} ({'; '.join(details)})" if details else self.message


def register_events(actions, events: dict[str, tuple[str, str]]) -> None:
    """Register each action (label, message) with a message showing its data."""
    for action, (label, message) in events.items():
        actions.register_action(action)(
            type("Event", (EventFormatter,), {"label": label, "message": message})
        )


def _shop_entries():
    return ShopLogEntry.objects.all()


class ShopHistoryFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(
        label="Type",
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in=_shop_entries().get_content_type_ids()
        ).order_by("model"),
    )

    def get_action_choices(self):
        used = _shop_entries().get_actions()
        return [choice for choice in log_actions.get_choices() if choice[0] in used]

    def get_user_choices(self):
        User = get_user_model()
        return User.objects.filter(pk__in=_shop_entries().get_user_ids()).order_by(
            User.USERNAME_FIELD
        )

    class Meta:
        model = ShopLogEntry
        fields = []


class ShopHistoryView(LogEntriesView):
    page_title = "Shop history"
    template_name = "tenancy/shop_history.html"
    filterset_class = ShopHistoryFilterSet

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"history-{super().get_filename()}"

    def get_filtered_queryset(self):
        # The shop's log model alone (the site history joins them all).
        self.log_models = [ShopLogEntry]
        entries = _shop_entries().values("pk", "timestamp")
        entries = entries.annotate(log_model_index=Value(0, IntegerField()))
        return self.filter_queryset(entries).order_by("-timestamp", "-pk")

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            record_export(ShopLogEntry, self.request)
        return super().render_to_response(context, **response_kwargs)


class ShopHistoryViewSet(RequireShopMixin, ViewSet):
    name = "history"
    icon = "history"
    menu_label = "History"

    @cached_property
    def menu_item_class(self):
        class HistoryMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(PERMISSION)

        return HistoryMenuItem

    def get_urlpatterns(self):
        names = {
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", self.construct_view(ShopHistoryView, **names), name="index"),
            path(
                "results/",
                self.construct_view(ShopHistoryView, results_only=True, **names),
                name="index_results",
            ),
        ]
