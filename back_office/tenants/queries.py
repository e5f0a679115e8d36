"""Reads of the shop domain that the public views and the services share."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Invitation, Tenant


def find_invitation(tenant: Tenant, token: str) -> Invitation | None:
    """The shop's invitation whose link carries `token`, whatever its status."""
    with tenant_context(tenant):
        return Invitation.objects.filter(
            token_hash=Invitation.hash_token(token)
        ).first()


def has_account(email: str) -> bool:
    """Whether an account answers to `email` (staff sign in with it as username)."""
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .exists()
    )
