"""Reads of the framework that the middleware, the admin and the apps use."""

from django.db import connection, transaction

from back_office.tenancy.models import AbstractMembership, get_membership_model


def memberships_of(user) -> list[AbstractMembership]:
    """The memberships of `user` in every tenant, tenants in their default order.

    Platform code: it reads across tenants, by user. Row-level security shows these
    rows because `app.user_id` is set to the user for this transaction.
    """
    if not user.is_authenticated:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.user_id', %s, true)", [str(user.pk)]
                )
        return list(
            get_membership_model()
            .unscoped_objects.filter(user=user)
            .select_related("tenant")
            .order_by("tenant")
        )


def role_in_current_tenant(user) -> str | None:
    """The role `user` holds in the current tenant, or None."""
    return (
        get_membership_model()
        .objects.filter(user=user)
        .values_list("role", flat=True)
        .first()
    )
