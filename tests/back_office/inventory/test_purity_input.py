"""Purity as jewellers give it: a standard hallmark chosen per metal, or another
fineness typed as the import takes it ("958", "22K") and confirmed. A slip such as
"18" for 18K must take effort to save."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from back_office.inventory.models import Piece
from back_office.inventory.purity import parse_purity
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import CategoryFactory, PieceFactory, piece_form
from tests.factories.tenants import BranchFactory, owner_of

ADD = reverse("wagtailsnippets_inventory_piece:add")


@pytest.fixture
def owner(client, aurum):
    with tenant_context(aurum):
        branch, category = BranchFactory(), CategoryFactory()
    client.force_login(owner_of(aurum))
    return client, lambda **fields: piece_form(category, branch, **fields)


def _saved(aurum):
    with tenant_context(aurum):
        return list(Piece.objects.values_list("metal", "fineness"))


@pytest.mark.parametrize(
    ("text", "metal", "fineness"),
    [
        ("916", "gold", 916),
        ("22K", "gold", 916),
        ("21 kt", "gold", 875),
        ("18ct", "gold", 750),
        (" 925‰ ", "silver", 925),
    ],
)
def test_the_parser_reads_the_jewellers_spellings(text, metal, fineness):
    assert parse_purity(text, metal) == fineness


@pytest.mark.parametrize(
    ("text", "metal", "message"),
    [
        ("22K", "silver", "is a karat: gold only"),
        ("23K", "gold", "is not a standard karat"),
        ("²", "gold", "is not a fineness"),
        ("1000", "gold", "is not a fineness"),
        ("٩١٦", "gold", "is not a fineness"),
    ],
)
def test_the_parser_refuses_with_a_message(text, metal, message):
    with pytest.raises(ValidationError, match=message):
        parse_purity(text, metal)


def test_a_standard_hallmark_is_chosen_and_saved(owner, aurum):
    client, form = owner

    response = client.post(ADD, form(purity="gold:916"))

    assert response.status_code == 302
    assert _saved(aurum) == [("gold", 916)]


def test_a_hallmark_of_another_metal_is_refused(owner, aurum):
    client, form = owner

    response = client.post(ADD, form(metal="silver", purity="gold:750"))

    assert response.status_code == 200
    assert "18K gold (750) is not a purity of silver" in response.content.decode()
    assert _saved(aurum) == []


def test_a_bare_18_for_18k_is_refused_until_confirmed(owner, aurum):
    client, form = owner
    typed = form(purity="other", other_fineness="18")

    refused = client.post(ADD, typed)
    confirmed = client.post(ADD, {**typed, "confirm_purity": "on"})

    assert "18 is not a standard hallmark of gold" in refused.content.decode()
    assert confirmed.status_code == 302
    assert _saved(aurum) == [("gold", 18)]


def test_a_karat_typed_as_other_is_its_fineness_without_confirmation(owner, aurum):
    client, form = owner

    response = client.post(ADD, form(purity="other", other_fineness="18K"))

    assert response.status_code == 302
    assert _saved(aurum) == [("gold", 750)]


def test_a_karat_on_silver_is_refused_as_in_the_import(owner, aurum):
    client, form = owner

    response = client.post(
        ADD, form(metal="silver", purity="other", other_fineness="22K")
    )

    assert "&quot;22K&quot; is a karat: gold only" in response.content.decode()
    assert _saved(aurum) == []


def test_the_edit_form_shows_the_pieces_purity(owner, aurum):
    client, _ = owner
    with tenant_context(aurum):
        standard = PieceFactory(metal="gold", fineness=750)
        unusual = PieceFactory(metal="gold", fineness=958)

    def edit(piece):
        url = reverse("wagtailsnippets_inventory_piece:edit", args=[piece.pk])
        return client.get(url).content.decode()

    assert '<option value="gold:750" selected>' in edit(standard)
    page = edit(unusual)
    assert '<option value="other" selected>' in page
    assert 'name="other_fineness" value="958"' in page
