"""The demo shop: what `make run` shows on a fresh machine.

Every step is idempotent: it finds what an earlier run made before it creates anything.
"""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from catalog.models import HomePage

DEMO_SHOP_NAME = "Aurum Jewellers"


@dataclass
class Login:
    username: str
    password: str | None  # None: the account existed; its password was left alone
    role: str


@dataclass
class DemoSummary:
    sites: list[tuple[str, str]] = field(default_factory=list)  # (shop, url)
    logins: list[Login] = field(default_factory=list)


def _password(explicit: str | None) -> str:
    return explicit or settings.DEMO_PASSWORD or secrets.token_urlsafe(12)


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


def ensure_home_page(shop_name: str) -> HomePage:
    """Make the default site's root a HomePage titled with the shop's name."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    if isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    placeholder = site.root_page
    home = HomePage(
        title=shop_name,
        slug=slugify(shop_name),
        tagline="Fine jewellery, priced fairly by today's metal rate.",
    )
    Page.get_first_root_node().add_child(instance=home)
    site.root_page = home
    site.site_name = shop_name
    site.save()
    # Wagtail's migrations leave a "Welcome" page as the first root; it has no use here.
    placeholder.delete()
    return home


@transaction.atomic
def seed(password: str | None = None, port: int = 8000) -> DemoSummary:
    summary = DemoSummary()
    summary.logins.append(ensure_superuser("admin", _password(password)))
    ensure_home_page(DEMO_SHOP_NAME)
    summary.sites.append((DEMO_SHOP_NAME, f"http://127.0.0.1:{port}/"))
    return summary
