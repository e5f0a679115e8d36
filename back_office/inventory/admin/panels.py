"""Panels of the inventory's admin screens: the shop's stock at a glance on the
admin home page, and the price preview of the piece form."""

from django import forms
from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component

from back_office.inventory import queries
from back_office.inventory.models import ON_HAND, Piece
from back_office.tenancy.context import current_tenant


class StockSummaryPanel(Component):
    name = "stock_summary"
    order = 50
    template_name = "inventory/panels/stock_summary.html"

    def get_context_data(self, parent_context=None):
        counts = queries.pieces_by_status()
        values = queries.stock_value_by_branch_and_metal()
        return {
            "currency": current_tenant().currency,
            "values": values,
            "total_value": sum(v.value for v in values if v.value is not None),
            "unpriced_metals": sorted({v.metal for v in values if v.value is None}),
            "statuses": [
                (label, counts.get(status, 0)) for status, label in Piece.Status.choices
            ],
            "low_stock": list(queries.low_stock_items()[:10]),
        }


class PiecesSummaryItem(SummaryItem):
    """The dashboard's count of pieces in the shop, linked to the listing."""

    order = 50
    template_name = "inventory/panels/pieces_summary.html"

    def get_context_data(self, parent_context=None):
        return {
            "on_hand": Piece.objects.filter(status__in=ON_HAND).count(),
            "url": reverse(Piece.snippet_viewset.get_url_name("list")),
        }

    def is_shown(self):
        return self.request.user.has_perm("inventory.view_piece")


class PricePreviewPanel(Panel):
    """Today's price of what the piece form holds, updated as it is filled in
    (inventory/price_preview.js posts the form to PricePreviewView). Without
    JavaScript the piece's sheet shows the price once saved."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "inventory/panels/price_preview.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["preview_url"] = reverse("inventory_price_preview")
            return context

        @property
        def media(self):
            return forms.Media(js=["inventory/price_preview.js"])
