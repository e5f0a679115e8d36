from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

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
    )


@hooks.register("register_admin_viewset")
def register_inventory_viewsets():
    return InventoryViewSetGroup()
