"""The sales screens in the admin, each scoped to the signed-in shop, and the Sales
menu that groups them."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from back_office.inventory.pricing import format_money
from back_office.sales.admin import views
from back_office.sales.models import Reservation
from back_office.tenancy.admin.localization import shop_time
from back_office.tenancy.admin.viewsets import RequireShopMixin, TenantModelViewSet


class ReservationViewSet(TenantModelViewSet):
    """The storefront's reservations, read-only but for Extend and Cancel on each
    one's sheet (reservations are made by customers, never in the admin)."""

    model = Reservation
    name = "reservations"
    icon = "calendar-check"
    menu_label = "Reservations"
    views_left_out = frozenset({"add", "edit", "delete"})
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = views.ReservationIndexView
    inspect_view_class = views.ReservationInspectView
    history_view_class = views.ReservationHistoryView
    list_display = [
        "reference",
        Column("piece", label="Piece"),
        Column("customer_name", label="Customer"),
        Column("branch", label="Pickup at"),
        Column(
            "quoted_total",
            label="Held price",
            accessor=lambda reservation: format_money(
                reservation.quoted_total, reservation.currency
            ),
            sort_key="quoted_total",
        ),
        Column(
            "held_until",
            label="Held until",
            accessor=lambda reservation: shop_time(reservation.held_until),
            sort_key="held_until",
        ),
        "status",
    ]
    list_filter = ["status", "branch"]
    search_fields = ["reference", "customer_name", "phone", "email", "piece__sku"]
    ordering = ["-created_at", "-id"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/extend/",
                self.construct_view(views.ExtendReservationView),
                name="extend",
            ),
            path(
                "<int:pk>/cancel/",
                self.construct_view(views.CancelReservationView),
                name="cancel",
            ),
        ]


class SalesPolicyViewSet(RequireShopMixin, ViewSet):
    """The shop's one sales policy, a settings screen (owners and managers)."""

    name = "sales_policy"
    url_prefix = "sales/settings"
    icon = "cogs"
    menu_label = "Reservation settings"
    menu_order = 900

    @cached_property
    def menu_item_class(self):
        class PolicyMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm("sales.change_salespolicy")

        return PolicyMenuItem

    def get_urlpatterns(self):
        return [path("", self.construct_view(views.SalesPolicyView), name="edit")]


class SalesViewSetGroup(ViewSetGroup):
    menu_label = "Sales"
    menu_icon = "calendar-check"
    menu_order = 250
    items = (ReservationViewSet, SalesPolicyViewSet)
