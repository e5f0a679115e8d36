"""Business operations on shops: onboarding, staff, hostnames, suspension, switching.

Each function is one transaction and raises TenantError with a message an operator
or shop owner understands.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from back_office.tenants import permissions
from back_office.tenants.context import tenant_context
from back_office.tenants.models import Branch, Membership, RoleGroup, Tenant

logger = logging.getLogger(__name__)
User = get_user_model()


class TenantError(Exception):
    """A shop operation was refused; the message says why."""


@dataclass
class Onboarding:
    tenant: Tenant
    owner: User
    password_link: str | None  # None when a password was given


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type__app_label="wagtailcore", codename=codename
    )


def sync_role_groups(tenant: Tenant) -> dict[str, Group]:
    """Create or update the shop's owner/manager/sales groups to match `permissions`."""
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
            group.permissions.set(
                _permission(p) for p in permissions.MODEL_PERMISSIONS[role]
            )
            group.page_permissions.all().delete()
            GroupPagePermission.objects.bulk_create(
                GroupPagePermission(
                    group=group, page=tenant.home_page, permission=_page_permission(c)
                )
                for c in permissions.PAGE_PERMISSIONS[role]
            )
            group.collection_permissions.all().delete()
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(
                    group=group,
                    collection=tenant.collection,
                    permission=_permission(
                        ("wagtailimages." if "image" in c else "wagtaildocs.") + c
                    ),
                )
                for c in permissions.COLLECTION_PERMISSIONS[role]
            )
            groups[role] = group
    return groups


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
        raise TenantError(f"“{hostname}” is not a valid hostname.")
    return hostname


@transaction.atomic
def add_site(tenant: Tenant, hostname: str, port: int = 80) -> Site:
    hostname = _validate_hostname(hostname)
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise TenantError(f"The hostname {hostname}:{port} is already in use.")
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
        raise TenantError("A shop needs at least one hostname.")
    wanted = {(_validate_hostname(h), p) for h, p in hostnames}
    current = Site.objects.filter(root_page=tenant.home_page)
    current.exclude(
        pk__in=[s.pk for s in current if (s.hostname, s.port) in wanted]
    ).delete()
    existing = {(s.hostname, s.port) for s in current.all()}
    for hostname, port in sorted(wanted - existing):
        add_site(tenant, hostname, port)
    return list(Site.objects.filter(root_page=tenant.home_page).order_by("hostname"))


def password_setting_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={"uidb64": uid, "token": token},
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def add_member(
    tenant: Tenant, email: str, role: str, password: str | None = None
) -> tuple[Membership, bool]:
    """Give a person (made if new) a role in the shop.

    Returns the membership and whether the user account was created."""
    try:
        validate_email(email)
    except ValidationError as error:
        raise TenantError(f"“{email}” is not a valid email address.") from error
    if role not in Membership.Role.values:
        raise TenantError(f"Unknown role “{role}”.")
    email = email.lower()
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return _assign_role(tenant, user, role), created


def _assign_role(tenant: Tenant, user: User, role: str) -> Membership:
    """The membership row and the shop's role group, kept in step."""
    with tenant_context(tenant):
        groups = {rg.role: rg.group for rg in RoleGroup.objects.select_related("group")}
        membership, _ = Membership.objects.update_or_create(
            user=user, defaults={"role": role}
        )
        user.groups.remove(*groups.values())
        user.groups.add(groups[role])
    return membership


def _refuse_losing_the_last_owner(membership: Membership) -> None:
    if membership.role != Membership.Role.OWNER:
        return
    owners = Membership.objects.select_for_update().filter(role=Membership.Role.OWNER)
    if owners.count() == 1:
        raise TenantError("A shop needs at least one owner: appoint another first.")


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise TenantError(f"Unknown role “{role}”.")
    with tenant_context(membership.tenant):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role != membership.role:
            _refuse_losing_the_last_owner(membership)
    return _assign_role(membership.tenant, membership.user, role)


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Take a person's role in the shop away (their account stays)."""
    with tenant_context(membership.tenant):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_the_last_owner(membership)
        groups = [rg.group for rg in RoleGroup.objects.select_related("group")]
        membership.user.groups.remove(*groups)
        membership.delete()


@transaction.atomic
def create_tenant(
    *,
    name: str,
    hostname: str,
    owner_email: str,
    port: int = 80,
    slug: str | None = None,
    currency: str = "USD",
    tax_rate=0,
    prices_include_tax: bool = False,
    timezone: str = "UTC",
    owner_password: str | None = None,
    base_url: str = "http://127.0.0.1:8000",
) -> Onboarding:
    """Onboard a shop: its row, storefront, hostname, media collection, role groups
    and owner account, all or nothing."""
    name = name.strip()
    if not name:
        raise TenantError("A shop needs a name.")
    slug = slugify(slug or name)
    if Tenant.objects.filter(slug=slug).exists():
        raise TenantError(f"A shop with the short name “{slug}” already exists.")
    tenant = Tenant(
        name=name,
        slug=slug,
        currency=currency.upper(),
        tax_rate=tax_rate,
        prices_include_tax=prices_include_tax,
        timezone=timezone,
    )
    try:
        tenant.full_clean(exclude=["home_page", "collection"])
    except ValidationError as error:
        raise TenantError(
            "; ".join(
                f"{field.replace('_', ' ')}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            )
        ) from error

    from catalog.models import HomePage  # the storefront's root page type

    tenant.home_page = Page.get_first_root_node().add_child(
        instance=HomePage(title=name, slug=slug)
    )
    tenant.collection = Collection.get_first_root_node().add_child(name=name)
    tenant.save()
    add_site(tenant, hostname, port)
    sync_role_groups(tenant)
    membership, _ = add_member(
        tenant, owner_email, Membership.Role.OWNER, password=owner_password
    )
    owner = membership.user
    link = None if owner_password else password_setting_link(owner, base_url)
    logger.info("tenant created: %s (%s)", tenant.slug, hostname)
    return Onboarding(tenant=tenant, owner=owner, password_link=link)


@transaction.atomic
def add_branch(tenant: Tenant, name: str, code: str, address: str = "") -> Branch:
    code = code.strip().upper()
    with tenant_context(tenant):
        if Branch.objects.filter(code=code).exists():
            raise TenantError(f"{tenant.name} already has a branch with code {code}.")
        return Branch.objects.create(name=name, code=code, address=address)


@transaction.atomic
def set_status(tenant: Tenant, status: str, by: User | None = None) -> Tenant:
    """Suspend or reactivate a shop."""
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if status not in Tenant.Status.values:
        raise TenantError(f"Unknown status “{status}”.")
    tenant.status = status
    tenant.save(update_fields=["status", "updated_at"])
    log(instance=tenant, action=f"tenants.{status}", user=by)
    logger.info("tenant %s is now %s", tenant.slug, status)
    return tenant


def memberships_of(user: User) -> list[Membership]:
    """The shops a user works for. Platform code: reads across shops, by user."""
    if not user.is_authenticated:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.user_id', %s, true)", [str(user.pk)]
                )
        return list(
            Membership.unscoped_objects.filter(user=user)
            .select_related("tenant")
            .order_by("tenant__name")
        )


def authorize_switch(user: User, tenant: Tenant) -> None:
    """Let `user` act as `tenant` in the admin, or refuse. Every switch is logged."""
    allowed = user.is_superuser or any(
        m.tenant_id == tenant.pk for m in memberships_of(user)
    )
    if not allowed:
        raise TenantError("You do not work for this shop.")
    log(instance=tenant, action="tenants.switch", user=user)
    logger.info("user %s switched to tenant %s", user.pk, tenant.slug)
