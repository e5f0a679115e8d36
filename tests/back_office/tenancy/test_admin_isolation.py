"""Isolation in the admin: a shop's staff never see or reach another shop's data.

Shop "zircon" is the canary: every name, email and title it owns contains "canary".
Aurum's staff walk the admin; no response may contain that word, and every URL of
one of zircon's objects must refuse them. The sweep covers every registered ViewSet
that uses TenantViewSetMixin (REGISTRY below), so a new one is covered as soon as it
is registered in the admin and has an object maker in tests/factories.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.viewsets import viewsets
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, Site

from back_office.inventory.models import Piece, StockLevel, StockMovement
from back_office.tenancy.admin.viewsets import TenantViewSetMixin
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership, RoleGroup
from back_office.tenants.services import change_role, record_security_event
from catalog.models import HomePage
from tests.factories import OBJECT_MAKERS
from tests.factories.tenants import make_member, make_tenant, owner_of, shop_history

get_resolver().url_patterns  # noqa: B018 - loading the admin URLs registers ViewSets
REGISTRY = [vs for vs in viewsets.viewsets if isinstance(vs, TenantViewSetMixin)]
CANARY = "canary"
REFUSED = {302, 403, 404}
OBJECT_VIEWS = ["edit", "delete", "inspect", "history", "usage", "copy"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/search/?q=zircon",
    "/admin/choose-page/",
    "/admin/choose-page/search/?q=zircon",
    "/admin/images/",
    "/admin/images/?q=zircon",
    "/admin/images/chooser/",
    "/admin/documents/",
    "/admin/documents/?q=zircon",
    "/admin/documents/chooser/",
    "/admin/reports/locked/",
    "/admin/reports/aging-pages/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/site-history/",
    "/admin/users/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/collections/",
    "/admin/shop/switch/",
    "/admin/history/",
    "/admin/history/results/",
    "/admin/history/?q=zircon",
    "/admin/second-step/",
    "/admin/api/main/pages/",
    "/admin/api/main/pages/?search=zircon",
    "/admin/api/main/images/",
    "/admin/api/main/images/?search=zircon",
    "/admin/api/main/documents/",
    "/admin/api/main/documents/?search=zircon",
    "/admin/tag-autocomplete/?term=can",
    "/admin/images/?tag=canary-tag",
    "/admin/redirects/",
    "/admin/redirects/?q=zircon",
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
    "/admin/forms/",
]


@pytest.fixture
def aurum(db):
    return make_tenant("aurum")


@pytest.fixture
def zircon(db):
    """The canary shop, with something of every kind."""
    tenant = make_tenant(
        "zircon", name="Zircon Canary Gems", owner_email="canary-owner@zircon.test"
    )
    clerk = make_member(tenant, Membership.Role.SALES, "canary-clerk@zircon.test")
    home = tenant.home_page.specific
    page = home.add_child(
        instance=HomePage(title="Zircon canary page", slug="canary-page")
    )
    page.save_revision(user=owner_of(tenant)).publish()
    page.locked, page.locked_by = True, owner_of(tenant)
    page.save()
    with tenant_context(tenant):  # the application role writes media as the shop
        image = Image.objects.create(
            title="Zircon canary image",
            file=get_test_image_file(),
            collection=tenant.collection,
        )
        image.tags.add("canary-tag")
        Document.objects.create(
            title="Zircon canary document", collection=tenant.collection
        )
    objects = {model: make(tenant) for model, make in OBJECT_MAKERS.items()}
    # Its history names its staff: a sign-in and a role change.
    record_security_event(owner_of(tenant), "tenants.signed_in", by=owner_of(tenant))
    with tenant_context(tenant):
        change_role(
            Membership.objects.get(user=clerk), Membership.Role.MANAGER, by=clerk
        )
    return tenant, objects


@pytest.fixture(params=[Membership.Role.OWNER, Membership.Role.SALES])
def aurum_staff(request, client, aurum, zircon):
    user = owner_of(aurum) if request.param == "owner" else make_member(aurum, "sales")
    client.force_login(user)
    return client


def _assert_no_canary(response, url, own_urls=()):
    """No word of the canary shop; a redirect never leads to the URL asked for nor
    to any other of `own_urls` (the other shop's object's own pages)."""
    assert response.status_code in {200, 405, *REFUSED}, url
    if response.status_code == 302:
        location = response["Location"].split("?", 1)[0]
        assert location not in {url.split("?", 1)[0], *own_urls}, (
            f"{url} redirects to another shop's object: {location}"
        )
    body = response.content.decode(errors="replace").lower()
    assert CANARY not in body, f"{url} shows another shop's data"


def _object_urls(viewset, target):
    """The URLs of `target` among OBJECT_VIEWS that this ViewSet has."""
    urls = []
    for view in OBJECT_VIEWS:
        try:
            urls.append(reverse(viewset.get_url_name(view), args=[target.pk]))
        except NoReverseMatch:
            continue  # this ViewSet has no such view
    return urls


def _row_counts(model, *tenants):
    counts = {}
    for tenant in tenants:
        with tenant_context(tenant):
            counts[tenant.slug] = model.objects.count()
    return counts


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_screens_show_nothing_of_another_shop(aurum_staff, url):
    _assert_no_canary(aurum_staff.get(url), url)


def test_every_tenant_viewset_has_an_object_maker_for_the_sweep():
    missing = {vs.model for vs in REGISTRY} - set(OBJECT_MAKERS)
    assert not missing, f"add makers to tests/factories for {missing}"


@pytest.mark.parametrize("viewset", REGISTRY, ids=lambda vs: vs.name)
def test_viewset_listing_and_search_show_only_the_own_shop(aurum_staff, viewset):
    for url in [viewset.menu_url, viewset.menu_url + "?q=zircon"]:
        _assert_no_canary(aurum_staff.get(url), url)


@pytest.mark.parametrize("viewset", REGISTRY, ids=lambda vs: vs.name)
def test_viewset_refuses_every_url_of_another_shops_object(
    aurum_staff, zircon, viewset
):
    _, objects = zircon
    urls = _object_urls(viewset, objects[viewset.model])
    assert urls, f"{viewset.name} has none of {OBJECT_VIEWS}: the sweep tried nothing"
    for url in urls:
        response = aurum_staff.get(url)
        assert response.status_code in REFUSED, url
        _assert_no_canary(response, url, urls)


@pytest.mark.parametrize("viewset", REGISTRY, ids=lambda vs: vs.name)
def test_posting_to_another_shops_object_changes_nothing(
    aurum_staff, aurum, zircon, viewset
):
    tenant, objects = zircon
    target = objects[viewset.model]
    with tenant_context(tenant):
        before = viewset.model.objects.filter(pk=target.pk).values().get()
    rows = _row_counts(viewset.model, aurum, tenant)
    logged = shop_history(aurum), shop_history(tenant)
    # Every URL of the object, not only edit and delete: a copy's POST adds a row.
    urls = _object_urls(viewset, target)
    assert urls, f"{viewset.name} has none of {OBJECT_VIEWS}: nothing was posted"
    posted = {field: "pwned" for field in before}
    for url in urls:
        response = aurum_staff.post(url, posted)
        assert response.status_code in REFUSED, url
        _assert_no_canary(response, url, urls)

    with tenant_context(tenant):
        assert viewset.model.objects.filter(pk=target.pk).values().get() == before
    assert _row_counts(viewset.model, aurum, tenant) == rows
    assert (shop_history(aurum), shop_history(tenant)) == logged


# Wagtail's own admin URLs that name one object: which of the canary shop's objects
# each URL argument takes. `pk` names the object of the URL's namespace.
OBJECT_ARGUMENTS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "image_id": "image",
    "document_id": "document",
    "redirect_id": "redirect",
    "revision_id": "revision",
    "destination_id": "aurums_page",
}
PK_OF = {
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:images": "image",
    "wagtailadmin_api:documents": "document",
    "wagtailadmin_pages": "page",
    "wagtailadmin_collections": "collection",
    "wagtailusers_users": "user",
    "wagtailusers_groups": "group",
    "wagtailsites": "site",
    "wagtailimages_chooser": "image",
    "wagtaildocs_chooser": "document",
    "wagtailsnippetchoosers_inventory_piece": "piece",
}
# The other arguments, whatever the object.
FIXED_ARGUMENTS = {
    "filter_spec": "original",
    "action_name": "publish",
    "revision_id_a": "earliest",
    "revision_id_b": "latest",
    "content_type_app_name": "catalog",
    "content_type_model_name": "homepage",
    "task_state_id": 1,
    "task_id": 1,
    "workflow_state_id": 1,
}
BULK_ACTION_MODELS = {
    ("wagtailcore", "page"): "page",
    ("wagtailimages", "image"): "image",
    ("wagtaildocs", "document"): "document",
    ("auth", "user"): "user",
    ("inventory", "piece"): "piece",
}


def _admin_routes(patterns=None, prefix="", namespace=""):
    """(URL name, argument names) of every admin URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _admin_routes(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                f"{namespace}:{inner}" if namespace and inner else inner or namespace,
            )
        elif (prefix + str(pattern.pattern)).startswith("admin/") and pattern.name:
            if isinstance(pattern.pattern, RoutePattern):
                arguments = list(pattern.pattern.converters)
            else:
                arguments = list(pattern.pattern.regex.groupindex)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, arguments


@pytest.fixture
def canary_objects(aurum, zircon):
    """Zircon's Wagtail objects by kind, and one page of aurum's to move things to."""
    tenant, objects = zircon
    page = Page.objects.get(slug="canary-page")
    with tenant_context(tenant):
        found = {
            "image": Image.objects.get(title="Zircon canary image"),
            "document": Document.objects.get(title="Zircon canary document"),
            "redirect": Redirect.objects.create(
                old_path="/canary-old", site=tenant.home_page.sites_rooted_here.get()
            ),
        }
    return {
        **found,
        "page": page,
        "revision": page.latest_revision,
        "collection": tenant.collection,
        "user": owner_of(tenant),
        "group": objects[RoleGroup].group,
        "site": tenant.home_page.sites_rooted_here.get(),
        "piece": objects[Piece],
        "aurums_page": aurum.home_page,
    }


def _wagtail_object_urls(canary):
    """Every Wagtail admin URL that names one of the canary shop's objects."""
    urls = []
    for name, arguments in _admin_routes():
        namespace = name.rpartition(":")[0]
        kinds = {**OBJECT_ARGUMENTS, "pk": PK_OF.get(namespace)}
        named = [kinds[a] for a in arguments if kinds.get(a) in canary]
        if not named or named == ["aurums_page"]:
            continue  # names no object of the canary shop
        if not all(a in FIXED_ARGUMENTS or kinds.get(a) in canary for a in arguments):
            continue  # has an argument the sweep cannot fill (a TenantViewSet's)
        values = {
            a: FIXED_ARGUMENTS[a] if a in FIXED_ARGUMENTS else canary[kinds[a]].pk
            for a in arguments
        }
        urls.append(reverse(name, kwargs=values))
    bulk_action_registry._scan_for_bulk_actions()
    for (app, model), kind in BULK_ACTION_MODELS.items():
        for action in bulk_action_registry.actions[app][model]:
            url = reverse("wagtail_bulk_action", args=[app, model, action])
            urls.append(f"{url}?id={canary[kind].pk}")
            # "Select all" of a listing, or of a search below the page tree's root.
            urls.append(
                f"{url}?id=all&childOf={Page.get_first_root_node().pk}&q=zircon"
            )
            urls.append(f"{url}?id=all")
    return urls


def _state(canary, tenant):
    """What the sweep's requests must leave as it was (aurum may change its own)."""
    with tenant_context(tenant):
        rows = {
            kind: list(type(instance)._base_manager.filter(pk=instance.pk).values())
            for kind, instance in canary.items()
            if kind != "aurums_page"
        }
        counts = [
            model._base_manager.count()
            for model in [Page, Image, Document, Redirect, Collection, Group, Site]
        ]
    return rows, counts, get_user_model().objects.count(), shop_history(tenant)


def test_every_wagtail_url_of_another_shops_object_refuses(
    aurum_staff, zircon, canary_objects
):
    tenant, _ = zircon
    urls = _wagtail_object_urls(canary_objects)
    assert len(urls) > 60, "the sweep lost Wagtail's URLs"
    before = _state(canary_objects, tenant)
    for url in urls:
        for response in [aurum_staff.get(url), aurum_staff.post(url, {})]:
            if "/bulk/" in url:
                # A bulk action lists what it found (none of zircon's objects) and,
                # once done, returns to itself.
                assert response.status_code in {200, 302, 404}, url
                assert CANARY not in response.content.decode().lower(), url
            else:  # 405: the URL takes no POST
                assert response.status_code in {*REFUSED, 405}, url
                _assert_no_canary(response, url, urls)
    assert _state(canary_objects, tenant) == before


def test_the_stock_tools_refuse_another_shops_piece_and_item(aurum_staff, zircon):
    tenant, objects = zircon
    piece, level = objects[Piece], objects[StockLevel]
    with tenant_context(tenant):
        ledger = list(StockMovement.objects.values_list("pk", flat=True))
    urls = [
        reverse("inventory_transfer_piece", args=[piece.pk]),
        *(
            reverse(f"inventory_{operation}_stock", args=[level.item_id])
            for operation in ("receive", "transfer", "adjust")
        ),
        reverse("stockitem:inspect", args=[level.item_id]),
    ]
    for url in urls:
        for response in [
            aurum_staff.get(url),
            aurum_staff.post(url, {"quantity": "5", "reason": "x"}),
        ]:
            assert response.status_code in REFUSED, url
            _assert_no_canary(response, url, urls)

    with tenant_context(tenant):
        assert list(StockMovement.objects.values_list("pk", flat=True)) == ledger
        assert Piece.objects.get(pk=piece.pk).branch_id == piece.branch_id
