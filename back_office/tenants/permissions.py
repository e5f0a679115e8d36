"""What each shop role may do with the shop itself: its admin, branches and staff,
its storefront pages and its media. Other apps declare their own models' permissions
in their own permissions.py; `services.sync_role_groups` applies them all.

Page permissions apply to the shop's own home page and everything below it;
collection permissions to the shop's own collection.
"""

from back_office.tenancy.permissions import grant, model_permissions
from back_office.tenants.models import Membership

Role = Membership.Role

EDIT_PAGES = [
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
]
MANAGE_MEDIA = [
    *model_permissions("wagtailimages.image", "add", "change", "choose", "delete"),
    *model_permissions("wagtaildocs.document", "add", "change", "choose", "delete"),
]
CHOOSE_MEDIA = ["wagtailimages.choose_image", "wagtaildocs.choose_document"]

PAGE_PERMISSIONS: dict[str, list[str]] = {
    Role.OWNER: EDIT_PAGES,
    Role.MANAGER: EDIT_PAGES,
    Role.SALES: [],
}

COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    Role.OWNER: MANAGE_MEDIA,
    Role.MANAGER: MANAGE_MEDIA,
    Role.SALES: CHOOSE_MEDIA,
}

for role in Role:
    grant(role, "wagtailadmin.access_admin", "tenants.view_branch")
grant(
    Role.OWNER,
    *model_permissions("tenants.branch", "add", "change", "delete"),
    *model_permissions("tenants.membership", "view", "change", "delete"),
    *model_permissions("tenants.invitation", "view", "add", "delete"),
    # The shop's history, its audit log included (tenancy/admin/history.py).
    "tenancy.view_shoplogentry",
    "tenants.change_logo",
)
grant(
    Role.MANAGER,
    *model_permissions("tenants.branch", "add", "change"),
    "tenants.view_membership",
    "tenants.view_invitation",
)
