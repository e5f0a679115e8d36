"""The shop's logo at the top of its back office, chosen by the owner among the
shop's own images."""

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership, Tenant
from tests.factories.tenants import make_member, owner_of, shop_history

LOGO = reverse("tenants_shop_logo")


def _image(tenant, title):
    with tenant_context(tenant):
        return get_image_model().objects.create(
            title=title, file=get_test_image_file(), collection=tenant.collection
        )


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def test_the_owner_chooses_a_logo_and_every_screen_shows_it(owner, aurum):
    logo = _image(aurum, "Aurum logo")

    response = owner.post(LOGO, {"logo": logo.pk})

    assert response["Location"] == LOGO
    assert Tenant.objects.get(pk=aurum.pk).logo_id == logo.pk
    home = owner.get(reverse("wagtailadmin_home")).content.decode()
    assert 'alt="Aurum Jewellers"' in home
    assert "karat.svg" not in home.split("data-wagtail-sidebar-branding-logo")[1][:400]
    assert shop_history(aurum, action="tenants.details_changed")


def test_without_a_logo_the_back_office_shows_karats(owner):
    home = owner.get(reverse("wagtailadmin_home")).content.decode()

    assert "karat.svg" in home.split("data-wagtail-sidebar-branding-logo")[1][:400]


def test_another_shops_image_is_refused_and_nothing_changes(owner, aurum, luna):
    theirs = _image(luna, "Luna logo")

    response = owner.post(LOGO, {"logo": theirs.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Tenant.objects.get(pk=aurum.pk).logo_id is None


def test_sales_staff_cannot_change_the_logo(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.SALES))

    response = client.post(LOGO, {"logo": _image(aurum, "Sales pick").pk})

    assert response["Location"] == "/admin/"
    assert Tenant.objects.get(pk=aurum.pk).logo_id is None
