"""schema.org data for search engines: a piece is a Product with an Offer, the home
page the shop's JewelryStore, and every page its BreadcrumbList."""

from datetime import timedelta

from django.utils import timezone

from back_office.inventory.models import Piece

DAY_NAMES = {
    "Mo": "Monday",
    "Tu": "Tuesday",
    "We": "Wednesday",
    "Th": "Thursday",
    "Fr": "Friday",
    "Sa": "Saturday",
    "Su": "Sunday",
}


def breadcrumbs(crumbs: list[dict], base_url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb["name"],
                "item": base_url.rstrip("/") + crumb["url"],
            }
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def product(piece: Piece, breakdown, url: str, image_url: str, shop_name: str):
    """A piece as a Product; its Offer is today's price, valid until the end of the
    day (a rate-priced piece's price moves with the rate)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": piece.title,
        "sku": piece.sku,
        "category": piece.category.name,
        "material": piece.purity,
        "brand": {"@type": "Brand", "name": shop_name},
        "url": url,
    }
    if piece.description:
        data["description"] = piece.description
    if image_url:
        data["image"] = [image_url]
    if breakdown is not None:
        in_stock = piece.status == Piece.Status.IN_STOCK
        data["offers"] = {
            "@type": "Offer",
            "url": url,
            "price": str(breakdown.total),
            "priceCurrency": breakdown.currency,
            "availability": "https://schema.org/"
            + ("InStoreOnly" if in_stock else "LimitedAvailability"),
            "priceValidUntil": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "itemCondition": "https://schema.org/NewCondition",
            "seller": {"@type": "Organization", "name": shop_name},
        }
    return data


def jewelry_store(name: str, url: str, branding, hours: list, logo_url: str):
    """The shop as a JewelryStore, with its address, contact and opening hours."""
    data = {
        "@context": "https://schema.org",
        "@type": "JewelryStore",
        "name": name,
        "url": url,
    }
    if logo_url:
        data["logo"] = logo_url
    if branding.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": " ".join(branding.address.split()),
        }
    if branding.phone:
        data["telephone"] = branding.phone
    if branding.email:
        data["email"] = branding.email
    same_as = [
        link
        for link in (
            branding.instagram_url,
            branding.facebook_url,
            branding.pinterest_url,
        )
        if link
    ]
    if same_as:
        data["sameAs"] = same_as
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "name": branch.branch,
            "dayOfWeek": [DAY_NAMES[day] for day in opening.days],
            "opens": opening.opens.strftime("%H:%M"),
            "closes": opening.closes.strftime("%H:%M"),
        }
        for branch in hours
        for opening in branch.openings
    ]
    if hours:
        data["openingHoursSpecification"] = hours
    return data
