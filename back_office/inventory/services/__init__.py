"""Every write of the inventory, each one transaction:

- stock.py: the stock ledger (receiving, moving and transferring pieces; quantity
  stock);
- pieces.py: changes to pieces that are not stock movements;
- rates.py: metal rates, entered by hand or refreshed from the shop's feed;
- imports.py: a spreadsheet of pieces taken into stock, whole or not at all.

Callers use this package's names: `services.move_piece(piece, Kind.SOLD)`.
"""

from back_office.inventory.services.imports import ImportResult, import_pieces
from back_office.inventory.services.pieces import set_shown_on_storefront
from back_office.inventory.services.rates import (
    Refresh,
    correct_rate,
    enter_rate,
    record_rate,
    refresh_rates,
)
from back_office.inventory.services.stock import (
    adjust_stock,
    move_piece,
    move_pieces,
    old_metal_lot,
    receive_old_metal,
    receive_piece,
    receive_stock,
    record_count,
    return_stock,
    sell_stock,
    transfer_piece,
    transfer_pieces,
    transfer_stock,
)

__all__ = [
    "ImportResult",
    "Refresh",
    "adjust_stock",
    "import_pieces",
    "move_piece",
    "move_pieces",
    "old_metal_lot",
    "receive_old_metal",
    "receive_piece",
    "receive_stock",
    "record_count",
    "correct_rate",
    "enter_rate",
    "record_rate",
    "refresh_rates",
    "return_stock",
    "sell_stock",
    "set_shown_on_storefront",
    "transfer_piece",
    "transfer_pieces",
    "transfer_stock",
]
