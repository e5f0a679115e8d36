"""What every storefront page of a shop reads, kept in the cache at the shop's
content version: the branding, today's rates, the menu, the catalogue's address,
the listing's categories and branches, the purities on show, and the route table
(each live page's URL, type and whether a view restriction covers it).

These are read on every page; they change only with something that bumps the
version (catalog/signals.py), so at one version they are one cache read instead
of a handful of queries. The page itself is still rendered from the database
(the page cache, catalog/cache.py, is what skips that).
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from back_office.inventory import queries as inventory
from back_office.inventory.models import Category
from back_office.tenants.models import Branch
from catalog import cache as page_cache
from catalog.images import prefetch_renditions, ready_renditions

KEY = "storefront:data:{}:{}"
SECONDS = 60 * 60


@dataclass(frozen=True)
class Route:
    page_id: int
    model: str  # "app_label.ModelName"
    restricted: bool  # a view restriction covers the page or an ancestor
    url: str  # on the site: "/catalog/"
    lastmod: object  # when it was last published


@dataclass(frozen=True)
class MenuItem:
    page_id: int
    title: str
    url: str


@dataclass(frozen=True)
class Opening:
    days: tuple[str, ...]  # "Mo", "Tu"... (catalog.blocks.DAYS)
    opens: object  # datetime.time
    closes: object


@dataclass(frozen=True)
class BranchHours:
    branch: str  # its name
    openings: tuple[Opening, ...]


def _hours(branding, branches: dict[str, str]) -> list[BranchHours]:
    """The branding's opening hours with each branch's name, read out of its stream
    once per version (every page's footer shows them)."""
    return [
        BranchHours(
            branches.get(entry.value["branch"], entry.value["branch"]),
            tuple(
                Opening(tuple(o["days"]), o["opens"], o["closes"])
                for o in entry.value["hours"]
            ),
        )
        for entry in branding.opening_hours
    ]


@dataclass
class ShopData:
    branding: object  # catalog.models.ShopBranding
    rates: dict  # metal -> MetalRate
    menu: list[MenuItem] = field(default_factory=list)
    catalog_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    branches: dict[str, str] = field(default_factory=dict)  # code -> name
    purities: list[tuple[str, int]] = field(default_factory=list)  # on show
    routes: dict[str, Route] = field(default_factory=dict)  # url_path -> Route
    hours: list[BranchHours] = field(default_factory=list)
    logo_html: str = ""  # the shop's logo as an <img>, once its renditions exist
    logo_url: str = ""


def _logo(tenant) -> tuple[str, str]:
    from catalog.templatetags.storefront import picture

    if tenant.logo_id is None:
        return "", ""
    logo = get_image_model().objects.filter(pk=tenant.logo_id).first()
    prefetch_renditions([logo])
    ready = ready_renditions(logo, "logo")
    if not ready:
        return "", ""
    html = picture(
        logo, "logo", alt=tenant.name, eager=True, css_class="site-header__logo"
    )
    return str(html), ready[-1].url


def _build(site, root, tenant) -> ShopData:
    from catalog.models import CatalogPage, ShopBranding

    pages = list(
        Page.objects.live()
        .filter(path__startswith=root.path)
        .select_related("content_type")
        .order_by("path")
    )
    restricted_paths = set(
        PageViewRestriction.objects.filter(
            page__path__startswith=root.path
        ).values_list("page__path", flat=True)
    )
    relative = len(root.url_path) - 1  # the site's URLs start at its root page

    def url(page):
        return page.url_path[relative:]

    routes = {
        page.url_path: Route(
            page.pk,
            f"{page.content_type.app_label}.{page.content_type.model}",
            any(page.path.startswith(path) for path in restricted_paths),
            url(page),
            page.last_published_at,
        )
        for page in pages
    }

    catalog_type = CatalogPage._meta.model_name
    catalog = next(
        (
            p
            for p in pages
            if p.depth == root.depth + 1 and p.content_type.model == catalog_type
        ),
        None,
    )
    logo_html, logo_url = _logo(tenant)
    branding = ShopBranding.for_site(site)
    branches = dict(Branch.objects.order_by("name").values_list("code", "name"))
    return ShopData(
        logo_html=logo_html,
        logo_url=logo_url,
        hours=_hours(branding, branches),
        branding=branding,
        rates=inventory.latest_rates(),
        menu=[
            MenuItem(p.pk, p.title, url(p))
            for p in pages
            if p.depth == root.depth + 1 and p.show_in_menus
        ],
        catalog_url=url(catalog) if catalog else "",
        categories=list(Category.objects.order_by("name").values_list("slug", "name")),
        branches=branches,
        purities=list(
            inventory.storefront_pieces()
            .values_list("metal", "fineness")
            .distinct()
            .order_by("metal", "-fineness")
        ),
        routes=routes,
    )


def _lifetime() -> int:
    """Seconds the data may be kept: an hour, or until the next rate entered ahead
    of time takes effect (nothing bumps the version at that moment)."""
    upcoming = (
        inventory.standing_rates()
        .filter(effective_at__gt=timezone.now())
        .order_by("effective_at")
        .values_list("effective_at", flat=True)
        .first()
    )
    if upcoming is None:
        return SECONDS
    return max(1, min(SECONDS, int((upcoming - timezone.now()).total_seconds()) + 1))


def shop_data(request) -> ShopData:
    """The shop's data at its current version: from the request, the cache, or
    built (and kept) from the database."""
    found = getattr(request, "_shop_data", None)
    if found is not None:
        return found
    tenant = request.tenant
    version = getattr(request, "storefront_version", None) or page_cache.version_of(
        tenant.pk
    )
    key = KEY.format(tenant.pk, version)
    found = cache.get(key) if version else None
    if found is None:
        site = request._wagtail_site
        found = _build(site, site.root_page, tenant)
        if version:
            page_cache.remember(key, found, timeout=_lifetime())
    request._shop_data = found
    return found
