"""What each shop role may do with sales (docs/sales.md).

Everyone at the counter sells (sales in progress, tenders, trade-ins at the
shop's buy rate within the leeway, discounts up to the cap), adds and edits
customers, looks after reservations and closes the till's day. Owners and
managers also set prices by hand, approve discounts beyond the cap, void sales,
take returns and refund, pay cash out for old metal, set any buy rate, see the
days' variances over time and set the shop's sales policy. Reservations are
made on the storefront only, so no role adds or deletes them."""

from back_office.tenancy.permissions import grant, model_permissions
from back_office.tenants.models import Membership

Role = Membership.Role

COUNTER = [
    *model_permissions("sales.sale", "view", "add", "change"),
    *model_permissions("sales.customer", "view", "add", "change"),
    *model_permissions("sales.reservation", "view", "change"),
    *model_permissions("sales.tillday", "view"),
    "sales.close_day",
]
MANAGEMENT = [
    "sales.override_price",
    "sales.approve_discount",
    "sales.void_sale",
    "sales.refund_sale",
    "sales.pay_out_cash",
    "sales.set_trade_in_rate",
    "sales.view_day",
    *model_permissions("sales.salereturn", "view"),
    *model_permissions("sales.storecreditentry", "view"),
    *model_permissions("sales.salespolicy", "view", "change"),
]

for role in (Role.OWNER, Role.MANAGER):
    grant(role, *COUNTER, *MANAGEMENT)
grant(Role.SALES, *COUNTER)
