import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from wagtail.models import Collection, Page

from back_office.tenants.context import require_tenant
from back_office.tenants.forms import TenantAdminForm


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a known time zone.")


class Tenant(models.Model):
    """A shop on the platform. Owns a storefront, a media collection and its staff."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[
            RegexValidator(
                r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. USD or EUR."
            )
        ],
        help_text="ISO 4217 code, e.g. USD, EUR, INR.",
    )
    tax_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Sales tax in percent.",
    )
    prices_include_tax = models.BooleanField(
        default=False, help_text="Show prices with tax included."
    )
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone]
    )
    home_page = models.OneToOneField(
        Page, on_delete=models.PROTECT, related_name="tenant", null=True, editable=False
    )
    collection = models.OneToOneField(
        Collection,
        on_delete=models.PROTECT,
        related_name="tenant",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="tenant_currency_iso_4217",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant: Tenant) -> "TenantQuerySet":
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

    def for_tenant(self, tenant: Tenant) -> TenantQuerySet:
        """Rows of `tenant`, whatever the current shop. On PostgreSQL, RLS still
        shows rows only inside tenant_context(tenant): this is the code-level half."""
        return super().get_queryset().filter(tenant=tenant)


class TenantOwned(models.Model):
    """Base for every back-office model that belongs to one shop.

    Subclasses must put `tenant` first in each unique constraint and index; a test
    checks this for every subclass, and row-level security is applied to its table
    after each migrate (see back_office/tenants/rls.py).
    """

    # Never a form field: the shop is the request's (or the parent object's).
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="+", editable=False
    )

    # Wagtail admin forms for every tenant-owned model take the shop from the request.
    base_form_class = TenantAdminForm

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


class Branch(TenantOwned):
    """A shop's physical location: where pieces are kept and sold."""

    name = models.CharField(max_length=120)
    code = models.SlugField(
        max_length=20, help_text="Short code used on labels and reports, e.g. MAIN."
    )
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="branch_code_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantOwned):
    """A user's role in a shop. One user may work for several shops."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MANAGER = "manager", "Manager"
        SALES = "sales", "Sales"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"], name="membership_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class RoleGroup(TenantOwned):
    """The Wagtail group that carries one role's permissions in one shop."""

    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="tenant_role"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "role"], name="role_group_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.group.name
