"""Template tags of the storefront: photos from ready renditions, money, weights,
purity and structured data."""

import json
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from back_office.inventory import pricing
from back_office.inventory.purity import karat
from catalog.images import SIZES, ready_renditions

register = template.Library()


@register.simple_tag
def picture(image, size, alt=None, eager=False, css_class=""):
    """An <img> with `srcset` from the renditions that exist, its width and height
    set so nothing shifts as it loads, lazy unless `eager` (the first photo a
    customer sees). Nothing while the photo's renditions are still being made."""
    renditions = ready_renditions(image, size)
    if not renditions:
        return ""
    first = renditions[0]
    srcset = ", ".join(f"{r.url} {r.width}w" for r in renditions)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        ' class="{}" loading="{}" decoding="async">',
        first.url,
        srcset,
        SIZES[size].sizes or "100vw",
        first.width,
        first.height,
        image.title if alt is None else alt,
        css_class,
        "eager" if eager else "lazy",
    )


@register.simple_tag
def rendition_url(image, size):
    """The URL of the largest ready rendition, absolute for sharing, or ''."""
    renditions = ready_renditions(image, size)
    return renditions[-1].url if renditions else ""


@register.filter
def money(amount, currency):
    if amount is None or amount == "":
        return ""
    return pricing.format_money(Decimal(amount), currency)


@register.filter
def rate(rate_per_gram, currency):
    return pricing.format_rate(Decimal(rate_per_gram), currency)


@register.filter
def grams(weight):
    return pricing.format_weight(Decimal(weight))


@register.filter
def carats(weight):
    return f"{Decimal(weight).normalize():f} ct"


@register.filter
def purity_marks(piece):
    """Purity as both marks a jeweller reads: "18K · 750‰", or "925‰"."""
    marks = [f"{piece.fineness}‰"]
    if piece.metal == "gold" and karat(piece.fineness):
        marks.insert(0, f"{karat(piece.fineness)}K")
    return " · ".join(marks)


@register.filter
def first_photo(piece):
    photos = piece.photos.all()
    return photos[0].image if photos else None


@register.simple_tag
def json_ld(data):
    """schema.org data in a <script>, escaped so no text in it can close the tag."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag
def hidden_fields(params, *leave_out):
    """The query string's values as hidden inputs, but those named: a form that
    changes one thing keeps the rest of the selection."""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (name, value)
            for name in params
            if name not in leave_out
            for value in params.getlist(name)
        ),
    )


@register.filter
def making_charge_text(piece, currency):
    return pricing.describe_making_charge(
        piece.making_charge_type, piece.making_charge, currency
    )


@register.filter
def days(opening):
    """An opening's days, as a shop's door says them: "Mon, Tue, Wed"."""
    from catalog.blocks import DAYS

    short = {code: label[:3] for code, label in DAYS}
    return ", ".join(short[day] for day in opening.days)
