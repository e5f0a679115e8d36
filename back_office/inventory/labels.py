"""Printable price tags: a Code 128 barcode of the SKU, a QR code, and what a customer
reads on a tag (title, purity, weights, stones, the price to pay), fitted to the
tag stock by priority.

Pure functions: piece data in, SVG and HTML snippets out; nothing here queries the
database (the caller passes the price). The barcode and the QR code are drawn as
SVG paths, one rectangle per run of dark modules, so they stay sharp at any print
resolution and need no raster library. The admin view (views.py) lays the tags out
on pages sized by CSS @page for the tag stock chosen (`LABEL_SIZES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import barcode
import segno
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from back_office.inventory.pricing import PriceBreakdown, format_money, format_weight

#: Code 128 asks for a quiet zone of at least ten modules on each side.
QUIET_ZONE = 10
#: A QR code asks for four modules of quiet zone; two are enough on a tag with a
#: blank margin around it, and every module counts at 9 mm.
QR_BORDER = 2


@dataclass(frozen=True)
class LabelSize:
    """A tag stock: the page the printer feeds, and the two areas printed on it.

    Barbell (dumbbell) tags have two printable wings joined by a thin tail that goes
    round the piece: the barcode goes on one wing, the text and QR code on the other.
    A single label has both areas side by side.
    """

    key: str
    name: str
    page_width_mm: Decimal
    page_height_mm: Decimal
    wing_width_mm: Decimal  # each printable area
    tail_mm: Decimal  # unprinted gap between the two areas (0: a single label)
    text_lines: int  # the lines of text beside the QR code, at the tag's type size
    line_chars: int  # what one such line holds in a plain sans face (no narrow one)


LABEL_SIZES: dict[str, LabelSize] = {
    size.key: size
    for size in (
        LabelSize(
            key="barbell",
            name="Barbell tag, two 22 x 12 mm wings (60 x 12 mm with the tail)",
            page_width_mm=Decimal(60),
            page_height_mm=Decimal(12),
            wing_width_mm=Decimal(22),
            tail_mm=Decimal(16),
            text_lines=6,
            line_chars=14,
        ),
        LabelSize(
            key="label",
            name="Single label, 50 x 25 mm",
            page_width_mm=Decimal(50),
            page_height_mm=Decimal(25),
            wing_width_mm=Decimal(25),
            tail_mm=Decimal(0),
            text_lines=5,
            line_chars=19,
        ),
    )
}
DEFAULT_SIZE = "barbell"


# Symbols


def code128_modules(text: str) -> str:
    """The bars of `text` in Code 128, one character per module: "1" dark, "0" light.

    Start code, data (switching to the compact numeric set C for runs of digits),
    the modulo-103 check character and the stop pattern, without quiet zones.
    """
    return barcode.get_barcode_class("code128")(text).build()[0]


def qr_modules(payload: str) -> list[str]:
    """The QR code of `payload` as rows of "1"/"0", without its quiet zone.

    Always a full QR code (never Micro QR, which most phone and shop scanners
    cannot read), at the highest error correction that fits the same size.
    """
    qr = segno.make(payload, error="m", micro=False)
    return ["".join(str(module) for module in row) for row in qr.matrix]


def _runs(row: str):
    """(start, length) of each run of dark modules in a row."""
    start = None
    for x, module in enumerate(row + "0"):
        if module == "1" and start is None:
            start = x
        elif module != "1" and start is not None:
            yield start, x - start
            start = None


def _svg(rows: list[str], border: int, css_class: str, label: str) -> SafeString:
    width = len(rows[0]) + 2 * border
    height = len(rows) + (2 * border if len(rows) > 1 else 0)
    top = border if len(rows) > 1 else 0
    path = "".join(
        f"M{x + border},{y + top}h{length}v1h-{length}z"
        for y, row in enumerate(rows)
        for x, length in _runs(row)
    )
    return format_html(
        '<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'preserveAspectRatio="none" shape-rendering="crispEdges" role="img" '
        'aria-label="{}"><path fill="#000" d="{}"/></svg>',
        css_class,
        width,
        height,
        label,
        path,
    )


def barcode_svg(text: str) -> SafeString:
    """An inline SVG of the Code 128 barcode, one unit per module, one unit high:
    CSS sets its printed width and height (the bars stretch, the widths keep)."""
    return _svg([code128_modules(text)], QUIET_ZONE, "barcode", f"Barcode {text}")


def qr_svg(payload: str) -> SafeString:
    """An inline SVG of the QR code, one unit per module, square."""
    return _svg(qr_modules(payload), QR_BORDER, "qr", f"QR code {payload}")


# What a tag says


@dataclass(frozen=True)
class TagLine:
    """One line of a tag's text. A tag holds fewer lines than a piece has to say:
    lines are kept by `priority` (1 first) and shown in the order given; a line
    too long for the tag is dropped, or replaced by its `short` form, never cut
    (a cut weight or price would be a wrong one)."""

    kind: str  # its CSS class: title, purity, weight, stones, price, note
    text: str
    priority: int
    short: str = ""


@dataclass(frozen=True)
class Tag:
    sku: str
    lines: tuple[TagLine, ...]
    qr_payload: str

    @property
    def barcode(self) -> SafeString:
        return barcode_svg(self.sku)

    @property
    def qr(self) -> SafeString:
        return qr_svg(self.qr_payload)

    def text(self, kind: str) -> str:
        """The full text of the tag's line of `kind` ("" if it has none)."""
        return next((line.text for line in self.lines if line.kind == kind), "")


def _stones(stones) -> TagLine | None:
    """ "Diamond 0.30 ct", or for several kinds each with its carats, shortened to
    the carats in all."""
    carats: dict[str, Decimal] = {}
    for stone in stones:
        kind = stone.get_kind_display()
        carats[kind] = carats.get(kind, Decimal(0)) + stone.carats
    if not carats:
        return None
    text = " · ".join(f"{kind} {ct:.2f} ct" for kind, ct in carats.items())
    return TagLine("stones", text, 5, short=f"Stones {sum(carats.values()):.2f} ct")


def tag_for(
    piece,
    *,
    currency: str,
    price: PriceBreakdown | None,
    priced_at: datetime,
    stones=(),
    url: str = "",
) -> Tag:
    """What the tag of `piece` says.

    `price` is the piece's price at `priced_at` (queries.price_of), or None when
    there is no rate for its metal yet; the tag shows what the customer pays, tax
    included, as the storefront does. The QR code holds `url` (the piece's
    storefront page) when there is one, else the SKU.
    """
    lines = [
        TagLine("title", piece.title, 6),
        TagLine("purity", piece.purity, 2),
        TagLine("weight", f"Net {format_weight(piece.net_weight_g)}", 3),
        TagLine("weight", f"Gross {format_weight(piece.gross_weight_g)}", 4),
    ]
    if stone_line := _stones(stones):
        lines.append(stone_line)
    if price is not None:
        lines.append(TagLine("price", format_money(price.total, currency), 1))
        if price.tax_rate:
            lines.append(
                TagLine("note", f"incl. {price.tax_rate.normalize():f} % tax", 7)
            )
        if piece.pricing_mode != "fixed":
            day = f"{priced_at.day} {priced_at:%b}"
            lines.append(
                TagLine("note", f"rate of {day} {priced_at:%Y}", 8, short=f"rate {day}")
            )
    else:  # no rate for the metal yet: the counter prices it at the sale
        lines.append(TagLine("note", "priced at today's rate", 1, short="today's rate"))
    return Tag(sku=piece.sku, lines=tuple(lines), qr_payload=url or piece.sku)


def _shortened_title(title: str, room: int) -> str:
    """A title cut at a word, marked "…", or "" if not even a word fits."""
    words, kept = title.split(), ""
    for word in words:
        longer = f"{kept} {word}".strip()
        if len(longer) + 1 > room:
            break
        kept = longer
    return f"{kept}…" if kept else ""


def fitted_lines(tag: Tag, size: LabelSize) -> list[TagLine]:
    """The lines that fit `size`, in the tag's order: the most important ones that
    the tag stock has room for (`size.text_lines` of `size.line_chars`)."""
    kept: dict[int, str] = {}  # the line's place on the tag -> its text
    by_priority = sorted(enumerate(tag.lines), key=lambda item: item[1].priority)
    for place, line in by_priority:
        if len(kept) == size.text_lines:
            break
        text = line.text
        if len(text) > size.line_chars and line.kind != "price":  # price: smaller
            if line.kind == "title":
                text = _shortened_title(text, size.line_chars)
            else:
                text = line.short if len(line.short) <= size.line_chars else ""
        if text:
            kept[place] = text
    return [
        TagLine(tag.lines[place].kind, text, tag.lines[place].priority)
        for place, text in sorted(kept.items())
    ]


def tag_html(tag: Tag, size: LabelSize) -> SafeString:
    """One tag, laid out for `size`: a page of its own when printed."""
    return render_to_string(
        "inventory/labels/tag.html",
        {"tag": tag, "size": size, "lines": fitted_lines(tag, size)},
    )


def page_css(size: LabelSize) -> str:
    """The @page rule and the tag's geometry, in millimetres, for `size`."""
    return (
        f"@page {{ size: {size.page_width_mm}mm {size.page_height_mm}mm; "
        "margin: 0; }\n"
        f".tag {{ width: {size.page_width_mm}mm; height: {size.page_height_mm}mm; }}\n"
        f".tag .wing {{ width: {size.wing_width_mm}mm; "
        f"height: {size.page_height_mm}mm; }}\n"
        f".tag .tail {{ width: {size.tail_mm}mm; }}\n"
    )
