from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from back_office.inventory import bulk_actions
from back_office.inventory import views as tool_views
from back_office.inventory.admin_rates import MetalRateViewSet, RateFeedViewSet
from back_office.inventory.admin_viewsets import (
    CategoryViewSet,
    PieceViewSet,
    StockItemViewSet,
    StockMovementViewSet,
)
from back_office.inventory.panels import StockSummaryPanel
from back_office.tenants.context import current_tenant


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to people holding one model permission."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


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


@hooks.register("register_admin_viewset")
def register_inventory_viewsets():
    return InventoryViewSetGroup()


@hooks.register("register_admin_urls")
def register_inventory_tool_urls():
    return tool_views.urls()


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
