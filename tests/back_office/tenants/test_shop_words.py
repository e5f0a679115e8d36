"""The admin speaks the shop's words, not the framework's."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from back_office.tenants.models import Membership
from tests.factories.tenants import make_member, owner_of

FRAMEWORK_WORDS = ("Snippets", "Search all pages", "editor guide", "Wagtail")


@pytest.fixture(params=[Membership.Role.OWNER, Membership.Role.SALES])
def staff(request, client, aurum):
    user = (
        owner_of(aurum)
        if request.param == Membership.Role.OWNER
        else make_member(aurum, request.param)
    )
    client.force_login(user)
    return client


def test_the_dashboard_is_the_shops_and_counts_its_pieces(staff):
    page = BeautifulSoup(staff.get(reverse("wagtailadmin_home")).content, "html.parser")

    assert page.title.get_text() == "Dashboard - Aurum Jewellers · Karat"
    assert page.h1.get_text(strip=True) == "Aurum Jewellers"
    summary = " ".join(page.find(class_="w-dashboard").get_text(" ").split())
    assert "0 pieces in the shop" in summary
    for word in ("Page", "Image", "Document"):
        assert word not in summary


def test_no_screen_staff_work_in_speaks_wagtails_words(staff):
    for url in (reverse("wagtailadmin_home"), reverse("stockitem:index")):
        html = staff.get(url).content.decode()
        page = BeautifulSoup(html, "html.parser")
        for hidden in page.find_all(["noscript", "script", "template"]):
            hidden.decompose()  # shown only without JavaScript, or not text at all
        visible = page.get_text(" ")
        for word in FRAMEWORK_WORDS:
            assert word not in visible, (url, word)
        assert '"name": "snippets"' not in html  # the sidebar's menu
        assert '"name": "help"' not in html


def test_the_sign_in_page_is_karats(client, db):
    page = BeautifulSoup(
        client.get(reverse("wagtailadmin_login")).content, "html.parser"
    )

    assert page.h1.get_text(strip=True) == "Sign in to Karat"
    assert "Wagtail" not in page.title.get_text()
    assert page.find("link", rel="icon")["href"].endswith("karat.svg")


def test_selected_pieces_are_counted_as_pieces_not_snippets(staff):
    html = staff.get(reverse("wagtailsnippets_inventory_piece:list")).content.decode()

    assert 'data-bulk-action-footer="PIECE"' in html
    assert "%(objects)s pieces selected" in html  # wagtailConfig's words for PIECE
