"""The sales screens in the admin, each scoped to the signed-in shop, and the Sales
menu that groups them: the counter, sales, customers, reservations, the till and
the shop's sales settings."""

import django_filters
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from back_office.inventory.pricing import format_money
from back_office.sales.admin import counter, customers, sales, till, views
from back_office.sales.models import Customer, Reservation, Sale, TillDay
from back_office.tenancy.admin.localization import shop_time
from back_office.tenancy.admin.viewsets import RequireShopMixin, TenantModelViewSet


def _money_of_shop(field: str, label: str) -> Column:
    """A money column of a row that has no currency of its own (the shop's)."""
    return Column(
        field,
        label=label,
        accessor=lambda row: (
            ""
            if getattr(row, field) is None
            else format_money(getattr(row, field), row.tenant.currency)
        ),
        sort_key=field,
    )


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


def _money(field: str, label: str) -> Column:
    return Column(
        field,
        label=label,
        accessor=lambda row: format_money(getattr(row, field), row.currency),
        sort_key=field,
    )


class CounterViewSet(RequireShopMixin, ViewSet):
    """The counter: start or resume a sale, and the sale in progress."""

    name = "counter"
    url_prefix = "sales/counter"
    icon = "form"
    menu_label = "Counter"
    menu_order = 100

    @cached_property
    def menu_item_class(self):
        class CounterMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(counter.SELL)

        return CounterMenuItem

    def get_urlpatterns(self):
        return [
            path("", self.construct_view(counter.CounterHomeView), name="home"),
            path("<int:pk>/", self.construct_view(counter.CounterView), name="sale"),
            path(
                "<int:pk>/<slug:action>/",
                self.construct_view(counter.CounterView),
                name="action",
            ),
        ]


class SaleFilterSet(WagtailFilterSet):
    completed = django_filters.DateFromToRangeFilter(
        field_name="completed_at__date", label="Date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Sale
        fields = ["status", "branch"]


class SaleViewSet(TenantModelViewSet):
    """Completed and voided sales: the listing (exported as CSV or XLSX for the
    dates chosen), each sale's sheet, receipt, invoice, return and void."""

    model = Sale
    name = "sales"
    icon = "tasks"
    menu_label = "Sales"
    menu_order = 200
    views_left_out = frozenset({"add", "edit", "delete"})
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = sales.SaleIndexView
    inspect_view_class = sales.SaleInspectView
    filterset_class = SaleFilterSet
    ordering = ["-completed_at", "-id"]
    list_display = [
        Column("number", label="Sale", sort_key="number"),
        Column(
            "completed_at",
            label="Completed",
            accessor=lambda sale: shop_time(sale.completed_at),
            sort_key="completed_at",
        ),
        Column("branch", label="Branch"),
        Column("customer", label="Customer"),
        Column("served_by", label="By"),
        _money("total", "Total"),
        "status",
    ]
    search_fields = ["customer__name", "customer__phone", "lines__sku"]
    list_export = [
        "number",
        "completed_at",
        "branch",
        "customer",
        "served_by",
        "subtotal",
        "discount_total",
        "tax",
        "total",
        "change_given",
        "status_label",
        "void_reason",
    ]
    export_headings = {
        "number": "Sale",
        "completed_at": "Completed",
        "served_by": "Sold by",
        "subtotal": "Before tax",
        "discount_total": "Discount",
        "change_given": "Change",
        "status_label": "Status",
    }
    export_filename = "sales"

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/receipt/",
                self.construct_view(sales.ReceiptView),
                name="receipt",
            ),
            path(
                "<int:pk>/invoice/",
                self.construct_view(sales.InvoiceView),
                name="invoice",
            ),
            path(
                "<int:pk>/return/",
                self.construct_view(sales.ReturnSaleView),
                name="return",
            ),
            path(
                "<int:pk>/void/", self.construct_view(sales.VoidSaleView), name="void"
            ),
        ]


class CustomerViewSet(TenantModelViewSet):
    model = Customer
    name = "customers"
    icon = "user"
    menu_label = "Customers"
    menu_order = 300
    copy_view_enabled = False
    inspect_view_enabled = True
    views_left_out = frozenset({"delete"})
    add_view_class = customers.CustomerCreateView
    edit_view_class = customers.CustomerEditView
    inspect_view_class = customers.CustomerInspectView
    form_fields = ["name", "phone", "email", "notes"]
    list_display = ["name", "phone", "email", "last_purchase_at"]
    search_fields = ["name", "phone", "email"]
    ordering = ["name"]


class TillDayViewSet(TenantModelViewSet):
    """Each branch's day at the till and the days before (owners and managers see
    the variances)."""

    model = TillDay
    name = "till"
    url_prefix = "sales/till"
    icon = "lock"
    menu_label = "Till"
    menu_order = 400
    views_left_out = frozenset({"add", "edit", "delete"})
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = till.TillDayIndexView
    inspect_view_class = till.TillDayInspectView
    list_display = [
        Column(
            "business_date",
            label="Day",
            accessor=lambda day: f"{day.business_date:%a %d %b %Y}",
            sort_key="business_date",
        ),
        Column("branch", label="Branch"),
        "status",
        _money_of_shop("opening_float", "Float"),
        _money_of_shop("expected_cash", "Cash expected"),
        _money_of_shop("counted_cash", "Counted"),
        _money_of_shop("variance", "Variance"),
    ]
    list_filter = ["branch", "status"]
    ordering = ["-opened_at", "-id"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "open/<int:branch>/",
                self.construct_view(till.OpenDayView),
                name="open",
            ),
            path(
                "<int:pk>/float/", self.construct_view(till.SetFloatView), name="float"
            ),
            path(
                "<int:pk>/close/", self.construct_view(till.CloseDayView), name="close"
            ),
        ]


class SalesPolicyViewSet(RequireShopMixin, ViewSet):
    """The shop's one sales policy, a settings screen (owners and managers)."""

    name = "sales_policy"
    url_prefix = "sales/settings"
    icon = "cogs"
    menu_label = "Sales settings"
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
    items = (
        CounterViewSet,
        SaleViewSet,
        CustomerViewSet,
        ReservationViewSet,
        TillDayViewSet,
        SalesPolicyViewSet,
    )
