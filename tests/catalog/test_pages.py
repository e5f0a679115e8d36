"""The storefront's page types: where each may go, and what the content and contact
pages do."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission
from wagtail.images import get_image_model
from wagtail.test.utils import WagtailPageTestCase

from back_office.tenancy.context import tenant_context
from catalog.images import ALL_SPECS
from catalog.models import (
    CatalogPage,
    ContactFormField,
    ContactPage,
    ContentPage,
    HomePage,
)
from tests.catalog.conftest import pieces_of
from tests.factories.catalog import content_page, publish_under
from tests.factories.inventory import photo_of


class TestPageTypeRules(WagtailPageTestCase):
    def test_the_catalogue_and_contact_pages_live_under_the_home_page_once(self):
        self.assertAllowedParentPageTypes(CatalogPage, {HomePage})
        self.assertAllowedParentPageTypes(ContactPage, {HomePage})
        assert CatalogPage.max_count_per_parent == ContactPage.max_count_per_parent == 1

    def test_content_pages_nest_under_the_home_page_or_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})
        self.assertAllowedSubpageTypes(CatalogPage, set())


def test_a_content_page_shows_its_blocks(get, aurum_site):
    content_page(
        aurum_site,
        "Care guide",
        slug="care",
        introduction="Keep it bright.",
        body=[
            ("text", "<h2>Gold</h2><p>Warm water.</p>"),
            ("quote", {"quote": "Like new.", "attribution": "Anna"}),
        ],
    )

    content = get("/care/").content.decode()

    assert "<h1>Care guide</h1>" in content
    assert "Keep it bright." in content
    assert "<h2>Gold</h2>" in content
    assert "<blockquote><p>Like new.</p></blockquote>" in content


@pytest.fixture
def contact(aurum_site):
    with tenant_context(aurum_site):
        page = ContactPage(
            title="Contact",
            slug="contact",
            to_address="hello@aurum.test",
            from_address="website@aurum.test",
            subject="From the website",
        )
        page.form_fields = [
            ContactFormField(label="Your email", field_type="email", required=True),
            ContactFormField(label="Message", field_type="multiline", required=True),
        ]
        return publish_under(aurum_site.home_page.specific, page)


def test_a_contact_message_is_kept_and_sent_to_the_shop(client, contact):
    response = client.post(
        "/contact/",
        {"your_email": "maya@example.com", "message": "Do you resize rings?"},
        HTTP_HOST="aurum.localhost",
    )

    assert response.status_code == 200
    assert "Message sent" in response.content.decode()
    assert FormSubmission.objects.filter(page=contact).count() == 1
    [email] = mail.outbox
    assert email.to == ["hello@aurum.test"]
    assert "Do you resize rings?" in email.body


def test_a_contact_message_with_errors_is_refused_and_kept_nowhere(client, contact):
    response = client.post(
        "/contact/", {"your_email": "not-an-email"}, HTTP_HOST="aurum.localhost"
    )

    assert response.status_code == 200
    assert "Please check the fields marked below." in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_a_new_photo_has_its_storefront_sizes_made_once_it_is_saved(
    stock, django_capture_on_commit_callbacks
):
    with tenant_context(stock), django_capture_on_commit_callbacks(execute=True):
        photo = photo_of(pieces_of(stock)["R1"])

    with tenant_context(stock):
        made = get_image_model().get_rendition_model().objects.filter(image=photo.image)
        assert set(made.values_list("filter_spec", flat=True)) == set(ALL_SPECS)
