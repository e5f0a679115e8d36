"""Inventory screens in the admin, each scoped to the signed-in shop."""

import django_filters
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column

from back_office.inventory import queries
from back_office.inventory.admin_views import (
    PieceCreateView,
    PieceIndexView,
    PieceInspectView,
)
from back_office.inventory.importing import EXPORT_FIELDS
from back_office.inventory.models import Category, Piece, StockItem, StockMovement
from back_office.tenants.viewsets import (
    ReadOnlyViewSetMixin,
    TenantModelViewSet,
    TenantSnippetViewSet,
)


class CategoryViewSet(TenantModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PieceFilterSet(WagtailFilterSet):
    price = django_filters.RangeFilter(
        label="Price today", method="filter_price", help_text="As the tag shows it."
    )

    class Meta:
        model = Piece
        fields = ["category", "metal", "fineness", "status", "branch"]

    def filter_price(self, pieces, name, value):
        pieces = queries.with_display_price(pieces)
        if value.start is not None:
            pieces = pieces.filter(display_price__gte=value.start)
        if value.stop is not None:
            pieces = pieces.filter(display_price__lte=value.stop)
        return pieces


class PieceViewSet(TenantSnippetViewSet):
    model = Piece
    icon = "tag"
    menu_label = "Pieces"
    index_view_class = PieceIndexView
    add_view_class = PieceCreateView
    inspect_view_class = PieceInspectView
    inspect_view_enabled = True
    list_display = ["sku", "title", "category", "purity", "status", "branch"]
    filterset_class = PieceFilterSet
    search_fields = ["sku", "title", "hallmark", "stones__certificate_number"]
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
                    [FieldPanel("metal"), FieldPanel("fineness"), FieldPanel("colour")]
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
                FieldRowPanel([FieldPanel("cost"), FieldPanel("shown_on_storefront")]),
            ],
            heading="Price",
        ),
        InlinePanel("stones", heading="Stones", label="Stone"),
        InlinePanel("photos", heading="Photos", label="Photo"),
    ]

    def get_queryset(self, request):
        return Piece.objects.select_related("category", "branch")


class StockItemViewSet(TenantModelViewSet):
    model = StockItem
    icon = "list-ul"
    menu_label = "Quantity stock"
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
        "unit",
        "unit_price",
        Column(
            "stock",
            label="Stock",
            accessor=lambda item: format_html(
                '<a href="{}">Receive, move or adjust</a>',
                reverse("inventory_change_quantity", args=[item.pk]),
            ),
        ),
    ]
    list_filter = ["category", "unit"]
    search_fields = ["sku", "title"]


class StockMovementViewSet(ReadOnlyViewSetMixin, TenantModelViewSet):
    """The ledger, read-only: entries are written by the stock operations."""

    model = StockMovement
    icon = "history"
    menu_label = "Stock ledger"
    list_display = ["created_at", "kind", "piece", "item", "branch", "quantity_delta"]
    list_filter = ["kind", "branch"]
    search_fields = ["piece__sku", "item__sku", "reference"]
    copy_view_enabled = False
    inspect_view_enabled = True
