"""Wagtail's own objects (images, documents, tags, pages, history, the admin API and the
download view) stay inside their shop, in code and in the database.

Shop "zircon" is the canary: every title it owns says "canary".
"""

import json

import pytest
from django.db import connection
from django.urls import get_resolver, reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from back_office.inventory.models import Piece, PiecePhoto
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from back_office.tenants.services import set_status
from catalog.models import HomePage
from tests.factories.inventory import CategoryFactory, PieceFactory, piece_form
from tests.factories.tenants import BranchFactory, make_member, make_tenant, owner_of

get_resolver().url_patterns  # noqa: B018 - loading the admin registers its hooks
CANARY = "canary"


def _media(tenant, word):
    with tenant_context(tenant):
        image = Image.objects.create(
            title=f"{tenant.name} {word} image",
            file=get_test_image_file(),
            collection=tenant.collection,
        )
        image.tags.add(f"{word}-tag")
        image.get_rendition("fill-10x10")
        document = Document.objects.create(
            title=f"{tenant.name} {word} document", collection=tenant.collection
        )
        document.file.save(f"{word}.txt", _text_file(word))
        document.tags.add(f"{word}-tag")
    return image, document


def _text_file(word):
    from django.core.files.base import ContentFile

    return ContentFile(f"{word} notes".encode())


@pytest.fixture
def zircon(db):
    tenant = make_tenant("zircon", name="Zircon Canary Gems")
    image, document = _media(tenant, CANARY)
    page = tenant.home_page.specific.add_child(
        instance=HomePage(title="Zircon canary page", slug="canary-page")
    )
    with tenant_context(tenant):
        BranchFactory()
        piece = PieceFactory(title="Zircon canary ring")
        PiecePhoto.objects.create(piece=piece, image=image)
        ReferenceIndex.create_or_update_for_object(piece)
        log(instance=piece, action="wagtail.edit", user=owner_of(tenant))
    return tenant, image, document, page


@pytest.fixture
def aurums_media(aurum):
    return _media(aurum, "ring")


@pytest.fixture(params=[Membership.Role.OWNER, Membership.Role.SALES])
def staff(request, client, aurum, zircon, aurums_media):
    user = owner_of(aurum) if request.param == "owner" else make_member(aurum, "sales")
    client.force_login(user)
    return client


def _no_canary(response):
    assert CANARY not in response.content.decode().lower(), response.request[
        "PATH_INFO"
    ]


@pytest.mark.parametrize("endpoint", ["images", "documents", "pages"])
def test_the_admin_api_lists_and_opens_only_the_shops_own_items(
    staff, zircon, endpoint
):
    _, image, document, page = zircon
    listing = staff.get(f"/admin/api/main/{endpoint}/")

    assert listing.status_code == 200
    _no_canary(listing)
    theirs = {"images": image, "documents": document, "pages": page}[endpoint]
    detail = staff.get(f"/admin/api/main/{endpoint}/{theirs.pk}/")
    assert detail.status_code == 404
    _no_canary(detail)


def test_the_admin_api_still_lists_the_shops_own_media(client, aurum, aurums_media):
    image, document = aurums_media
    client.force_login(owner_of(aurum))

    for endpoint, item in [("images", image), ("documents", document)]:
        listed = json.loads(client.get(f"/admin/api/main/{endpoint}/").content)
        assert [entry["id"] for entry in listed["items"]] == [item.pk]


def test_tag_autocomplete_offers_only_the_shops_own_tags(staff):
    assert json.loads(staff.get("/admin/tag-autocomplete/?term=ca").content) == []
    assert json.loads(staff.get("/admin/tag-autocomplete/?term=ri").content) == [
        "ring-tag"
    ]


@pytest.mark.parametrize(
    "url",
    ["/admin/images/", "/admin/documents/", "/admin/images/chooser/", "/admin/"],
)
def test_media_listings_and_their_tag_filters_show_only_the_shops_own(staff, url):
    response = staff.get(url)

    assert response.status_code in (200, 302)  # sales staff may only choose media
    _no_canary(response)


def test_a_page_of_another_shop_is_not_found_in_the_choosers_and_move_screens(
    staff, aurum, zircon
):
    _, _, _, page = zircon
    own = aurum.home_page
    for url in [
        f"/admin/choose-page/{page.pk}/",
        f"/admin/pages/{page.pk}/move/",
        f"/admin/pages/{own.pk}/move/{page.pk}/confirm/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/pages/{page.pk}/revisions/",
    ]:
        response = staff.get(url)
        assert response.status_code in (302, 404), url
        _no_canary(response)


def test_a_piece_photo_may_only_be_one_of_the_shops_own_images(client, aurum, zircon):
    _, canary_image, _, _ = zircon
    with tenant_context(aurum):
        branch, category = BranchFactory(), CategoryFactory()
    client.force_login(owner_of(aurum))
    form = piece_form(
        category,
        branch,
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": canary_image.pk,
            "photos-0-ORDER": "1",
        },
    )

    response = client.post(reverse("wagtailsnippets_inventory_piece:add"), form)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with tenant_context(aurum):
        assert not Piece.objects.exists()
        assert not PiecePhoto.objects.exists()


class TestDocumentDownloads:
    def _download(self, client, document, host):
        return client.get(document.url, HTTP_HOST=host)

    def test_a_document_downloads_on_its_own_shops_hostname(self, client, zircon):
        _, _, document, _ = zircon

        response = self._download(client, document, "zircon.localhost")

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"canary notes"

    @pytest.mark.parametrize("host", ["aurum.localhost", "127.0.0.1"])
    def test_not_on_another_shops_nor_the_platforms_hostname(
        self, client, aurum, zircon, host
    ):
        _, _, document, _ = zircon

        response = self._download(client, document, host)

        assert response.status_code == 404
        _no_canary(response)

    def test_not_while_its_shop_is_suspended(self, client, zircon):
        tenant, _, document, _ = zircon
        set_status(tenant, "suspended")

        assert self._download(client, document, "zircon.localhost").status_code == 503

    def test_to_its_own_staff_in_the_admin_on_the_platforms_hostname(
        self, client, aurum, zircon
    ):
        tenant, _, document, _ = zircon
        client.force_login(owner_of(aurum))
        assert self._download(client, document, "127.0.0.1").status_code == 404

        client.force_login(owner_of(tenant))
        assert self._download(client, document, "127.0.0.1").status_code == 200


# Each query counts rows about the canary shop's image, document or piece.
CANARY_ROWS = {
    "image": "SELECT count(*) FROM wagtailimages_image WHERE id = %(image)s",
    "rendition": "SELECT count(*) FROM wagtailimages_rendition "
    "WHERE image_id = %(image)s",
    "document": "SELECT count(*) FROM wagtaildocs_document WHERE id = %(document)s",
    "tagged item": "SELECT count(*) FROM taggit_taggeditem "
    "WHERE object_id IN (%(image)s, %(document)s)",
    "reference": "SELECT count(*) FROM wagtailcore_referenceindex "
    "WHERE to_object_id = %(image)s::text",
    "search entry": "SELECT count(*) FROM wagtailsearch_indexentry "
    "WHERE object_id IN (%(image)s::text, %(document)s::text)",
    "history": "SELECT count(*) FROM tenancy_shoplogentry "
    "WHERE label LIKE '%%canary%%'",
}


@pytest.mark.parametrize("rows", list(CANARY_ROWS))
def test_the_application_role_reads_wagtails_shop_tables_only_as_that_shop(
    aurum, zircon, aurums_media, rows
):
    tenant, image, document, _ = zircon
    ids = {"image": image.pk, "document": document.pk}

    def count(shop):
        with tenant_context(shop), connection.cursor() as cursor:
            cursor.execute(CANARY_ROWS[rows], ids)
            return cursor.fetchone()[0]

    assert count(tenant) > 0
    assert count(aurum) == 0
    assert count(None) == 0


def test_an_operator_chooses_a_shop_before_wagtails_media_screens(
    client, admin_user, aurum
):
    client.force_login(admin_user)

    for url in ["/admin/images/", "/admin/documents/", "/admin/api/main/images/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/shop/switch/"


@pytest.mark.parametrize(
    "url", ["/admin/api/main/images/?search=a%00b", "/admin/tag-autocomplete/?term=%00"]
)
def test_a_nul_byte_in_a_search_is_a_bad_request(staff, url):
    assert staff.get(url).status_code == 400


def test_the_shops_own_pages_are_still_found(staff, aurum):
    page = aurum.home_page
    assert staff.get(f"/admin/choose-page/{page.pk}/").status_code == 200
    assert Page.objects.filter(pk=page.pk).exists()


def test_wagtails_media_forms_refuse_another_shops_collection(client, aurum, zircon):
    image, document = _media(aurum, "ring")
    theirs = zircon[0].collection
    client.force_login(owner_of(aurum))
    posts = {
        f"/admin/images/{image.pk}/": {"title": "Moved", "collection": theirs.pk},
        f"/admin/documents/edit/{document.pk}/": {
            "title": "Moved",
            "collection": theirs.pk,
        },
        "/admin/images/add/": {"collection": theirs.pk},
        "/admin/documents/multiple/add/": {"collection": theirs.pk},
        f"/admin/images/multiple/{image.pk}/": {
            f"image-{image.pk}-title": "Moved",
            f"image-{image.pk}-collection": theirs.pk,
        },
    }

    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), url
        _no_canary(response)

    with tenant_context(aurum):
        assert Image.objects.get().collection == aurum.collection
        assert Document.objects.get().collection == aurum.collection
        assert Image.objects.count() == Document.objects.count() == 1
    with tenant_context(zircon[0]):
        assert Image.objects.filter(collection=theirs).count() == 1
