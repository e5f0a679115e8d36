import factory
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from back_office.tenancy.context import tenant_context
from back_office.tenants import services
from back_office.tenants.models import Branch, Membership, Tenant

PASSWORD = "shop-pass-123"


def make_tenant(slug: str, **kwargs) -> Tenant:
    """A fully onboarded shop (storefront, collection, groups, owner)."""
    options = {
        "name": f"{slug.title()} Jewellers",
        "slug": slug,
        "hostname": f"{slug}.localhost",
        "owner_email": f"owner@{slug}.test",
        "owner_password": PASSWORD,
    }
    options.update(kwargs)
    return services.create_tenant(**options).tenant


def owner_of(tenant: Tenant):
    with tenant_context(tenant):
        return Membership.objects.get(role=Membership.Role.OWNER).user


def make_member(tenant: Tenant, role: str, email: str | None = None):
    email = email or f"{role}@{tenant.slug}.test"
    membership, _ = services.add_member(tenant, email, role, password=PASSWORD)
    return membership.user


class BranchFactory(factory.django.DjangoModelFactory):
    """Build inside tenant_context(tenant): the row belongs to the current shop."""

    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"B{n:03d}")
    address = "1 High Street"


def shop_history(tenant: Tenant, **filters) -> list[tuple[str, str, int | None]]:
    """The shop's log entries as (action, object id, user id), oldest first."""
    from back_office.tenancy.models import ShopLogEntry

    with tenant_context(tenant):
        return list(
            ShopLogEntry.objects.filter(**filters)
            .order_by("timestamp", "id")
            .values_list("action", "object_id", "user_id")
        )


def authenticator_of(user) -> TOTPDevice:
    """The account's authenticator app, set up for it if it has none."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"name": "Authenticator app", "confirmed": True}
    )
    return device


def code_now(key: bytes) -> str:
    """The six digits an authenticator app holding `key` shows now."""
    return f"{totp(key):06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: a code works once, so a second sign-in
    within the same 30 seconds takes the next one (the device allows one step ahead)."""
    device.refresh_from_db()
    ahead = max(0, device.last_t + 1 - TOTP(device.bin_key).t())
    return f"{totp(device.bin_key, drift=ahead):06d}"


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign in through the forms, as a person does: the password, then the code of
    the account's authenticator app. Returns the answer to the second step."""
    client.post("/admin/login/", {"username": username, "password": password})
    user = get_user_model().objects.get(username=username)
    return client.post(
        reverse("tenants_second_factor_verify"),
        {"code": fresh_code(authenticator_of(user))},
    )


class StaffClient(Client):
    """Django's test client whose `force_login` signs in as staff do: the password
    and the second step. `second_step=False` stops after the password."""

    def force_login(self, user, backend=None, *, second_step=True):
        super().force_login(user, backend)
        if second_step:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
            session.save()
