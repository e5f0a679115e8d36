import hashlib
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from back_office.tenancy.models import AbstractMembership, AbstractTenant, TenantOwned
from back_office.tenancy.queries import in_shop_collection


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a known time zone.")


class Tenant(AbstractTenant):
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
        default=False,
        help_text="Fixed tag prices are entered with the tax in them. Every price "
        "shown to a customer includes the tax.",
    )
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone]
    )
    tax_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="The shop's tax registration (VAT, GSTIN…), printed on receipts "
        "and invoices.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # A form may offer, and accept, only the shop's own images.
        limit_choices_to=in_shop_collection,
        help_text="Shown in the back office; one of the shop's own images.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("change_logo", "Can change the shop's logo")]
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

    @staticmethod
    def normalized_code(code: str) -> str:
        """Codes are printed on tags and typed at the counter: one spelling."""
        return code.strip().upper()

    def clean(self):
        super().clean()
        self.code = self.normalized_code(self.code)


class Membership(AbstractMembership):
    """A user's role in a shop. One user may work for several shops."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MANAGER = "manager", "Manager"
        SALES = "sales", "Sales"

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


class Invitation(TenantOwned):
    """An offer of a role in the shop, sent to an email address.

    The shop never sees the link, a password or whether the address has an account:
    the person who reads the email accepts (signed in as that address, or setting the
    password of a new account). Only a hash of the link's token is stored.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(editable=False)
    accepted_at = models.DateTimeField(null=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "token_hash"], name="invitation_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class RoleGroup(TenantOwned):
    """The Wagtail group that carries one role's page and media permissions in one
    shop (model permissions come from the role, per shop: tenancy.permissions)."""

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
