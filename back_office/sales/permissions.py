"""What each shop role may do with sales (docs/sales.md): everyone at the counter
looks after reservations (extends and cancels them: `sales.change_reservation`);
owners and managers also set the shop's sales policy. Reservations are made on the
storefront only, so no role adds or deletes them."""

from back_office.tenancy.permissions import grant, model_permissions
from back_office.tenants.models import Membership

Role = Membership.Role

for role in (Role.OWNER, Role.MANAGER):
    grant(
        role,
        *model_permissions("sales.reservation", "view", "change"),
        *model_permissions("sales.salespolicy", "view", "change"),
    )
grant(Role.SALES, *model_permissions("sales.reservation", "view", "change"))
