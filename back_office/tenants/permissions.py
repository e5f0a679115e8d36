"""What each shop role may do, as data. `services.sync_role_groups` applies it.

Page permissions apply to the shop's own home page and everything below it;
collection permissions to the shop's own collection. Model permissions are global
codenames, but every back-office screen is scoped to the signed-in shop, so they
only ever reach that shop's rows. Later apps add their models' codenames here.
"""

from back_office.tenants.models import Membership

Role = Membership.Role

EDIT_PAGES = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MANAGE_MEDIA = [
    "add_image",
    "change_image",
    "choose_image",
    "delete_image",
    "add_document",
    "change_document",
    "choose_document",
    "delete_document",
]
CHOOSE_MEDIA = ["choose_image", "choose_document"]

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


def _crud(model: str, *actions: str) -> list[str]:
    return [
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for action in actions
    ]


ALL = ("view", "add", "change", "delete")
INVENTORY_MANAGE = [
    *_crud("inventory.piece", "view", "add", "change"),
    *_crud("inventory.stone", *ALL),
    *_crud("inventory.piecephoto", *ALL),
    *_crud("inventory.category", *ALL),
    *_crud("inventory.stockitem", "view", "add", "change"),
    *_crud("inventory.stocklevel", "view"),
    *_crud("inventory.stockmovement", "view"),
    *_crud("inventory.metalrate", "view", "add"),
    *_crud("inventory.ratefeed", "view", "add", "change"),
]
INVENTORY_VIEW = [
    *_crud("inventory.piece", "view"),
    *_crud("inventory.category", "view"),
    *_crud("inventory.stockitem", "view"),
    *_crud("inventory.stocklevel", "view"),
    *_crud("inventory.stockmovement", "view"),
    *_crud("inventory.metalrate", "view"),
]

# "app_label.codename"
MODEL_PERMISSIONS: dict[str, list[str]] = {
    Role.OWNER: [
        "wagtailadmin.access_admin",
        "tenants.view_branch",
        "tenants.add_branch",
        "tenants.change_branch",
        "tenants.delete_branch",
        "tenants.view_membership",
        "tenants.add_membership",
        "tenants.change_membership",
        "tenants.delete_membership",
        *INVENTORY_MANAGE,
    ],
    Role.MANAGER: [
        "wagtailadmin.access_admin",
        "tenants.view_branch",
        "tenants.add_branch",
        "tenants.change_branch",
        "tenants.view_membership",
        *INVENTORY_MANAGE,
    ],
    Role.SALES: [
        "wagtailadmin.access_admin",
        "tenants.view_branch",
        *INVENTORY_VIEW,
    ],
}
