"""The storefront's page types and the shop's branding.

A shop's site is the tree under its HomePage: one CatalogPage (the listing and every
piece, served from the inventory, not stored as pages), content pages, and a contact
page. Pieces are inventory rows: one source of truth for stock and price.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index

from back_office.inventory.models import Category, Piece
from back_office.tenancy.queries import in_shop_collection, in_shop_tree
from back_office.tenancy.sites import ShopSitePermissionPolicy
from catalog import colours
from catalog.blocks import BodyBlock, OpeningHoursBlock

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #7a1f3d.")
IMAGE = "wagtailimages.Image"


def shop_image(help_text: str) -> models.ForeignKey:
    """An optional photo chosen among the shop's own images."""
    return models.ForeignKey(
        IMAGE,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=in_shop_collection,
        help_text=help_text,
    )


class ShopPage:
    """What every storefront page type shares: its view restrictions are known from
    the shop's route table (set as `restricted` when the page is routed), so a page
    no restriction covers costs no query for them."""

    restricted: bool | None = None

    def get_view_restrictions(self):
        if self.restricted is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class StorefrontRootPermissions(PagePermissionTester):
    """A shop's home page is the root of its storefront and the shop's record points
    at it: it goes only with the shop, so no one deletes or moves it alone (the
    database would refuse, with a server error)."""

    def can_delete(self, ignore_bulk=False):
        return False

    def can_move(self):
        return False


class HomePage(ShopPage, Page):
    """A shop's storefront home: the root page of its site."""

    tagline = models.CharField(
        max_length=160, blank=True, help_text="One line under the shop's name."
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    hero_image = shop_image("A wide photo behind the heading (at least 1600 px wide).")
    hero_heading = models.CharField(
        max_length=120, blank=True, help_text="Defaults to the shop's name."
    )
    hero_text = models.CharField(max_length=240, blank=True)
    hero_button_label = models.CharField(
        max_length=40, blank=True, default="See the collection"
    )
    hero_button_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=in_shop_tree,
        help_text="Where the button leads; the catalogue when left empty.",
    )
    show_newest_pieces = models.BooleanField(
        default=True,
        help_text="With no featured pieces chosen, show the newest ones.",
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldRowPanel(
                    [FieldPanel("hero_button_label"), FieldPanel("hero_button_page")]
                ),
            ],
            heading="Hero",
        ),
        FieldPanel("intro"),
        InlinePanel("featured_categories", label="Featured category", max_num=6),
        MultiFieldPanel(
            [
                InlinePanel("featured_pieces", label="Featured piece", max_num=12),
                FieldPanel("show_newest_pieces"),
            ],
            heading="Featured pieces",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    # A home page is a site root, never a child of another shop page.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "catalog.CatalogPage",
        "catalog.ContentPage",
        "catalog.ContactPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "home page"

    def permissions_for_user(self, user):
        return StorefrontRootPermissions(user, self)

    def route(self, request, path_components):
        """Find the page a path names from the shop's route table (one query for
        the page, not one per path segment): the deepest live page whose URL
        starts the path, which then routes the rest (the catalogue its pieces)."""
        from catalog.shop_data import shop_data

        routes = shop_data(request).routes
        for taken in range(len(path_components), -1, -1):
            url_path = self.url_path + "".join(f"{p}/" for p in path_components[:taken])
            route = routes.get(url_path)
            if route is not None:
                break
        else:
            raise Http404
        rest = path_components[taken:]
        if route.page_id == self.pk:
            self.restricted = route.restricted
            return super().route(request, rest)
        page = apps.get_model(route.model).objects.filter(pk=route.page_id).first()
        if page is None:
            raise Http404
        page.restricted = route.restricted
        return page.route(request, rest)

    def get_context(self, request, *args, **kwargs):
        from catalog import queries
        from catalog.shop_data import shop_data

        data = shop_data(request)
        return {
            **super().get_context(request, *args, **kwargs),
            **queries.home_context(self, data, request.tenant.currency),
            "store_data": queries.store_data(request, data),
        }


class HomeFeaturedCategory(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_categories"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    image = shop_image("Defaults to a photo of the category's newest piece.")

    panels = [FieldPanel("category"), FieldPanel("image")]


class HomeFeaturedPiece(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_pieces"
    )
    piece = models.ForeignKey(
        Piece, on_delete=models.CASCADE, related_name="featured_on"
    )

    panels = [FieldPanel("piece")]


class CatalogPage(ShopPage, RoutablePageMixin, Page):
    """The shop's catalogue: the listing at its URL, each piece below it at its SKU.

    Pieces are not pages: they are served from the inventory, so stock and price
    have one source of truth."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["catalog.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "catalogue page"

    @path("")
    def listing(self, request):
        from catalog import views

        return views.listing(request, self)

    # SKUs may hold a slash ("RING/22"); the reserve routes come first.
    @re_path(r"^(?P<sku>[A-Za-z0-9][A-Za-z0-9._/-]*)/reserve/$", name="reserve")
    def reserve(self, request, sku):
        from catalog import views

        return views.reserve(request, self, sku)

    @re_path(
        r"^(?P<sku>[A-Za-z0-9][A-Za-z0-9._/-]*)/reserved/(?P<reference>[A-Z0-9-]+)/$",
        name="reserved",
    )
    def reserved(self, request, sku, reference):
        from catalog import views

        return views.reserved(request, self, sku, reference)

    @re_path(r"^(?P<sku>[A-Za-z0-9][A-Za-z0-9._/-]*)/$", name="piece")
    def piece(self, request, sku):
        from catalog import views

        return views.piece(request, self, sku)

    def piece_url(self, sku: str, request=None) -> str:
        return f"{self.get_url(request)}{sku}/"


class ContentPage(ShopPage, Page):
    """About the shop, a care guide, its policies."""

    introduction = models.CharField(max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["catalog.HomePage", "catalog.ContentPage"]
    subpage_types = ["catalog.ContentPage"]

    class Meta:
        verbose_name = "content page"


class ContactFormField(AbstractFormField):
    page = ParentalKey(
        "ContactPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactPage(ShopPage, AbstractEmailForm):
    """A contact form (Wagtail's form builder): each message is kept in the admin
    and sent to the shop's address."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        blank=True, features=["bold", "italic", "link"], default="<p>Thank you.</p>"
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form field"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["catalog.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "contact page"


@register_setting(icon="pick")
class ShopBranding(BaseSiteSetting):
    """How the shop's site looks and how customers reach it (Settings > Branding).

    The two colours are checked for contrast (WCAG 2.2 AA): white text on the brand
    colour, and the accent colour as text on the page's paper."""

    display_name = models.CharField(
        max_length=120, blank=True, help_text="Defaults to the shop's name."
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#2b2420",
        validators=[HEX_COLOUR],
        help_text="The header, footer and buttons, under white text.",
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#8a6420",
        validators=[HEX_COLOUR],
        help_text="Links and highlights, on the page's light background.",
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(
        blank=True, help_text="Shown to customers; contact messages are sent to it."
    )
    opening_hours = StreamField(
        [("branch", OpeningHoursBlock())],
        blank=True,
        help_text="Each branch's hours, shown on the site and to search engines.",
    )
    instagram_url = models.URLField(blank=True)
    facebook_url = models.URLField(blank=True)
    pinterest_url = models.URLField(blank=True)
    show_rates = models.BooleanField(
        "show today's rates",
        default=True,
        help_text="A strip on the home page with today's rate per metal and purity.",
    )

    panels = [
        HelpPanel(
            "<p>The logo is the shop's own (Shop &rsaquo; Logo): the same one on "
            "the site and in the back office.</p>"
        ),
        FieldPanel("display_name"),
        FieldRowPanel([FieldPanel("brand_colour"), FieldPanel("accent_colour")]),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
            ],
            heading="Finding the shop",
        ),
        MultiFieldPanel(
            [
                FieldPanel("instagram_url"),
                FieldPanel("facebook_url"),
                FieldPanel("pinterest_url"),
            ],
            heading="Social links",
        ),
        FieldPanel("show_rates"),
    ]

    class Meta:
        verbose_name = "branding"
        verbose_name_plural = "branding"

    @classmethod
    def get_permission_policy(cls):
        return ShopSitePermissionPolicy(cls)

    def clean(self):
        super().clean()
        fields = {field: getattr(self, field) for field, *_ in colours.CHECKS}
        if errors := colours.problems(fields):
            raise ValidationError(errors)

    @cached_property
    def accent_dark(self) -> str:
        return colours.darken(self.accent_colour, 0.15)
