from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from back_office.inventory import admin_views, bulk_actions
from back_office.inventory import views as tool_views
from back_office.inventory.admin_rates import MetalRateViewSet, RateFeedViewSet
from back_office.inventory.admin_viewsets import (
    CategoryViewSet,
    PieceViewSet,
    StockItemViewSet,
    StockMovementViewSet,
)


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


@hooks.register("register_admin_viewset")
def register_inventory_viewsets():
    return InventoryViewSetGroup()


@hooks.register("register_admin_urls")
def register_stock_operation_urls():
    return [
        path(
            "inventory/pieces/<int:pk>/transfer/",
            admin_views.transfer_piece,
            name="inventory_transfer_piece",
        ),
        path("inventory/stock-count/", admin_views.stock_count, name="inventory_count"),
    ]


@hooks.register("register_admin_urls")
def register_label_and_import_urls():
    return tool_views.urls()


class StockCountMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("inventory.view_piece")


@hooks.register("register_admin_menu_item")
def register_stock_count_menu_item():
    return StockCountMenuItem(
        "Stock count", reverse("inventory_count"), icon_name="list-ul", order=210
    )


for bulk_action in (
    bulk_actions.MoveToBranchBulkAction,
    bulk_actions.ShowOnStorefrontBulkAction,
    bulk_actions.HideFromStorefrontBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)
