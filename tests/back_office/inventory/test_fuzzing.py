"""Whatever staff type or import into the stock, the answer is a result or a
message, never a server error, and a refusal writes nothing (strategies in
tests/fuzzing.py)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from back_office.inventory import services
from back_office.inventory.errors import ImportRefused
from back_office.inventory.importing import COLUMNS
from back_office.inventory.models import MetalRate, Piece, StockLevel, StockMovement
from back_office.inventory.services import import_pieces
from back_office.tenancy.context import tenant_context
from tests.back_office.inventory.test_importing import GOOD_ROWS
from tests.factories.inventory import CategoryFactory, StockItemFactory, piece_form
from tests.factories.tenants import BranchFactory, make_tenant, owner_of
from tests.fuzzing import FUZZ, nasty, rolled_back


def piece_movements():
    return StockMovement.objects.exclude(piece=None)


def _good_row() -> dict[str, str]:
    return dict(zip(COLUMNS, next(csv.reader(io.StringIO(GOOD_ROWS[0]))), strict=True))


@pytest.fixture
def shop(db):
    tenant = make_tenant("aurum")
    with tenant_context(tenant):
        main, mall = BranchFactory(code="MAIN"), BranchFactory(code="MALL")
        category = CategoryFactory(name="Rings")
        item = StockItemFactory(sku="SC-45", unit="piece")
        services.receive_stock(item, main, 10)
    return tenant, main, mall, category, item


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(COLUMNS), nasty, max_size=4))
def test_an_import_row_is_taken_whole_or_refused_with_nothing_written(shop, changes):
    tenant = shop[0]
    row = {**_good_row(), **changes}
    with tenant_context(tenant), rolled_back():
        refusal = None
        try:
            result = import_pieces([row], owner_of(tenant))
        except ImportRefused as refused:
            refusal = refused
        event("refused" if refusal else "imported")  # --hypothesis-show-statistics
        if refusal is not None:
            assert refusal.errors, "refused without saying why"
            assert not Piece.objects.exists()
            assert not piece_movements().exists()
        else:
            assert [p.sku for p in result.pieces] == [row["sku"].strip().upper()]
            assert piece_movements().count() == 1


PIECE_FIELDS = [
    "sku", "title", "purity", "other_fineness", "gross_weight_g", "net_weight_g",
    "cost", "making_charge", "fixed_price", "hallmark", "size", "pricing_mode", "metal",
    "stones-TOTAL_FORMS", "photos-TOTAL_FORMS",
]  # fmt: skip


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(PIECE_FIELDS), nasty, max_size=3))
def test_the_piece_form_saves_a_whole_piece_or_shows_errors(client, shop, fields):
    tenant, main, _, category, _ = shop
    client.force_login(owner_of(tenant))
    with rolled_back():
        response = client.post(
            reverse("wagtailsnippets_inventory_piece:add"),
            piece_form(category, main, **fields),
        )

        event(f"answered {response.status_code}")
        assert response.status_code in {200, 302, 400}
        with tenant_context(tenant):
            if response.status_code == 302:
                piece = Piece.objects.get()
                assert piece.movements.count() == 1
            else:
                assert not Piece.objects.exists()
                assert not piece_movements().exists()


@FUZZ
@given(
    operation=st.sampled_from(["receive", "transfer", "adjust"]),
    quantity=st.one_of(
        st.integers(min_value=-20, max_value=20).map(str),
        st.decimals(min_value=-20, max_value=20, places=3).map(str),
        nasty,
    ),
    to=st.sampled_from(["mall", "main", "", "garbage"]),
)
def test_a_quantity_change_moves_the_ledger_and_the_count_together(
    client, shop, operation, quantity, to
):
    tenant, main, mall, _, item = shop
    client.force_login(owner_of(tenant))
    to_branch = {"mall": mall.pk, "main": main.pk, "": "", "garbage": to}[to]
    with rolled_back():
        response = client.post(
            reverse(f"inventory_{operation}_stock", args=[item.pk]),
            {
                "branch": main.pk,
                "to_branch": to_branch,
                "quantity": quantity,
                "reason": "Recount",
            },
        )

        event(f"answered {response.status_code}")
        assert response.status_code in {200, 302, 400}
        with tenant_context(tenant):
            for level in StockLevel.objects.filter(item=item):
                moved = StockMovement.objects.filter(
                    item=item, branch=level.branch
                ).aggregate(total=Sum("quantity_delta"))["total"]
                assert level.quantity == (moved or Decimal(0))
                assert level.quantity >= 0
                assert level.quantity == level.quantity.to_integral_value()


@FUZZ
@given(
    rate=st.one_of(st.decimals(min_value=0, max_value=500, places=4).map(str), nasty),
    metal=st.one_of(st.sampled_from(["gold", "silver", "platinum"]), nasty),
    effective_at=st.one_of(st.just("2026-11-30 10:00"), nasty),
)
def test_a_rate_entered_by_hand_is_stored_whole_or_refused(
    client, shop, rate, metal, effective_at
):
    tenant = shop[0]
    client.force_login(owner_of(tenant))
    with rolled_back():
        response = client.post(
            reverse("metal_rates:add"),
            {"metal": metal, "rate_per_gram": rate, "effective_at": effective_at},
        )

        event(f"answered {response.status_code}")
        assert response.status_code in {200, 302, 400}
        with tenant_context(tenant):
            stored = MetalRate.objects.count()
            assert stored == (1 if response.status_code == 302 else 0)
            assert not MetalRate.objects.filter(rate_per_gram__lte=0).exists()


PREVIEWED = [
    "metal",
    "purity",
    "other_fineness",
    "net_weight_g",
    "pricing_mode",
    "tag_price",
    "making_charge_type",
    "making_charge",
    "stones-TOTAL_FORMS",
    "stones-0-carats",
    "stones-0-value",
    "stones-0-value_mode",
]


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(PREVIEWED),
        st.one_of(nasty, st.sampled_from(["gold:750", "other", "fixed", "3", "-1"])),
        max_size=5,
    )
)
def test_the_price_preview_answers_anything_typed_and_writes_nothing(
    client, shop, changes
):
    tenant = shop[0]
    client.force_login(owner_of(tenant))
    typed = {
        "metal": "gold",
        "purity": "gold:750",
        "net_weight_g": "4.2",
        "pricing_mode": "rate",
        "making_charge_type": "percent",
        "making_charge": "12",
        "stones-TOTAL_FORMS": "1",
        "stones-0-carats": "0.3",
        "stones-0-value": "800",
        "stones-0-value_mode": "fixed",
        **changes,
    }

    response = client.post(reverse("inventory_price_preview"), typed)

    event(f"answered {response.status_code}")
    assert response.status_code in {200, 400}
    with tenant_context(tenant):
        assert not Piece.objects.exists()
