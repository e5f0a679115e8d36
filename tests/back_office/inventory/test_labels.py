"""Price tags (back_office/inventory/labels.py): the barcode and QR code in the SVG we
print decode to the piece's SKU (read back with zbar, as a shop's scanner would), and
the tag says what a customer needs."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw
from pyzbar import pyzbar

from back_office.inventory import labels
from back_office.inventory.pricing import PriceInputs, Rate, price

PIXELS_PER_MODULE = 4
PRINTED_AT = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def rasterize(svg: str, bar_height: int = 0) -> Image.Image:
    """Draw our SVG's path on a white image, as a printer would print it.

    The path is a list of `M x,y h w v h h-w z` rectangles in module units; a
    one-row barcode is stretched to `bar_height` modules high."""
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    stretch = bar_height or 1
    image = Image.new(
        "L", (width * PIXELS_PER_MODULE, height * stretch * PIXELS_PER_MODULE), 255
    )
    draw = ImageDraw.Draw(image)
    for x, y, w, h in re.findall(r"M(\d+),(\d+)h(\d+)v(\d+)h-\d+z", svg):
        x, y, w, h = int(x), int(y) * stretch, int(w), int(h) * stretch
        draw.rectangle(
            [
                x * PIXELS_PER_MODULE,
                y * PIXELS_PER_MODULE,
                (x + w) * PIXELS_PER_MODULE - 1,
                (y + h) * PIXELS_PER_MODULE - 1,
            ],
            fill=0,
        )
    # Scanners need light all round; a one-row barcode has none above and below.
    framed = Image.new("L", (image.width + 40, image.height + 40), 255)
    framed.paste(image, (20, 20))
    return framed


def decoded(image: Image.Image) -> list[tuple[str, str]]:
    return [(symbol.type, symbol.data.decode()) for symbol in pyzbar.decode(image)]


@pytest.mark.parametrize("sku", ["R00042", "AB-12/X", "1234567890", "S200"])
def test_the_printed_barcode_scans_as_the_sku(sku):
    image = rasterize(labels.barcode_svg(sku), bar_height=40)

    assert decoded(image) == [("CODE128", sku)]


def test_the_printed_qr_code_scans_as_its_payload():
    url = "https://aurum.example.com/catalog/r00042/"

    assert decoded(rasterize(labels.qr_svg(url))) == [("QRCODE", url)]


def test_the_barcode_has_quiet_zones_of_ten_modules():
    svg = labels.barcode_svg("R00042")
    modules = labels.code128_modules("R00042")

    width = int(re.search(r'viewBox="0 0 (\d+) 1"', svg).group(1))
    first_bar = min(int(x) for x in re.findall(r"M(\d+),", svg))
    assert width == len(modules) + 20
    assert first_bar == 10


def test_the_barcode_follows_code_128_start_check_and_stop():
    """Checked against the Code 128 tables, independently of python-barcode:
    start B, one symbol per character, the modulo-103 check symbol, stop."""
    patterns = {  # value: bar/space widths, from the Code 128 symbol table
        104: "211214",  # Start B
        50: "231131",  # R
        41: "231311",  # I
        46: "113321",  # N
        39: "211313",  # G
        13: "122132",  # -
        23: "312131",  # 7
        12: "112232",  # the check symbol of RING-7
    }
    stop = "2331112"
    values = [ord(character) - 32 for character in "RING-7"]  # code set B
    check = (104 + sum(i * v for i, v in enumerate(values, start=1))) % 103

    def modules(widths: str) -> str:
        return "".join(("1", "0")[i % 2] * int(w) for i, w in enumerate(widths))

    expected = "".join(modules(patterns[v]) for v in [104, *values, check])
    assert check == 12
    assert labels.code128_modules("RING-7") == expected + modules(stop)


def gold_ring(**overrides):
    piece = {
        "sku": "R00042",
        "title": "Solitaire engagement ring with side stones",
        "metal": "gold",
        "fineness": 916,
        "purity": "22K gold (916)",
        "net_weight_g": Decimal("4.800"),
        "gross_weight_g": Decimal("5.250"),
        "pricing_mode": "rate",
        "tag_price": None,
    }
    piece.update(overrides)
    return SimpleNamespace(**piece)


def todays_price(piece):
    return price(
        PriceInputs(
            currency="USD",
            tax_rate=Decimal(0),
            prices_include_tax=False,
            net_weight_g=piece.net_weight_g,
            fineness=piece.fineness,
            rate=Rate(Decimal("65"), PRINTED_AT),
        )
    )


def _fixed_price(tag_price, *, tax_rate="0", prices_include_tax=False):
    return price(
        PriceInputs(
            currency="USD",
            tax_rate=Decimal(tax_rate),
            prices_include_tax=prices_include_tax,
            fixed_price=Decimal(tag_price),
        )
    )


def _lines(tag, size="barbell"):
    return [line.text for line in labels.fitted_lines(tag, labels.LABEL_SIZES[size])]


def test_a_rate_priced_tag_shows_todays_price_and_its_rate_date():
    ring = gold_ring()

    tag = labels.tag_for(
        ring, currency="USD", price=todays_price(ring), priced_at=PRINTED_AT
    )

    assert tag.text("price") == "USD 285.79"  # 4.8 g x 65.00 x 0.916, no making
    assert "rate of 28 Nov 2026" in [line.text for line in tag.lines]


def test_the_tag_shows_what_the_customer_pays_tax_included():
    ring = gold_ring(pricing_mode="fixed", tag_price=Decimal("1000"))

    tag = labels.tag_for(
        ring,
        currency="USD",
        price=_fixed_price("1000", tax_rate="3"),
        priced_at=PRINTED_AT,
    )

    assert tag.text("price") == "USD 1,030.00"  # entered before tax: 3 % on top
    assert "incl. 3 % tax" in [line.text for line in tag.lines]


def test_a_rate_priced_tag_without_a_rate_says_it_is_priced_by_the_rate():
    tag = labels.tag_for(gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT)

    assert tag.text("price") == ""
    assert "today's rate" in _lines(tag)  # the barbell's short form


def test_the_weights_are_printed_in_full_each_on_its_line():
    tag = labels.tag_for(gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT)

    assert {"Net 4.800 g", "Gross 5.250 g"} <= set(_lines(tag))


def test_the_stones_carats_are_on_the_tag_by_kind_or_in_all():
    stones = [
        SimpleNamespace(get_kind_display=lambda: "Diamond", carats=Decimal("0.30")),
        SimpleNamespace(get_kind_display=lambda: "Ruby", carats=Decimal("0.12")),
    ]
    tag = labels.tag_for(
        gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT, stones=stones
    )

    assert tag.text("stones") == "Diamond 0.30 ct · Ruby 0.12 ct"
    assert "Stones 0.42 ct" in _lines(tag)  # the barbell's line holds the total only


def test_what_cannot_fit_is_dropped_by_priority_never_cut():
    ring = gold_ring()
    stones = [SimpleNamespace(get_kind_display=lambda: "Diamond", carats=Decimal(1))]
    tag = labels.tag_for(
        ring,
        currency="USD",
        price=todays_price(ring),
        priced_at=PRINTED_AT,
        stones=stones,
    )

    # Six lines on a barbell wing: the title gives way to a word, the rate's date
    # (the least needed) is left off; every figure is whole.
    assert _lines(tag) == [
        "Solitaire…",
        "22K gold (916)",
        "Net 4.800 g",
        "Gross 5.250 g",
        "Stones 1.00 ct",
        "USD 285.79",
    ]
    # The single label has five lines: the title goes first.
    assert _lines(tag, "label") == [
        "22K gold (916)",
        "Net 4.800 g",
        "Gross 5.250 g",
        "Diamond 1.00 ct",
        "USD 285.79",
    ]


def test_a_tag_page_shows_the_sku_and_the_fitted_lines():
    tag = labels.tag_for(gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT)

    html = labels.tag_html(tag, labels.LABEL_SIZES["barbell"])

    for text in ("R00042", "22K gold (916)", "Net 4.800 g", "Gross 5.250 g"):
        assert text in html


def test_the_qr_code_holds_the_storefront_url_when_there_is_one():
    url = "https://aurum.example.com/catalog/r00042/"

    with_url = labels.tag_for(
        gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT, url=url
    )
    without = labels.tag_for(
        gold_ring(), currency="USD", price=None, priced_at=PRINTED_AT
    )

    assert (with_url.qr_payload, without.qr_payload) == (url, "R00042")


@pytest.mark.parametrize(
    ("size", "page"), [("barbell", "60mm 12mm"), ("label", "50mm 25mm")]
)
def test_each_tag_stock_sets_its_page_size(size, page):
    assert f"@page {{ size: {page}; margin: 0; }}" in labels.page_css(
        labels.LABEL_SIZES[size]
    )
