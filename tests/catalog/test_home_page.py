import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from catalog.models import CatalogPage, ContactPage, ContentPage, HomePage
from tests.factories.tenants import make_tenant, owner_of


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_home_page_shows_the_shop_name(client, demo):
    response = client.get("/", HTTP_HOST="aurum.localhost:8000")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<span>Aurum Jewellers</span>" in content
    assert "Gold, weighed and priced in the open</h1>" in content
    assert "Gold and diamonds" in content


@pytest.mark.parametrize("host", ["aurum.localhost:8000", "luna.localhost:8000"])
@pytest.mark.parametrize(
    "path", ["/", "/catalog/", "/about/", "/care/", "/contact/", "/sitemap.xml"]
)
def test_each_demo_shop_has_a_whole_storefront(client, demo, host, path):
    assert client.get(path, HTTP_HOST=host).status_code == 200


def test_the_two_demo_shops_look_different(client, demo):
    aurum = client.get("/brand.css", HTTP_HOST="aurum.localhost:8000").content
    luna = client.get("/brand.css", HTTP_HOST="luna.localhost:8000").content

    assert b"--brand:" in aurum
    assert aurum != luna


def test_admin_login_page_answers(client, demo):
    response = client.get("/admin/login/")

    assert response.status_code == 200


def test_unknown_path_renders_the_shop_404(client, demo):
    response = client.get("/no-such-page/", HTTP_HOST="aurum.localhost:8000")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


class TestHomePageRules(WagtailPageTestCase):
    def test_home_page_is_a_site_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {CatalogPage, ContentPage, ContactPage}
        )

    def test_an_editor_cannot_add_a_home_page_inside_a_shop(self):
        self.assertCanNotCreateAt(HomePage, HomePage)


@pytest.mark.parametrize("who", ["owner", "operator"])
def test_a_shops_home_page_is_neither_deleted_nor_moved_alone(
    client, db, admin_user, who
):
    aurum = make_tenant("aurum")
    client.force_login(owner_of(aurum) if who == "owner" else admin_user)
    home = aurum.home_page
    urls = [
        f"/admin/pages/{home.pk}/delete/",
        f"/admin/pages/{home.pk}/move/",
        f"/admin/bulk/wagtailcore/page/delete/?id={home.pk}",
    ]

    for url in urls:
        assert client.post(url).status_code in {200, 302}, url

    home.refresh_from_db()
    assert (home.depth, home.live) == (2, True)
    assert not home.specific.permissions_for_user(admin_user).can_delete()
