"""What each role may do, declared by the app that owns the models, collected here,
and the authentication backend that counts, for a request, only the role the user
holds in the shop the request runs as.

An app grants its own models' permissions to roles in its `permissions.py`:

    from back_office.tenancy.permissions import grant, model_permissions

    grant("manager", *model_permissions("shelves.shelf", "view", "add", "change"))

Each app imports its permissions module in its AppConfig.ready(), as Django apps
import their signal handlers, so the registry is complete before the first request.
A new app never edits another app to give its screens to a role. Roles are the
membership model's role values; permissions are "app_label.codename".
"""

from collections import defaultdict

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured

from back_office.tenancy.context import current_tenant
from back_office.tenancy.queries import role_in_current_tenant

_granted: defaultdict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Let `role` hold `permissions` (each "app_label.codename")."""
    for permission in permissions:
        app_label, _, codename = permission.partition(".")
        if not app_label or not codename or "." in codename:
            raise ImproperlyConfigured(
                f"{permission!r} is not an 'app_label.codename' permission."
            )
    _granted[str(role)].update(permissions)


def granted_to(role: str) -> list[str]:
    """Every permission the apps grant to `role`, sorted."""
    return sorted(_granted.get(str(role), ()))


def model_permissions(model: str, *actions: str) -> list[str]:
    """("inventory.piece", "view", "add") -> ["inventory.view_piece",
    "inventory.add_piece"]: Django's model permissions by action."""
    app_label, _, model_name = model.lower().partition(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


class ShopPermissionBackend(ModelBackend):
    """Django's model backend, except that a user's role permissions are those the
    apps grant to his role in the shop the request runs as, and no other.

    A user may work for several shops, as owner in one and sales in another: counting
    the groups of all his memberships (Django's way) would give him the owner's rights
    everywhere. Here a request in a shop where he is sales has sales rights, and a
    request in no shop has none. Superusers keep every permission. The permissions
    are cached on the user object per shop.
    """

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj)
        tenant = current_tenant()
        cache = user_obj.__dict__.setdefault("_shop_perm_cache", {})
        key = tenant.pk if tenant else None
        if key not in cache:
            role = role_in_current_tenant(user_obj) if tenant else None
            cache[key] = set(granted_to(role)) if role else set()
        return cache[key]

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return {
            *self.get_user_permissions(user_obj),
            *self.get_group_permissions(user_obj),
        }
