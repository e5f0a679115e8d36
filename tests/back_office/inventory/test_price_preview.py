"""The piece form's live price preview: today's breakdown of what the form holds,
before anything is saved."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from back_office.inventory.models import Piece
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Membership
from tests.factories.inventory import MetalRateFactory
from tests.factories.tenants import make_member, owner_of

PREVIEW = reverse("inventory_price_preview")


@pytest.fixture
def owner(client, aurum):
    with tenant_context(aurum):
        MetalRateFactory(metal="gold", rate_per_gram=Decimal("86.4000"))
    client.force_login(owner_of(aurum))
    return client


def _form(**fields):
    """The pricing fields of the piece form, as its script posts them."""
    return {
        "metal": "gold",
        "purity": "gold:750",
        "other_fineness": "",
        "net_weight_g": "4.200",
        "pricing_mode": "rate",
        "tag_price": "",
        "making_charge_type": "percent",
        "making_charge": "12",
        "stones-TOTAL_FORMS": "0",
        **fields,
    }


def _text(response) -> str:
    """What the preview reads, without markup."""
    return " ".join(
        BeautifulSoup(response.content, "html.parser").get_text(" ").split()
    )


def test_the_preview_prices_what_is_typed_at_todays_rate(owner, aurum):
    response = owner.post(PREVIEW, _form())

    # 4.2 g x 86.40 x 0.750 = 272.16; 12 % making = 32.6592 -> 32.66;
    # no tax: 304.8192 -> 304.82
    text = _text(response)
    assert "4.200 g × USD 86.40/g × 750‰" in text
    assert "USD 272.16" in text
    assert "USD 32.66" in text
    assert "USD 304.82" in text
    with tenant_context(aurum):
        assert not Piece.objects.exists()


def test_a_bare_18_shows_its_fortieth_of_a_price_and_a_warning(owner):
    text = _text(owner.post(PREVIEW, _form(purity="other", other_fineness="18")))

    assert "18‰ is not a standard hallmark of gold: is the purity right?" in text
    assert "4.200 g × USD 86.40/g × 18‰" in text
    assert "USD 7.32" in text  # 6.5318 + 0.7838 = 7.3156


def test_stones_are_added_and_a_row_marked_for_deletion_is_not(owner):
    stones = {
        "stones-TOTAL_FORMS": "2",
        "stones-0-carats": "0.300",
        "stones-0-value": "2800.00",
        "stones-0-value_mode": "per_carat",
        "stones-1-carats": "1.000",
        "stones-1-value": "5000.00",
        "stones-1-value_mode": "fixed",
        "stones-1-DELETE": "on",
    }

    text = _text(owner.post(PREVIEW, _form(**stones)))

    assert "Stones USD 840.00" in text  # 0.3 ct x 2,800.00; the deleted row is out
    assert "USD 1,144.82" in text


def test_the_preview_says_what_it_still_needs(owner):
    text = _text(owner.post(PREVIEW, _form(net_weight_g="")))

    assert "To see today's price, fill in: net metal weight." in text


def test_a_fixed_price_piece_previews_its_tag_price(owner):
    text = _text(owner.post(PREVIEW, _form(pricing_mode="fixed", tag_price="950")))

    assert "Tag price USD 950.00" in text
    assert "The customer pays USD 950.00" in text


def test_sales_staff_have_no_preview(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.SALES))

    assert client.post(PREVIEW, _form())["Location"] == "/admin/"


@pytest.mark.parametrize(
    "purity", ["gold:1" + "0" * 40, "gold:1" + "0" * 5000, "gold:18"]
)
def test_a_purity_that_is_no_hallmark_on_offer_asks_for_one(owner, purity):
    response = owner.post(PREVIEW, _form(purity=purity))

    assert response.status_code == 200
    assert "To see today's price, fill in: purity." in _text(response)
