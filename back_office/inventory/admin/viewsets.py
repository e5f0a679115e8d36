"""The inventory's screens in the admin, each scoped to the signed-in shop, and the
Inventory menu that groups them with the stock tools (admin/urls.py)."""

import django_filters
from django.db.models import Prefetch
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from back_office.inventory import queries
from back_office.inventory.admin import views
from back_office.inventory.admin.columns import CorrectionColumn, ThumbnailColumn
from back_office.inventory.admin.forms import MetalRateForm, PieceForm
from back_office.inventory.admin.panels import PricePreviewPanel
from back_office.inventory.importing import EXPORT_FIELDS
from back_office.inventory.models import (
    Category,
    MetalRate,
    Piece,
    RateFeed,
    StockItem,
    StockLevel,
    StockMovement,
)
from back_office.inventory.pricing import format_money, format_rate, format_weight
from back_office.tenancy.admin.forms import RowsPanel
from back_office.tenancy.admin.localization import shop_time
from back_office.tenancy.admin.menu import PermissionMenuItem
from back_office.tenancy.admin.viewsets import TenantModelViewSet, TenantSnippetViewSet
from back_office.tenancy.context import require_tenant


def _in_shop_currency(name: str, label: str, formatter) -> Column:
    """A listing column of an amount, written in the shop's currency."""
    return Column(
        name,
        label=label,
        accessor=lambda row: formatter(getattr(row, name), require_tenant().currency),
    )


class CategoryViewSet(TenantModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PieceFilterSet(WagtailFilterSet):
    price = django_filters.RangeFilter(
        label="Price today", method="filter_price", help_text="What the customer pays."
    )

    class Meta:
        model = Piece
        fields = ["category", "metal", "fineness", "status", "branch"]

    def filter_queryset(self, pieces):
        """Written-off pieces are out of the stock: listed only when asked for."""
        pieces = super().filter_queryset(pieces)
        if not self.form.cleaned_data.get("status"):
            pieces = pieces.exclude(status=Piece.Status.WRITTEN_OFF)
        return pieces

    def filter_price(self, pieces, name, value):
        pieces = queries.with_price_today(pieces)
        if value.start is not None:
            pieces = pieces.filter(price_today__gte=value.start)
        if value.stop is not None:
            pieces = pieces.filter(price_today__lte=value.stop)
        return pieces


class PieceViewSet(TenantSnippetViewSet):
    model = Piece
    icon = "tag"
    menu_label = "Pieces"
    index_view_class = views.PieceIndexView
    add_view_class = views.PieceCreateView
    edit_view_class = views.PieceEditView
    inspect_view_class = views.PieceInspectView
    base_form_class = PieceForm
    inspect_view_enabled = True
    list_display = [
        "sku",
        ThumbnailColumn(),
        "title",
        "purity",
        Column(
            "net_weight_g",
            label="Net weight",
            accessor=lambda piece: format_weight(piece.net_weight_g),
            sort_key="net_weight_g",
            classname="piece-number",
        ),
        Column(
            "price_today",
            label="Price today",
            accessor=lambda piece: (
                "No rate"
                if piece.price_today is None
                else format_money(piece.price_today, require_tenant().currency)
            ),
            sort_key="price_today",
            classname="piece-number",
        ),
        "status",
        "branch",
    ]
    filterset_class = PieceFilterSet
    search_fields = ["sku", "title", "hallmark", "stones__certificate_number"]
    # Staff search by part of a SKU or a certificate number: the database's own
    # matching, not the storefront's word search (Piece.search_fields).
    search_backend_name = None
    # The import's columns (importing.py), so an exported listing can be imported.
    list_export = list(EXPORT_FIELDS)
    export_headings = EXPORT_FIELDS
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sku"), FieldPanel("title")]),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("category"), FieldPanel("branch")]),
            ],
            heading="Piece",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("metal"), FieldPanel("purity"), FieldPanel("colour")]
                ),
                FieldRowPanel(
                    [FieldPanel("other_fineness"), FieldPanel("confirm_purity")]
                ),
                FieldRowPanel(
                    [FieldPanel("gross_weight_g"), FieldPanel("net_weight_g")]
                ),
                FieldRowPanel([FieldPanel("hallmark"), FieldPanel("size")]),
            ],
            heading="Metal and weight",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pricing_mode"), FieldPanel("tag_price")]),
                FieldRowPanel(
                    [FieldPanel("making_charge_type"), FieldPanel("making_charge")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("cost", permission="inventory.view_cost"),
                        FieldPanel("shown_on_storefront"),
                    ]
                ),
                PricePreviewPanel(heading="Price today"),
            ],
            heading="Price",
        ),
        RowsPanel("stones", heading="Stones", label="Stone"),
        RowsPanel("photos", heading="Photos", label="Photo"),
    ]

    def get_queryset(self, request):
        return Piece.objects.select_related("category", "branch")


def _on_hand(item) -> str:
    """Per branch, then in all: "Main Street 22 · Riverside Mall 10 (32)"."""
    levels = [level for level in item.levels.all() if level.quantity]
    if not levels:
        return "None"
    text = " · ".join(
        f"{level.branch} {item.quantity_text(level.quantity)}" for level in levels
    )
    if len(levels) == 1:
        return text
    return f"{text} ({item.quantity_text(sum(level.quantity for level in levels))})"


class StockItemViewSet(TenantModelViewSet):
    """Goods counted by quantity; each item's stock screen (inspect) receives,
    transfers and adjusts it."""

    model = StockItem
    icon = "list-ul"
    menu_label = "Quantity stock"
    index_view_class = views.StockItemIndexView
    inspect_view_class = views.StockItemInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = [
        "sku",
        "title",
        "category",
        "unit",
        "metal",
        "fineness",
        "unit_price",
        "low_stock_threshold",
    ]
    list_display = [
        "sku",
        "title",
        _in_shop_currency("unit_price", "Unit price", format_money),
        Column("on_hand", label="On hand", accessor=_on_hand),
    ]
    list_filter = ["category", "unit"]
    search_fields = ["sku", "title"]

    def get_queryset(self, request):
        levels = StockLevel.objects.select_related("branch").order_by("branch__name")
        return StockItem.objects.prefetch_related(Prefetch("levels", levels))


class StockMovementViewSet(TenantModelViewSet):
    """The ledger, read-only: entries are written by the stock operations."""

    model = StockMovement
    views_left_out = frozenset({"add", "edit", "delete"})
    icon = "history"
    menu_label = "Stock ledger"
    list_display = ["created_at", "kind", "piece", "item", "branch", "quantity_delta"]
    list_filter = ["kind", "branch"]
    search_fields = ["piece__sku", "item__sku", "reference"]
    copy_view_enabled = False
    inspect_view_enabled = True


class MetalRateViewSet(TenantModelViewSet):
    """Today's rates and the rate history; new rates are added, never edited or
    deleted: a wrong one is replaced by a correction (services.correct_rate)."""

    model = MetalRate
    name = "metal_rates"
    icon = "pick"
    menu_label = "Metal rates"
    add_view_class = views.MetalRateCreateView
    views_left_out = frozenset({"edit", "delete"})
    base_form_class = MetalRateForm
    form_fields = ["metal", "rate_per_gram", "effective_at"]
    list_display = [
        "metal",
        _in_shop_currency("rate_per_gram", "Rate per gram (pure)", format_rate),
        Column(
            "effective_at",
            label="In force from",
            accessor=lambda rate: shop_time(rate.effective_at),
            sort_key="effective_at",
        ),
        "source",
        CorrectionColumn(),
        Column(
            "created_at",
            label="Entered",
            accessor=lambda rate: shop_time(rate.created_at),
        ),
    ]
    list_filter = ["metal", "source"]
    ordering = ["-effective_at", "-id"]
    copy_view_enabled = False
    inspect_view_enabled = False

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("current"))

    def get_urlpatterns(self):
        current = self.construct_view(
            views.CurrentRatesView,
            add_url_name=self.get_url_name("add"),
            index_url_name=self.get_url_name("index"),
            feed_url_name="rate_feed:index",
        )
        return [
            *super().get_urlpatterns(),
            path("current/", current, name="current"),
            path(
                "correct/<int:pk>/",
                views.CorrectRateView.as_view(),
                name="correct",
            ),
        ]

    def get_queryset(self, request):
        return MetalRate.objects.select_related("corrects", "correction")


class RateFeedViewSet(TenantModelViewSet):
    """The shop's one feed: set up once, then edited; switched off with `enabled`,
    never deleted."""

    model = RateFeed
    name = "rate_feed"
    icon = "cogs"
    menu_label = "Rate feed"
    index_view_class = views.RateFeedIndexView
    add_view_class = views.RateFeedCreateView
    edit_view_class = views.RateFeedEditView
    views_left_out = frozenset({"delete"})
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


class InventoryViewSetGroup(ViewSetGroup):
    menu_label = "Inventory"
    menu_icon = "tag"
    menu_order = 200
    items = (
        PieceViewSet,
        StockItemViewSet,
        CategoryViewSet,
        StockMovementViewSet,
        MetalRateViewSet,
        RateFeedViewSet,
    )

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            PermissionMenuItem(
                "Stock count",
                reverse_lazy("inventory_count"),
                icon_name="list-ul",
                permission="inventory.view_piece",
                order=90,
            ),
            PermissionMenuItem(
                "Import pieces",
                reverse_lazy("inventory_import_pieces"),
                icon_name="upload",
                permission="inventory.add_piece",
                order=91,
            ),
        ]
