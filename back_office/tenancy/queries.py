"""Reads of the framework that the middleware, the admin and the apps use."""

from django.db import connection, transaction
from django.db.models import Q
from wagtail.models import Collection

from back_office.tenancy.context import current_tenant
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


def shop_collections():
    """The current shop's collection and its descendants (none without a shop)."""
    tenant = current_tenant()
    if tenant is None or tenant.collection_id is None:
        return Collection.objects.none()
    return Collection.objects.filter(path__startswith=tenant.collection.path)


def in_shop_collection() -> Q:
    """`limit_choices_to` of a foreign key to images or documents: the shop's own."""
    return Q(collection__in=shop_collections())


def in_shop_tree() -> Q:
    """`limit_choices_to` of a foreign key to pages: the current shop's own."""
    tenant = current_tenant()
    if tenant is None or tenant.home_page_id is None:
        return Q(pk__in=[])
    return Q(path__startswith=tenant.home_page.path)


def is_in_shop_collection(item) -> bool:
    return shop_collections().filter(pk=item.collection_id).exists()
