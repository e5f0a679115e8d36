"""The demo shops' storefronts: branding, a home page with a hero, featured
categories and stories, the catalogue, About, Care guide and Contact pages, and a
few open reservations. Two shops that look like two different shops.

Idempotent: a shop whose site already has its catalogue page is left as it is.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from wagtail.images.models import Image
from wagtail.models import Site

from back_office.inventory.models import Category, Piece
from back_office.sales import services as sales
from back_office.sales.models import Reservation
from back_office.tenants.models import Branch, Tenant
from catalog.models import (
    CatalogPage,
    ContactFormField,
    ContactPage,
    ContentPage,
    HomeFeaturedCategory,
    ShopBranding,
)
from demo.photos import draw_banner, draw_piece


@dataclass(frozen=True)
class Look:
    brand: str
    accent: str
    hero_kind: str
    hero_metal: str
    hero_stone: str | None
    heading: str
    text: str
    featured: tuple[str, ...]
    quote: str
    quote_by: str
    story: str
    phone: str
    social: str
    hours: tuple[tuple[str, tuple[str, ...], str, str], ...]


LOOKS = {
    "aurum": Look(
        brand="#3d2b1f",
        accent="#8a5a14",
        hero_kind="rings",
        hero_metal="yellow",
        hero_stone="diamond",
        heading="Gold, weighed and priced in the open",
        text="Every piece shows its weight, purity and today's gold rate, so you "
        "see exactly what you pay for.",
        featured=("Rings", "Necklaces", "Bangles"),
        quote="They showed me the weight, the rate and the making charge before I "
        "even asked. I have never bought gold so calmly.",
        quote_by="Priya, bought her wedding bangles here",
        story="<h2>Three generations at the bench</h2><p>Aurum began as a repair "
        "bench on Main Street in 1962. We still size, polish and restore every piece "
        "we sell in our own workshop, and we still weigh gold in front of you.</p>",
        phone="+1 555 0142",
        social="https://www.instagram.com/aurum.jewellers",
        hours=(
            ("MAIN", ("Mo", "Tu", "We", "Th", "Fr"), "09:30", "18:30"),
            ("MAIN", ("Sa",), "10:00", "16:00"),
            ("MALL", ("Mo", "Tu", "We", "Th", "Fr", "Sa"), "10:00", "21:00"),
            ("MALL", ("Su",), "11:00", "18:00"),
        ),
    ),
    "luna": Look(
        brand="#1e3a5c",
        accent="#8c3160",
        hero_kind="necklaces",
        hero_metal="silver",
        hero_stone="pearl",
        heading="Silver and pearls for every day",
        text="Hand-finished sterling silver, freshwater pearls and coloured stones, "
        "made to be worn, not kept in a drawer.",
        featured=("Necklaces", "Earrings", "Pendants"),
        quote="My pearl pendant has been on every trip with me for five years and "
        "still looks new.",
        quote_by="Anna, Heidelberg",
        story="<h2>Made in the Altstadt</h2><p>Luna is two goldsmiths and a small "
        "workshop behind the Marktplatz. We design in silver first, because it "
        "forgives nothing, and set each stone by hand.</p>",
        phone="+49 6221 555 019",
        social="https://www.instagram.com/luna.gems",
        hours=(
            ("ALT", ("Tu", "We", "Th", "Fr"), "10:00", "19:00"),
            ("ALT", ("Sa",), "10:00", "17:00"),
            ("HBF", ("Mo", "Tu", "We", "Th", "Fr", "Sa"), "08:00", "20:00"),
        ),
    ),
}

CARE_GUIDE = (
    "<h2>Gold</h2><p>Wash in warm water with a drop of mild soap and dry with a soft "
    "cloth. Take rings off before the gym, the garden and the pool: chlorine "
    "weakens gold alloys.</p><h2>Silver</h2><p>Silver darkens in air; wearing it "
    "keeps it bright. Store it in the pouch it came in, away from rubber bands "
    "and wool.</p><h2>Stones and pearls</h2><p>Diamonds love grease: clean them "
    "with a soft brush. Pearls are the last thing you put on and the first you "
    "take off; never soak them.</p><p>Bring any piece to us for a free clean and "
    "a check of its settings, every year.</p>"
)


def _image(tenant: Tenant, title: str, png: bytes, name: str) -> Image:
    image = Image(title=title, collection=tenant.collection)
    image.file = ImageFile(io.BytesIO(png), name=name)
    image.save()
    return image


def _branding(tenant: Tenant, look: Look) -> None:
    site = Site.objects.get(root_page_id=tenant.home_page_id)
    branding = ShopBranding.for_site(site)
    branding.brand_colour = look.brand
    branding.accent_colour = look.accent
    branches = list(Branch.objects.order_by("name"))
    branding.address = "\n".join(branch.address for branch in branches[:1])
    branding.phone = look.phone
    branding.email = f"hello@{tenant.slug}.test"
    branding.instagram_url = look.social
    by_branch: dict[str, list] = {}
    for code, days, opens, closes in look.hours:
        by_branch.setdefault(code, []).append(
            {
                "days": list(days),
                "opens": datetime.time.fromisoformat(opens),
                "closes": datetime.time.fromisoformat(closes),
            }
        )
    branding.opening_hours = [
        ("branch", {"branch": code, "hours": hours})
        for code, hours in by_branch.items()
    ]
    branding.full_clean()
    branding.save()


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_storefront(tenant: Tenant, look: Look | None = None) -> None:
    """Run inside tenant_context(tenant), after the shop's stock exists. `look`:
    the demo shop's own (LOOKS) unless given."""
    home = tenant.home_page.specific
    if CatalogPage.objects.child_of(home).exists():
        return
    look = look or LOOKS[tenant.slug]
    _branding(tenant, look)

    catalog = _publish(
        home,
        CatalogPage(
            title="Collection",
            slug="catalog",
            intro="Every piece priced from today's rate, with its weight and purity.",
            show_in_menus=True,
            search_description=f"The jewellery of {tenant.name}, priced live.",
        ),
    )
    about = _publish(
        home,
        ContentPage(
            title="About us",
            slug="about",
            introduction=f"{tenant.name}: who we are and how we work.",
            show_in_menus=True,
            body=[("text", look.story)],
        ),
    )
    _publish(
        home,
        ContentPage(
            title="Care guide",
            slug="care",
            introduction="How to keep gold, silver, stones and pearls beautiful.",
            show_in_menus=True,
            body=[("text", CARE_GUIDE)],
        ),
    )
    contact = ContactPage(
        title="Contact",
        slug="contact",
        show_in_menus=True,
        intro="<p>Questions about a piece, a repair or a commission? Write to us.</p>",
        thank_you_text="<p>Thank you: we answer within a working day.</p>",
        to_address=f"hello@{tenant.slug}.test",
        from_address=f"website@{tenant.slug}.test",
        subject=f"A message from the {tenant.name} website",
    )
    contact.form_fields = [
        ContactFormField(label="Your name", field_type="singleline", required=True),
        ContactFormField(label="Your email", field_type="email", required=True),
        ContactFormField(label="Message", field_type="multiline", required=True),
    ]
    _publish(home, contact)

    hero = _image(
        tenant,
        look.heading,
        draw_banner(look.hero_kind, look.hero_metal, look.hero_stone, 7),
        f"{tenant.slug}-hero.png",
    )
    workshop = _image(
        tenant,
        "In the workshop",
        draw_piece(look.hero_kind, look.hero_metal, look.hero_stone, 11),
        f"{tenant.slug}-workshop.png",
    )
    home.hero_image = hero
    home.hero_heading = look.heading
    home.hero_text = look.text
    home.hero_button_label = "See the collection"
    home.hero_button_page = catalog
    home.featured_categories = [
        HomeFeaturedCategory(category=category)
        for category in Category.objects.filter(name__in=look.featured)
    ]
    home.body = [
        ("quote", {"quote": look.quote, "attribution": look.quote_by}),
        (
            "image_and_text",
            {
                "image": workshop,
                "alt": "A piece on the workshop's bench",
                "text": look.story,
                "image_on_right": True,
            },
        ),
        (
            "call_to_action",
            {
                "heading": "See it in store",
                "text": "Reserve any piece online: we hold it and its price for you.",
                "label": "About us",
                "page": about,
            },
        ),
    ]
    home.save_revision().publish()
    _reservations()


def _reservations() -> None:
    """Two customers' open reservations, through the sales service."""
    if Reservation.objects.exists():
        return
    customers = [("Maya Fernandes", "+1 555 0199", "maya@example.com")]
    customers.append(("Jonas Weber", "", "jonas@example.com"))
    pieces = Piece.objects.filter(status=Piece.Status.IN_STOCK).order_by("sku")[:2]
    for piece, (name, phone, email) in zip(pieces, customers, strict=False):
        sales.reserve_piece(
            piece,
            branch=piece.branch,
            customer_name=name,
            phone=phone,
            email=email,
            message="I would like to see it on Saturday.",
        )
