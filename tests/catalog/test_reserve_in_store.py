"""Reserve in store from the storefront: the form, the held price, refusals."""

import re

import pytest
from django.core import mail

from back_office.inventory.models import Piece, StockMovement
from back_office.sales.models import Reservation
from back_office.tenancy.context import tenant_context
from catalog import views
from tests.catalog.conftest import pieces_of


@pytest.fixture
def client(client):
    client.enforce_csrf_checks = True
    return client


def csrf(client, path):
    response = client.get(path, HTTP_HOST="aurum.localhost")
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    )[1]


def reserve(client, stock, token=None, **fields):
    path = "/catalog/R1/reserve/"
    token = token or csrf(client, path)
    with tenant_context(stock):
        branch = pieces_of(stock)["R1"].branch_id
    data = {
        "csrfmiddlewaretoken": token,
        "name": "Maya Fernandes",
        "phone": "+1 555 0199",
        "email": "maya@example.com",
        "branch": branch,
        "message": "Saturday morning?",
        **fields,
    }
    return client.post(path, data, HTTP_HOST="aurum.localhost")


def rows(stock):
    with tenant_context(stock):
        return (
            Reservation.objects.count(),
            StockMovement.objects.filter(
                kind=StockMovement.Kind.RESERVED, piece__sku="R1"
            ).count(),
            Piece.objects.get(sku="R1").status,
        )


def test_the_reserve_page_shows_the_piece_todays_price_and_the_hold(client, stock):
    response = client.get("/catalog/R1/reserve/", HTTP_HOST="aurum.localhost")
    content = response.content.decode()

    assert response.status_code == 200
    assert "Solitaire ring" in content
    assert "USD 1,095.92" in content
    assert "for 48 hours" in content
    assert '<label for="id_name">Your name' in content


def test_a_reservation_holds_the_price_and_says_until_when(
    client, stock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reserve(client, stock)

    assert response.status_code == 302
    confirmation = client.get(response["Location"], HTTP_HOST="aurum.localhost")
    text = " ".join(confirmation.content.decode().split())
    assert "Solitaire ring is held at USD 1,095.92 until" in text
    assert "Main Street" in text
    assert confirmation["Cache-Control"] == "private, no-store"
    assert rows(stock) == (1, 1, Piece.Status.RESERVED)
    with tenant_context(stock):
        reservation = Reservation.objects.get()
    assert str(reservation.quoted_total) == reservation.quote["total"] == "1095.92"
    assert reservation.reference in response["Location"]
    assert any("maya@example.com" in message.to for message in mail.outbox)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": ""}, "This field is required."),
        ({"phone": "", "email": ""}, "Give a phone number or an email"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"branch": "999999"}, "Select a valid choice."),
        ({"message": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_invalid_input_re_renders_with_its_error_and_creates_nothing(
    client, stock, fields, error
):
    response = reserve(client, stock, **fields)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert rows(stock) == (0, 0, Piece.Status.IN_STOCK)


def test_a_phone_number_the_shop_could_not_call_is_marked_on_its_field(client, stock):
    response = reserve(client, stock, phone="call me maybe", email="")

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_phone_error"' in content
    assert "Please check the phone number" in content
    assert rows(stock) == (0, 0, Piece.Status.IN_STOCK)


def test_another_shops_branch_is_refused(client, stock, luna_site):
    with tenant_context(luna_site):
        from back_office.tenants.models import Branch

        foreign = Branch.objects.get()

    response = reserve(client, stock, branch=foreign.pk)

    assert response.status_code == 400
    assert rows(stock) == (0, 0, Piece.Status.IN_STOCK)


def test_a_bot_filling_the_hidden_field_reserves_nothing(client, stock):
    response = reserve(client, stock, website="http://spam.example")

    assert response.status_code == 400
    assert rows(stock) == (0, 0, Piece.Status.IN_STOCK)


def test_a_piece_just_reserved_by_someone_else_says_so(client, stock):
    # Two customers opened the form; the first one sends it first.
    token = csrf(client, "/catalog/R1/reserve/")
    first = reserve(client, stock)

    second = reserve(client, stock, token, name="Jonas Weber")

    assert first.status_code == 302
    assert second.status_code == 409
    assert "just reserved by someone else" in second.content.decode()
    assert rows(stock) == (1, 1, Piece.Status.RESERVED)


def test_a_reserved_piece_offers_no_form(client, stock):
    response = client.get("/catalog/R3/reserve/", HTTP_HOST="aurum.localhost")

    assert response.status_code == 200
    assert "already reserved" in response.content.decode()
    assert 'name="name"' not in response.content.decode()


def test_one_address_may_reserve_only_so_often(client, stock, monkeypatch):
    monkeypatch.setattr(views, "RESERVE_ATTEMPTS_PER_HOUR", 2)
    for _ in range(2):
        reserve(client, stock, name="")  # invalid, still attempts

    response = reserve(client, stock)

    assert response.status_code == 429
    assert "Too many reservations from your address" in response.content.decode()
    assert rows(stock) == (0, 0, Piece.Status.IN_STOCK)


def test_a_confirmation_is_found_only_by_its_piece_and_reference(client, stock):
    location = reserve(client, stock)["Location"]
    reference = location.rstrip("/").rsplit("/", 1)[1]

    assert client.get(location, HTTP_HOST="aurum.localhost").status_code == 200
    wrong_piece = f"/catalog/R2/reserved/{reference}/"
    assert client.get(wrong_piece, HTTP_HOST="aurum.localhost").status_code == 404
    assert client.get(location, HTTP_HOST="luna.localhost").status_code == 404
