from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from back_office.inventory.admin import bulk_actions, urls
from back_office.inventory.admin.panels import PiecesSummaryItem, StockSummaryPanel
from back_office.inventory.admin.search import PieceSearchArea
from back_office.inventory.admin.viewsets import InventoryViewSetGroup
from back_office.tenancy.admin.history import register_events
from back_office.tenancy.context import current_tenant


@hooks.register("register_admin_viewset")
def register_inventory_viewsets():
    return InventoryViewSetGroup()


@hooks.register("register_log_actions")
def register_inventory_log_actions(actions):
    register_events(
        actions,
        {
            "inventory.price_changed": ("Change price", "Price terms changed"),
            "inventory.feed_changed": ("Change rate feed", "Rate feed changed"),
            "inventory.rate_corrected": ("Correct a rate", "Metal rate corrected"),
        },
    )


@hooks.register("register_admin_search_area")
def register_piece_search_area():
    return PieceSearchArea()


@hooks.register("register_admin_urls")
def register_inventory_tool_urls():
    return urls.urlpatterns


for bulk_action in (
    bulk_actions.MoveToBranchBulkAction,
    bulk_actions.PrintTagsBulkAction,
    bulk_actions.ShowOnStorefrontBulkAction,
    bulk_actions.HideFromStorefrontBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("construct_homepage_panels")
def add_stock_summary_panel(request, panels):
    if current_tenant() is not None and request.user.has_perm("inventory.view_piece"):
        panels.append(StockSummaryPanel())


@hooks.register("insert_global_admin_css")
def inventory_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("inventory/admin.css")
    )


@hooks.register("construct_homepage_summary_items")
def add_pieces_summary_item(request, items):
    if current_tenant() is not None:
        items.append(PiecesSummaryItem(request))
