"""The stock tools' admin URLs, under /admin/inventory/ (the ViewSets route their
own)."""

from django.urls import path

from back_office.inventory.admin import views

urlpatterns = [
    path("inventory/labels/", views.PrintLabelsView.as_view(), name="inventory_labels"),
    path(
        "inventory/import/",
        views.ImportPiecesView.as_view(),
        name="inventory_import_pieces",
    ),
    path(
        "inventory/import/template.<str:file_format>",
        views.ImportTemplateView.as_view(),
        name="inventory_import_template",
    ),
    path(
        "inventory/pieces/price-preview/",
        views.PricePreviewView.as_view(),
        name="inventory_price_preview",
    ),
    path(
        "inventory/pieces/<int:pk>/transfer/",
        views.TransferPieceView.as_view(),
        name="inventory_transfer_piece",
    ),
    path(
        "inventory/pieces/<int:pk>/write-off/",
        views.WriteOffPieceView.as_view(),
        name="inventory_write_off_piece",
    ),
    path(
        "inventory/stock-count/", views.StockCountView.as_view(), name="inventory_count"
    ),
    path(
        "inventory/stock-count/<int:pk>/",
        views.StockCountSheetView.as_view(),
        name="inventory_count_sheet",
    ),
    path(
        "inventory/stock-count/<int:pk>/export.csv",
        views.StockCountExportView.as_view(),
        name="inventory_count_export",
    ),
    path(
        "inventory/stock-count/<int:pk>/move/<path:sku>",
        views.MoveCountedPieceView.as_view(),
        name="inventory_count_move",
    ),
    path(
        "inventory/items/<int:pk>/receive/",
        views.ReceiveStockView.as_view(),
        name="inventory_receive_stock",
    ),
    path(
        "inventory/items/<int:pk>/transfer/",
        views.TransferStockView.as_view(),
        name="inventory_transfer_stock",
    ),
    path(
        "inventory/items/<int:pk>/adjust/",
        views.AdjustStockView.as_view(),
        name="inventory_adjust_stock",
    ),
]
