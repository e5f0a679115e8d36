"""What each shop role may do with the stock: owners and managers manage it and see
what it cost, sales staff look (docs/inventory.md). The stock screens that move
pieces or change quantities ask for `inventory.change_piece` and
`inventory.change_stockitem`."""

from back_office.tenancy.permissions import grant, model_permissions
from back_office.tenants.models import Membership

Role = Membership.Role
EVERY_ACTION = ("view", "add", "change", "delete")

for role in (Role.OWNER, Role.MANAGER):
    grant(
        role,
        *model_permissions("inventory.piece", "view", "add", "change"),
        "inventory.view_cost",
        "inventory.write_off_piece",
        *model_permissions("inventory.stone", *EVERY_ACTION),
        *model_permissions("inventory.piecephoto", *EVERY_ACTION),
        *model_permissions("inventory.category", *EVERY_ACTION),
        *model_permissions("inventory.stockitem", "view", "add", "change"),
        "inventory.view_stocklevel",
        "inventory.view_stockmovement",
        *model_permissions("inventory.metalrate", "view", "add"),
        *model_permissions("inventory.ratefeed", "view", "add", "change"),
    )
grant(
    Role.SALES,
    "inventory.view_piece",
    "inventory.view_category",
    "inventory.view_stockitem",
    "inventory.view_stocklevel",
    "inventory.view_stockmovement",
    "inventory.view_metalrate",
)
