"""Every write of the shop domain, each one transaction raising TenantError with a
message an operator or a shop owner understands:

- shops.py: onboarding, details, hostnames, suspension, branches, role groups;
- staff.py: invitations, roles and leaving;
- sign_in.py: the second step of staff sign-in, and the security events.

Callers use this package's names: `services.invite(tenant, email, role, by=user)`.
"""

from back_office.tenants.services.shops import (
    Onboarding,
    add_branch,
    add_site,
    create_tenant,
    set_hostnames,
    set_logo,
    set_status,
    sync_role_groups,
    update_tenant,
)
from back_office.tenants.services.sign_in import (
    record_security_event,
    renew_recovery_codes,
    reset_second_factor,
    set_up_second_factor,
    verify_second_factor,
)
from back_office.tenants.services.staff import (
    accept_invitation,
    accept_invitation_with_new_account,
    add_member,
    change_role,
    invitation_link,
    invite,
    remove_member,
    revoke_invitation,
)

__all__ = [
    "Onboarding",
    "accept_invitation",
    "accept_invitation_with_new_account",
    "add_branch",
    "add_member",
    "add_site",
    "change_role",
    "create_tenant",
    "invitation_link",
    "invite",
    "record_security_event",
    "remove_member",
    "renew_recovery_codes",
    "reset_second_factor",
    "revoke_invitation",
    "set_hostnames",
    "set_status",
    "set_up_second_factor",
    "sync_role_groups",
    "set_logo",
    "update_tenant",
    "verify_second_factor",
]
