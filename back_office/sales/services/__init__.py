"""Every write of sales, each one transaction that locks what it changes and raises
SalesError (nothing written) when it refuses:

- counter.py: building a sale (lines, discounts, customer, tenders, trade-ins),
  parking and resuming it;
- completion.py: completing it (number, frozen prices, stock, credit);
- after_sale.py: returns and same-day voids;
- days.py: the till's day, from its float to its Z report;
- credit.py: the store credit ledger;
- customers.py, approval.py (a manager's approval at the counter), policy.py;
- reservations.py: reservations made on the storefront, extended, cancelled,
  expired, collected.

Callers use this package's names: `services.complete_sale(sale, user=...)`.
"""

from back_office.sales.services.after_sale import return_lines, void_sale
from back_office.sales.services.approval import approving_manager
from back_office.sales.services.completion import ExcessTo, complete_sale
from back_office.sales.services.counter import (
    add_code,
    add_item,
    add_piece,
    add_reservation,
    add_tender,
    add_trade_in,
    discard_sale,
    move_to_branch,
    override_price,
    park_sale,
    remove_line,
    remove_tender,
    resume_sale,
    set_customer,
    set_line_discount,
    set_quantity,
    set_sale_discount,
    start_sale,
)
from back_office.sales.services.customers import add_customer, change_customer
from back_office.sales.services.days import (
    close_day,
    open_day,
    set_opening_float,
)
from back_office.sales.services.policy import update_sales_policy
from back_office.sales.services.reservations import (
    ALREADY_RESERVED,
    cancel_reservation,
    expire_reservations,
    extend_reservation,
    reserve_piece,
)

__all__ = [
    "ALREADY_RESERVED",
    "ExcessTo",
    "add_code",
    "add_customer",
    "add_item",
    "add_piece",
    "add_reservation",
    "add_tender",
    "add_trade_in",
    "approving_manager",
    "cancel_reservation",
    "change_customer",
    "close_day",
    "complete_sale",
    "discard_sale",
    "expire_reservations",
    "extend_reservation",
    "move_to_branch",
    "open_day",
    "override_price",
    "park_sale",
    "remove_line",
    "remove_tender",
    "reserve_piece",
    "resume_sale",
    "return_lines",
    "set_customer",
    "set_line_discount",
    "set_opening_float",
    "set_quantity",
    "set_sale_discount",
    "start_sale",
    "update_sales_policy",
    "void_sale",
]
