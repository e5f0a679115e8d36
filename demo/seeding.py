"""The demo: two shops side by side, what `make run` shows on a fresh machine.

Every step is idempotent: it finds what an earlier run made before it creates anything.
"""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Site

from back_office.tenancy.context import tenant_context
from back_office.tenants import services
from back_office.tenants.models import Branch, Membership, Tenant
from demo.inventory import seed_inventory
from demo.sales import seed_sales
from demo.storefront import seed_storefront


@dataclass(frozen=True)
class DemoShop:
    name: str
    slug: str
    hostname: str
    tagline: str
    currency: str
    tax_rate: str
    tax_number: str
    branches: tuple[tuple[str, str, str], ...]  # (code, name, address)


SHOPS = (
    DemoShop(
        name="Aurum Jewellers",
        slug="aurum",
        hostname="aurum.localhost",
        tagline="Gold and diamonds, priced fairly by today's rate.",
        currency="USD",
        tax_rate="3.00",
        tax_number="US 12-3456789",
        branches=(
            ("MAIN", "Main Street", "12 Main Street, Springfield"),
            ("MALL", "Riverside Mall", "Unit 4, Riverside Mall, Springfield"),
        ),
    ),
    DemoShop(
        name="Luna Gems",
        slug="luna",
        hostname="luna.localhost",
        tagline="Silver, pearls and coloured stones.",
        currency="EUR",
        tax_rate="19.00",
        tax_number="DE 123456789",
        branches=(
            ("ALT", "Altstadt", "Marktplatz 3, Heidelberg"),
            ("HBF", "Hauptbahnhof", "Willy-Brandt-Platz 5, Heidelberg"),
        ),
    ),
)


@dataclass
class Login:
    username: str
    password: str | None  # None: the account existed; its password was left alone
    role: str


@dataclass
class DemoSummary:
    sites: list[tuple[str, str]] = field(default_factory=list)  # (shop, url)
    logins: list[Login] = field(default_factory=list)


def ensure_superuser(username: str, password: str) -> Login:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@karat.test", "is_staff": True},
    )
    if not created:
        return Login(username, None, "platform superuser")
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return Login(username, password, "platform superuser")


def remove_wagtail_placeholder() -> None:
    """Wagtail's migrations make a "Welcome" page as the default site for any
    hostname; on a multi-shop platform, an unknown hostname must find no shop."""
    for site in Site.objects.filter(is_default_site=True):
        if not Tenant.objects.filter(home_page_id=site.root_page_id).exists():
            page = site.root_page
            site.delete()
            if page.depth > 1:
                page.delete()


def ensure_shop(shop: DemoShop, password: str, port: int) -> list[Login]:
    tenant = Tenant.objects.filter(slug=shop.slug).first()
    if tenant is None:
        tenant = services.create_tenant(
            name=shop.name,
            slug=shop.slug,
            hostname=shop.hostname,
            port=port,
            owner_email=f"owner@{shop.slug}.test",
            owner_password=password,
            currency=shop.currency,
            tax_rate=shop.tax_rate,
        ).tenant
        home = tenant.home_page.specific
        home.tagline = shop.tagline
        home.save_revision().publish()
        logins = [Login(f"owner@{shop.slug}.test", password, f"{shop.name} owner")]
    else:
        logins = [Login(f"owner@{shop.slug}.test", None, f"{shop.name} owner")]

    Tenant.objects.filter(pk=tenant.pk, tax_number="").update(
        tax_number=shop.tax_number
    )
    with tenant_context(tenant):
        sales_email = f"sales@{shop.slug}.test"
        if Membership.objects.filter(user__username=sales_email).exists():
            logins.append(Login(sales_email, None, f"{shop.name} sales"))
        else:
            services.add_member(
                tenant, sales_email, Membership.Role.SALES, password=password
            )
            logins.append(Login(sales_email, password, f"{shop.name} sales"))
        for code, name, address in shop.branches:
            if not Branch.objects.filter(code=code).exists():
                services.add_branch(tenant, name=name, code=code, address=address)
        # Roles may have gained permissions since the shop was made.
        services.sync_role_groups(tenant)
        seed_inventory(tenant)
        seed_storefront(tenant)
        seed_sales(tenant)
    return logins


@transaction.atomic
def seed(password: str | None = None, port: int = 8000) -> DemoSummary:
    password = password or settings.DEMO_PASSWORD or secrets.token_urlsafe(12)
    summary = DemoSummary()
    summary.logins.append(ensure_superuser("admin", password))
    remove_wagtail_placeholder()
    for shop in SHOPS:
        summary.logins += ensure_shop(shop, password, port)
        summary.sites.append((shop.name, f"http://{shop.hostname}:{port}/"))
    return summary
