"""What the framework needs of a tenant, and the base of every row that belongs to one.

The concrete models live in the apps. The tenant model is named by the setting
TENANCY_TENANT_MODEL and the membership model by TENANCY_MEMBERSHIP_MODEL, the way
Django names the user model by AUTH_USER_MODEL; the framework imports neither.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import BaseLogEntry, BaseLogEntryManager, Collection

from back_office.tenancy.context import current_tenant, require_tenant, tenant_context


def get_tenant_model() -> type[AbstractTenant]:
    return apps.get_model(settings.TENANCY_TENANT_MODEL, require_ready=False)


def get_membership_model() -> type[AbstractMembership]:
    return apps.get_model(settings.TENANCY_MEMBERSHIP_MODEL, require_ready=False)


class AbstractTenant(models.Model):
    """A tenant, as the framework sees it: the Wagtail page tree and the media
    collection it owns, and whether it is suspended.

    Its storefront is the tree under `home_page`, served on the hostnames of the
    Wagtail Sites rooted there; its images and documents are in `collection`.
    """

    home_page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="tenant",
        null=True,
        editable=False,
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.PROTECT,
        related_name="tenant",
        null=True,
        editable=False,
    )

    class Meta:
        abstract = True

    @property
    def is_suspended(self) -> bool:
        """A suspended tenant's storefront is closed and its back office read-only."""
        raise NotImplementedError


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant: AbstractTenant) -> TenantQuerySet:
        return self.filter(tenant=tenant)


class CurrentTenantId(models.Expression):
    """The current tenant's id, read when the query runs, not when it is built.

    Querysets made ahead of time (a form field's choices, a module-level queryset)
    so still scope to the shop of the request that finally runs them.
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        return "%s", [require_tenant().pk]


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Scopes every query to the current tenant; refuses to run without one.

    As the default manager it also scopes Django's and Wagtail's generic code
    (admin listings, object lookups, choosers, uniqueness checks, form choices).
    """

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(tenant_id=CurrentTenantId())

    def for_tenant(self, tenant: AbstractTenant) -> TenantQuerySet:
        """Rows of `tenant`, whatever the current shop. On PostgreSQL, RLS still
        shows rows only inside tenant_context(tenant): this is the code-level half."""
        return super().get_queryset().filter(tenant=tenant)


class TenantOwned(models.Model):
    """Base for every model whose rows belong to one tenant.

    Subclasses must put `tenant` first in each unique constraint and index; a test
    checks this for every subclass, and row-level security is applied to its table
    after each migrate (back_office/tenancy/rls.py).
    """

    # Never a form field: the shop is the request's (or the parent object's).
    tenant = models.ForeignKey(
        settings.TENANCY_TENANT_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )

    #: The name of a foreign key to the user model whose rows that user may also
    #: read in any tenant (row-level security checks `app.user_id`), or None.
    rls_user_field: str | None = None

    objects = TenantManager()
    # Platform code only (operators' tools, cross-shop reports): named so it stands out.
    unscoped_objects = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._belong_to_current_tenant()
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        self._belong_to_current_tenant()  # so "unique per shop" is validated
        super().full_clean(*args, **kwargs)

    def _belong_to_current_tenant(self) -> None:
        if self.tenant_id is None:
            self.tenant = require_tenant()


class AbstractMembership(TenantOwned):
    """A user's place in one tenant. The concrete model adds `role`, one of the roles
    the apps declare permissions for (back_office/tenancy/permissions.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )

    # Before a shop is chosen, the admin finds the shops a user works for by reading
    # that user's memberships in every shop (queries.memberships_of).
    rls_user_field = "user"

    class Meta:
        abstract = True


class AppendOnly(models.Model):
    """A table whose rows are written once and never changed or deleted.

    Enforced in PostgreSQL too: the application role is not granted UPDATE or DELETE
    on these tables (back_office/tenancy/rls.py).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                f"{self._meta.verbose_name} entries cannot be changed."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name} entries cannot be deleted.")


def tenant_of(instance) -> AbstractTenant | None:
    """The tenant an object belongs to: a tenant's own, the tenant of a tenant-owned
    row, the tenant whose collection holds an image or a document; or None."""
    if isinstance(instance, AbstractTenant):
        return instance
    if isinstance(instance, TenantOwned):
        current = current_tenant()
        if current is not None and current.pk == instance.tenant_id:
            return current  # no query for the shop the code runs as
        return instance.tenant
    collection = getattr(instance, "collection", None)
    if isinstance(collection, Collection):
        return (
            get_tenant_model()
            .objects.filter(collection__in=collection.get_ancestors(inclusive=True))
            .first()
        )
    return None


class ShopLogEntryManager(BaseLogEntryManager):
    """The current shop's entries; none outside a shop."""

    def get_queryset(self):
        tenant = current_tenant()
        entries = super().get_queryset()
        return entries.filter(tenant=tenant) if tenant else entries.none()

    def log_action(self, instance, action, **kwargs):
        tenant = tenant_of(instance)
        if tenant is None:  # media outside every shop's collection: the platform's
            from wagtail.models import ModelLogEntry

            return ModelLogEntry.objects.log_action(instance, action, **kwargs)
        if tenant == current_tenant():
            return super().log_action(
                instance, action, tenant=tenant, object_id=str(instance.pk), **kwargs
            )
        with tenant_context(tenant):
            return super().log_action(
                instance, action, tenant=tenant, object_id=str(instance.pk), **kwargs
            )

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(
                instance, for_concrete_model=False
            ),
            object_id=str(instance.pk),
        )


class ShopLogEntry(AppendOnly, BaseLogEntry, TenantOwned):
    """Wagtail's history of a shop's objects (its rows, its media, the shop itself),
    kept with the shop: row-level security shows it to that shop alone, and the
    entries are never changed or deleted. Security events (sign-ins, invitations,
    role changes, switches, MFA, exports) are entries too: the shop's audit log."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = ShopLogEntryManager()

    class Meta:
        verbose_name = "history entry"
        verbose_name_plural = "history entries"
        ordering = ["-timestamp", "-id"]
        default_manager_name = "objects"  # the scoped one, as every tenant-owned model
        indexes = [
            models.Index(
                fields=["tenant", "content_type", "object_id"], name="shop_log_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.action}"

    def full_clean(self, exclude=None, **kwargs):
        # Wagtail cleans every entry before saving it, and Django checks each
        # foreign key by a query (three an entry, on every logged action): the
        # database's foreign key constraints check them, at commit.
        foreign_keys = {"content_type", "user", "revision", "tenant"}
        super().full_clean(exclude={*(exclude or ()), *foreign_keys}, **kwargs)

    @property
    def object_verbose_name(self):
        model_class = self.content_type.model_class() if self.content_type else None
        return model_class._meta.verbose_name.title() if model_class else ""
