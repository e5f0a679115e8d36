"""A shop's staff: invitations, roles and leaving."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from back_office.tenancy.context import tenant_context
from back_office.tenants import queries
from back_office.tenants.errors import TenantError, TenantErrorCode
from back_office.tenants.models import Invitation, Membership, RoleGroup, Tenant

logger = logging.getLogger(__name__)
User = get_user_model()
Code = TenantErrorCode


# Staff


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise TenantError(f"Unknown role “{role}”.", Code.UNKNOWN_ROLE)


def _valid_email(email: str) -> str:
    try:
        validate_email(email)
    except ValidationError as error:
        raise TenantError(
            f"“{email}” is not a valid email address.", Code.INVALID_EMAIL
        ) from error
    return email.strip().lower()


@transaction.atomic
def add_member(
    tenant: Tenant, email: str, role: str, password: str | None = None
) -> tuple[Membership, bool]:
    """Give an account (made if new) a role in the shop, with no invitation.

    For operators' onboarding with a known password and for the demo only: a shop
    adds staff by invitation (`invite`), so it never chooses a password or learns
    whether an email has an account. Returns the membership and whether the account
    was created."""
    email = _valid_email(email)
    _check_role(role)
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


# Invitations


def invitation_link(tenant: Tenant, token: str) -> str:
    path = reverse("tenants_invitation", args=[tenant.slug, token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite(tenant: Tenant, email: str, role: str, *, by: User | None) -> Invitation:
    """Offer `email` a role in the shop: the link goes to that address only.

    The answer is the same whether or not the address has an account. A pending
    invitation to the same address is replaced. Nothing is kept if the email
    cannot be sent.
    """
    email = _valid_email(email)
    _check_role(role)
    with tenant_context(tenant):
        if Membership.objects.filter(user__email__iexact=email).exists():
            raise TenantError(
                f"{email} already works for {tenant.name}.", Code.ALREADY_A_MEMBER
            )
        now = timezone.now()
        Invitation.objects.filter(
            email=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            token_hash=Invitation.hash_token(token),
            invited_by=by,
            expires_at=now + timedelta(days=settings.TENANTS_INVITATION_DAYS),
        )
        if by is not None:
            log(instance=invitation, action="tenants.invitation.sent", user=by)
        context = {
            "tenant": tenant,
            "invitation": invitation,
            "link": invitation_link(tenant, token),
        }
        try:
            send_mail(
                f"{tenant.name} invites you to its back office",
                render_to_string("tenants/emails/invitation.txt", context),
                None,
                [email],
            )
        except OSError as error:
            logger.warning("invitation to %s not sent: %s", email, error)
            raise TenantError(
                "The invitation could not be sent; try again later.",
                Code.EMAIL_NOT_SENT,
            ) from error
    return invitation


def _still_pending(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise TenantError(
            "This invitation is no longer valid: ask the shop for a new one.",
            Code.INVITATION_NOT_VALID,
        )
    return locked


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """The account holder takes the role, signed in as the address invited."""
    with tenant_context(invitation.tenant):
        invitation = _still_pending(invitation)
        if user.email.lower() != invitation.email:
            raise TenantError(
                f"This invitation is for {invitation.email}: sign in as that "
                "address to accept it.",
                Code.WRONG_ACCOUNT,
            )
        membership = _assign_role(invitation.tenant, user, invitation.role)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        log(instance=invitation, action="tenants.invitation.accepted", user=user)
    return membership


@transaction.atomic
def accept_invitation_with_new_account(invitation: Invitation, password: str) -> User:
    """The invitee has no account yet: make it with the password they chose, and
    take the role."""
    if queries.has_account(invitation.email):
        raise TenantError(
            f"{invitation.email} already has an account: sign in to accept.",
            Code.ACCOUNT_EXISTS,
        )
    user = User(username=invitation.email, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise TenantError(" ".join(error.messages), Code.PASSWORD_REFUSED) from error
    user.set_password(password)
    user.save()
    accept_invitation(invitation, user)
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation, by: User | None = None) -> Invitation:
    with tenant_context(invitation.tenant):
        invitation = _still_pending(invitation)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        if by is not None:
            log(instance=invitation, action="tenants.invitation.revoked", user=by)
    return invitation


def _refuse_losing_the_last_owner(membership: Membership) -> None:
    if membership.role != Membership.Role.OWNER:
        return
    owners = Membership.objects.select_for_update().filter(role=Membership.Role.OWNER)
    if owners.count() == 1:
        raise TenantError(
            "A shop needs at least one owner: appoint another first.", Code.LAST_OWNER
        )


@transaction.atomic
def change_role(
    membership: Membership, role: str, *, by: User | None = None
) -> Membership:
    """Give a member another role; the change goes into the shop's history."""
    _check_role(role)
    with tenant_context(membership.tenant):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role == membership.role:
            return membership
        _refuse_losing_the_last_owner(membership)
        was = membership.get_role_display()
        membership = _assign_role(membership.tenant, membership.user, role)
        log(
            instance=membership,
            action="tenants.role_changed",
            user=by,
            data={"changes": {"role": [was, membership.get_role_display()]}},
        )
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Take a person's role in the shop away (their account stays)."""
    with tenant_context(membership.tenant):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_the_last_owner(membership)
        groups = [rg.group for rg in RoleGroup.objects.select_related("group")]
        membership.user.groups.remove(*groups)
        membership.delete()
