"""Reads of the shop domain that the public views and the services share."""

import django_otp
from django.contrib.auth import get_user_model
from django.db.models import Q

from back_office.tenancy.context import tenant_context
from back_office.tenancy.queries import memberships_of
from back_office.tenants.models import Invitation, Membership, Tenant


def find_invitation(tenant: Tenant, token: str) -> Invitation | None:
    """The shop's invitation whose link carries `token`, whatever its status."""
    with tenant_context(tenant):
        return Invitation.objects.filter(
            token_hash=Invitation.hash_token(token)
        ).first()


def staff_emails(*roles: str) -> list[str]:
    """The email addresses of the current shop's active staff in `roles`, sorted:
    whom the shop's notifications (a new reservation, say) go to."""
    emails = (
        Membership.objects.filter(role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({email.lower() for email in emails})


def has_account(email: str) -> bool:
    """Whether an account answers to `email` (staff sign in with it as username)."""
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .exists()
    )


def account_named(username: str):
    """The account a sign-in attempt names, or None."""
    return get_user_model().objects.filter(username__iexact=username).first()


def has_second_factor(user) -> bool:
    """Whether the account signs in with a second step (an app or recovery codes)."""
    return django_otp.user_has_device(user)


#: The roles whose accounts can change who works where or what things cost.
SECOND_FACTOR_ROLES = {Membership.Role.OWNER, Membership.Role.MANAGER}


def second_factor_required(user) -> bool:
    """Owners and managers of any shop, and platform operators, must use the second
    step."""
    return user.is_superuser or any(
        membership.role in SECOND_FACTOR_ROLES for membership in memberships_of(user)
    )
