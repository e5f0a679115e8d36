"""The catalogue listing: filters, sorts, facet counts, search and pages (the stock
is described in conftest.stock, with each piece's price worked out by hand)."""

import re

import pytest

from catalog import listing
from tests.catalog.conftest import skus_on

ON_SHOW = {"R1", "R2", "N1", "N2", "R3"}


def facet_count(response, name: str, value: str) -> int | None:
    """The count printed beside a filter value, or None if the value is not shown."""
    found = re.search(
        rf'name="{name}" value="{re.escape(value)}"[^>]*> [^<]* '
        r'<span class="facet__count">\((\d+)',
        response.content.decode(),
    )
    return int(found.group(1)) if found else None


def test_the_listing_shows_the_pieces_on_show_and_no_other(get, stock):
    response = get("/catalog/")

    assert response.status_code == 200
    assert set(skus_on(response)) == ON_SHOW
    assert "5 pieces" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=rings", {"R1", "R2", "R3"}),
        ("category=necklaces", {"N1", "N2"}),
        ("metal=silver", {"N1"}),
        ("metal=gold&metal=silver", ON_SHOW),
        ("purity=gold-750", {"R1", "R3"}),
        ("purity=gold-585&purity=silver-925", {"R2", "N1"}),
        ("colour=rose", {"R2"}),
        ("stone=diamond", {"R1"}),
        ("stone=pearl&stone=ruby", {"R2", "N1"}),
        ("origin=lab_grown", {"R2"}),
        ("origin=natural", {"R1", "N1"}),
        ("branch=MALL", {"N2"}),
        ("available=1", {"R1", "R2", "N1", "N2"}),
        ("max=400", {"R2", "N1", "R3"}),
        ("min=900&max=1000", {"N2"}),
        # Bounds are the prices as shown, to the cent.
        ("min=365.07&max=365.07", {"R2"}),
        ("min=1,095.92", {"R1"}),
        ("category=rings&metal=gold&max=1000&available=1", {"R2"}),
        ("category=necklaces&stone=pearl", {"N1"}),
        ("category=rings&colour=yellow&stone=diamond&origin=natural", {"R1"}),
    ],
)
def test_each_filter_and_their_combinations(get, stock, query, expected):
    response = get(f"/catalog/?{query}")

    assert set(skus_on(response)) == expected
    assert f"{len(expected)} piece" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["R3", "N1", "R2", "N2", "R1"]),
        ("-price", ["R1", "N2", "R2", "N1", "R3"]),
        ("weight", ["N1", "N2", "R1", "R2", "R3"]),
        ("newest", ["R3", "N2", "N1", "R2", "R1"]),
    ],
)
def test_each_sort(get, stock, sort, expected):
    assert skus_on(get(f"/catalog/?sort={sort}")) == expected


def test_the_price_on_each_card_is_todays_price_worked_out_by_hand(get, stock):
    content = get("/catalog/").content.decode()

    for price in ("USD 1,095.92", "USD 365.07", "USD 163.26", "USD 927.00"):
        assert price in content


def test_facet_counts_apply_every_other_filter(get, stock):
    response = get("/catalog/?category=rings")

    # The category's own counts ignore the category filter: ticking Necklaces too
    # would add its 2 pieces.
    assert facet_count(response, "category", "rings") == 3
    assert facet_count(response, "category", "necklaces") == 2
    # The others count rings only.
    assert facet_count(response, "metal", "gold") == 3
    assert facet_count(response, "metal", "silver") is None  # no silver ring: hidden
    assert facet_count(response, "purity", "gold-750") == 2
    assert facet_count(response, "stone", "diamond") == 1
    assert facet_count(response, "branch", "MAIN") == 3


def test_facet_counts_follow_the_price_range_and_stock_filter(get, stock):
    response = get("/catalog/?max=1000&available=1")

    assert facet_count(response, "category", "rings") == 1  # R2 (R3 is reserved)
    assert facet_count(response, "category", "necklaces") == 2
    assert facet_count(response, "metal", "silver") == 1


def test_a_chosen_value_stays_ticked_even_with_no_piece(get, stock):
    response = get("/catalog/?metal=platinum")

    assert skus_on(response) == []
    assert 'value="platinum" checked' in response.content.decode()
    assert "No piece matches this selection" in response.content.decode()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ruby", {"R2"}),
        ("pearl necklace", {"N1"}),
        ("necklaces", {"N1", "N2"}),  # the category's name
        ("GIA", {"R1"}),  # a stone's certificate lab
        ("lab-grown", {"R2"}),
        ("sterling", {"N1"}),
        ("ring gold", {"R1", "R2", "R3"}),
        ("platinum", set()),
    ],
)
def test_search_finds_pieces_by_their_words(get, stock, words, expected):
    response = get("/catalog/", data={"q": words})

    assert set(skus_on(response)) == expected


def test_search_combines_with_filters_and_facets(get, stock):
    response = get("/catalog/", data={"q": "ring", "colour": "rose"})

    assert skus_on(response) == ["R2"]
    assert facet_count(response, "colour", "yellow") == 1


def test_search_never_finds_a_hidden_or_sold_piece(get, stock):
    assert skus_on(get("/catalog/", data={"q": "hidden"})) == []
    assert skus_on(get("/catalog/", data={"q": "sold"})) == []


@pytest.mark.parametrize("bad", ["abc", "-5", "1e40", "NaN", "1" * 300])
def test_a_bad_price_is_reported_and_left_out(get, stock, bad):
    response = get("/catalog/", data={"max": bad})

    assert response.status_code == 200
    assert "Enter an amount" in response.content.decode()
    assert set(skus_on(response)) == ON_SHOW


def test_unknown_values_in_an_old_link_are_dropped(get, stock):
    response = get("/catalog/?category=tiaras&metal=unobtainium&sort=cheapest&page=x")

    assert response.status_code == 200
    assert set(skus_on(response)) == ON_SHOW


def test_the_listing_is_paged_and_pages_keep_the_selection(get, stock, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)

    first = get("/catalog/?sort=price")
    second = get("/catalog/?sort=price&page=2")
    last = get("/catalog/?sort=price&page=99")  # past the end: the last page

    assert skus_on(first) == ["R3", "N1"]
    assert skus_on(second) == ["R2", "N2"]
    assert skus_on(last) == ["R1"]
    assert 'href="?sort=price&amp;page=2"' in first.content.decode()


def test_a_filtered_listing_is_not_indexed_but_the_catalogue_is(get, stock):
    assert 'content="noindex' not in get("/catalog/").content.decode()
    assert 'content="noindex, follow"' in get("/catalog/?metal=gold").content.decode()
