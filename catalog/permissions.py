"""What each shop role may do with the storefront's own models: owners and managers
set the shop's branding (Settings > Branding). Pages are edited under the page
permissions each role holds on the shop's tree (tenants.services.sync_role_groups)."""

from back_office.tenancy.permissions import grant, model_permissions
from back_office.tenants.models import Membership

Role = Membership.Role

for role in (Role.OWNER, Role.MANAGER):
    grant(role, *model_permissions("catalog.shopbranding", "change"))
