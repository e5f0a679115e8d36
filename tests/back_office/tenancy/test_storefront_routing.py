import pytest
from wagtail.models import Site

from back_office.tenants.services import set_status


def _get(client, host, path="/"):
    return client.get(path, HTTP_HOST=host)


def test_each_shop_hostname_serves_its_own_home_page(client, aurum, luna):
    aurum_page = _get(client, "aurum.localhost").content.decode()
    luna_page = _get(client, "luna.localhost").content.decode()

    assert "Aurum Jewellers" in aurum_page
    assert "Luna Jewellers" not in aurum_page
    assert "Luna Jewellers" in luna_page
    assert "Aurum Jewellers" not in luna_page


def test_an_unknown_hostname_gets_404_not_another_shops_site(client, aurum):
    # Wagtail's default site would answer any hostname; no shop may.
    response = _get(client, "stranger.localhost")

    assert response.status_code == 404
    assert "Aurum" not in response.content.decode()


def test_the_platform_hostname_shows_the_platform_page_listing_shops(client, aurum):
    response = _get(client, "127.0.0.1")

    assert response.status_code == 200
    assert (
        "Storefronts and back offices for jewellery shops" in response.content.decode()
    )
    assert 'href="http://aurum.localhost/"' in response.content.decode()


def test_a_suspended_shop_answers_temporarily_closed_with_its_name(client, aurum):
    set_status(aurum, "suspended")

    response = _get(client, "aurum.localhost")

    assert response.status_code == 503
    assert "Aurum Jewellers" in response.content.decode()
    assert "temporarily closed" in response.content.decode()


def test_a_reactivated_shop_is_open_again(client, aurum):
    set_status(aurum, "suspended")
    set_status(aurum, "active")

    assert _get(client, "aurum.localhost").status_code == 200


def test_a_shop_site_marked_as_wagtails_default_answers_for_no_other_hostname(
    client, aurum
):
    site = Site.objects.get(root_page=aurum.home_page)
    site.is_default_site = True
    site.save()

    for host in ["stranger.localhost", "www.aurum.localhost", "luna.localhost"]:
        response = _get(client, host)
        assert response.status_code == 404, host
        assert "Aurum" not in response.content.decode(), host
    assert _get(client, "aurum.localhost").status_code == 200


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/metrics"])
@pytest.mark.parametrize("host", ["127.0.0.1", "aurum.localhost", "stranger.localhost"])
def test_probes_answer_on_a_shops_an_unknown_and_the_platform_hostname(
    client, path, host, aurum
):
    response = _get(client, host, path)

    assert response.status_code == 200
    assert "Aurum" not in response.content.decode()
