"""What each role may do, declared by the app that owns the models, collected here.

An app grants its own models' permissions to roles in its `permissions.py`:

    from back_office.tenancy.permissions import grant, model_permissions

    grant("manager", *model_permissions("shelves.shelf", "view", "add", "change"))

Each app imports its permissions module in its AppConfig.ready(), as Django apps
import their signal handlers, so the registry is complete before the first request.
The shop domain gives each shop's role groups exactly these permissions
(tenants.services.sync_role_groups), so a new app never edits another app to give
its screens to a role. Roles are the membership model's role values; permissions
are "app_label.codename".
"""

from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured

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
