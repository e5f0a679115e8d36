"""A shop's life: onboarding, details, hostnames, suspension, branches and its role
groups."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from back_office.tenancy.context import tenant_context
from back_office.tenancy.queries import is_in_shop_collection
from back_office.tenancy.services import record_changes
from back_office.tenants import permissions
from back_office.tenants.errors import TenantError, TenantErrorCode
from back_office.tenants.models import Branch, Invitation, Membership, RoleGroup, Tenant
from back_office.tenants.services.staff import add_member, invite

logger = logging.getLogger(__name__)
User = get_user_model()
Code = TenantErrorCode


@dataclass
class Onboarding:
    tenant: Tenant
    owner_email: str
    invitation: Invitation | None  # None when the owner's password was given


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_role_groups(tenant: Tenant) -> dict[str, Group]:
    """Create or update the shop's owner/manager/sales groups: page permissions on
    the shop's own tree and collection permissions on its own collection.

    The groups carry no model permissions: those count only in the shop a request
    runs as, from the role the apps grant them to (tenancy.permissions); a group's
    would count in every shop its members work for."""
    groups = {}
    with tenant_context(tenant):
        for role in Membership.Role:
            role_group = (
                RoleGroup.objects.select_related("group").filter(role=role).first()
            )
            if role_group is None:
                group = Group.objects.create(name=f"{tenant.slug} · {role.label}")
                role_group = RoleGroup.objects.create(role=role, group=group)
            group = role_group.group
            group.permissions.clear()
            group.page_permissions.all().delete()
            GroupPagePermission.objects.bulk_create(
                GroupPagePermission(
                    group=group, page=tenant.home_page, permission=_permission(p)
                )
                for p in permissions.PAGE_PERMISSIONS[role]
            )
            group.collection_permissions.all().delete()
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(
                    group=group,
                    collection=tenant.collection,
                    permission=_permission(p),
                )
                for p in permissions.COLLECTION_PERMISSIONS[role]
            )
            groups[role] = group
    return groups


# Details, hostnames and status


def _validate_details(tenant: Tenant) -> None:
    try:
        tenant.full_clean(exclude=["home_page", "collection"])
    except ValidationError as error:
        raise TenantError(
            "; ".join(
                f"{field.replace('_', ' ')}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ),
            Code.INVALID_DETAILS,
        ) from error


def _validate_hostname(hostname: str) -> str:
    hostname = hostname.strip().lower().rstrip(".")
    labels = hostname.split(".")
    if (
        not hostname
        or len(hostname) > 253
        or not all(
            label and len(label) <= 63 and slugify(label) == label for label in labels
        )
    ):
        raise TenantError(
            f"“{hostname}” is not a valid hostname.", Code.INVALID_HOSTNAME
        )
    return hostname


@transaction.atomic
def add_site(tenant: Tenant, hostname: str, port: int = 80) -> Site:
    hostname = _validate_hostname(hostname)
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise TenantError(
            f"The hostname {hostname}:{port} is already in use.", Code.HOSTNAME_IN_USE
        )
    return Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=tenant.home_page,
        site_name=tenant.name,
        is_default_site=False,
    )


@transaction.atomic
def set_hostnames(tenant: Tenant, hostnames: list[tuple[str, int]]) -> list[Site]:
    """Make the shop answer on exactly these (hostname, port) pairs."""
    if not hostnames:
        raise TenantError("A shop needs at least one hostname.", Code.NO_HOSTNAME)
    wanted = {(_validate_hostname(h), p) for h, p in hostnames}
    current = Site.objects.filter(root_page=tenant.home_page)
    current.exclude(
        pk__in=[s.pk for s in current if (s.hostname, s.port) in wanted]
    ).delete()
    existing = {(s.hostname, s.port) for s in current.all()}
    for hostname, port in sorted(wanted - existing):
        add_site(tenant, hostname, port)
    return list(Site.objects.filter(root_page=tenant.home_page).order_by("hostname"))


@transaction.atomic
def set_status(tenant: Tenant, status: str, by: User | None = None) -> Tenant:
    """Suspend or reactivate a shop."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if status not in Tenant.Status.values:
        raise TenantError(f"Unknown status “{status}”.", Code.UNKNOWN_STATUS)
    tenant.status = status
    tenant.save(update_fields=["status", "updated_at"])
    log(instance=tenant, action=f"tenants.{status}", user=by)
    logger.info("tenant %s is now %s", tenant.slug, status)
    return tenant


def _details_of(tenant: Tenant) -> dict[str, str]:
    return {
        "name": tenant.name,
        "currency": tenant.currency,
        "tax rate (%)": f"{Decimal(tenant.tax_rate):.2f}",
        "prices include tax": "yes" if tenant.prices_include_tax else "no",
        "time zone": str(tenant.timezone),
        "tax number": tenant.tax_number,
    }


@transaction.atomic
def update_tenant(
    tenant: Tenant,
    *,
    hostnames: list[tuple[str, int]],
    status: str,
    by: User | None = None,
    **details,
) -> Tenant:
    """Change a shop's details (name, currency, tax, time zone, tax number), its
    hostnames and its status together; a status change is logged with who made
    it."""
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    before = _details_of(locked)
    for field, value in details.items():
        setattr(locked, field, value)
    _validate_details(locked)
    locked.save()
    # Tax and currency change every price the shop shows: worth its history.
    record_changes(locked, "tenants.details_changed", before, _details_of(locked), by)
    set_hostnames(locked, hostnames)
    if status != locked.status:
        locked = set_status(locked, status, by=by)
    return locked


@transaction.atomic
def set_logo(tenant: Tenant, image, by: User | None = None) -> Tenant:
    """Show `image` (one of the shop's own, or None for Karat's) as the shop's logo;
    run as the shop."""
    if image is not None and not is_in_shop_collection(image):
        raise TenantError(
            "Choose one of the shop's own images.", TenantErrorCode.NOT_THE_SHOPS
        )
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    before = {"logo": locked.logo.title if locked.logo else ""}
    locked.logo = image
    locked.save(update_fields=["logo", "updated_at"])
    after = {"logo": image.title if image else ""}
    record_changes(locked, "tenants.details_changed", before, after, by)
    return locked


# Onboarding


def _home_page_model() -> type[Page]:
    """The storefront's root page type; the storefront app names it by a setting."""
    return apps.get_model(settings.TENANTS_HOME_PAGE_MODEL)


@transaction.atomic
def create_tenant(
    *,
    name: str,
    hostname: str,
    owner_email: str,
    port: int = 80,
    more_hostnames: Iterable[tuple[str, int]] = (),
    slug: str | None = None,
    currency: str = "USD",
    tax_rate=0,
    prices_include_tax: bool = False,
    timezone: str = "UTC",
    owner_password: str | None = None,
    by: User | None = None,
) -> Onboarding:
    """Onboard a shop: its row, storefront, hostnames, media collection, role groups
    and its owner, all or nothing.

    The owner is invited (an email with a link to accept); with `owner_password`
    (the demo, development) the owner's account gets that password at once."""
    name = name.strip()
    if not name:
        raise TenantError("A shop needs a name.", Code.INVALID_NAME)
    slug = slugify(slug or name)
    if Tenant.objects.filter(slug=slug).exists():
        raise TenantError(
            f"A shop with the short name “{slug}” already exists.", Code.SLUG_IN_USE
        )
    tenant = Tenant(
        name=name,
        slug=slug,
        currency=currency.upper(),
        tax_rate=tax_rate,
        prices_include_tax=prices_include_tax,
        timezone=timezone,
    )
    _validate_details(tenant)
    tenant.home_page = Page.get_first_root_node().add_child(
        instance=_home_page_model()(title=name, slug=slug)
    )
    tenant.collection = Collection.get_first_root_node().add_child(name=name)
    tenant.save()
    for site_hostname, site_port in [(hostname, port), *more_hostnames]:
        add_site(tenant, site_hostname, site_port)
    sync_role_groups(tenant)
    owner = Membership.Role.OWNER
    if owner_password:
        add_member(tenant, owner_email, owner, password=owner_password)
        invitation = None
    else:
        invitation = invite(tenant, owner_email, owner, by=by)
    logger.info("tenant created: %s (%s)", tenant.slug, hostname)
    return Onboarding(
        tenant=tenant, owner_email=owner_email.lower(), invitation=invitation
    )


# Branches


@transaction.atomic
def add_branch(
    tenant: Tenant, name: str, code: str, address: str = "", user: User | None = None
) -> Branch:
    """Open a branch; one added by someone (`user`) is written to the audit log."""
    code = Branch.normalized_code(code)
    with tenant_context(tenant):
        if Branch.objects.filter(code=code).exists():
            raise TenantError(
                f"{tenant.name} already has a branch with code {code}.",
                Code.BRANCH_CODE_IN_USE,
            )
        branch = Branch.objects.create(name=name, code=code, address=address)
        if user is not None:
            log(instance=branch, action="wagtail.create", user=user)
        return branch
