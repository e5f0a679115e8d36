"""The StreamField blocks of the storefront's pages (home, content pages)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from back_office.tenancy.context import current_tenant
from back_office.tenancy.queries import in_shop_collection

#: Objects a page's reader has loaded already, by (model, id): chooser blocks take
#: them from here instead of querying (see `loaded`).
_loaded: ContextVar[dict | None] = ContextVar("loaded_objects", default=None)


@contextmanager
def loaded(objects):
    """While the block runs, chooser blocks converting a stream take these objects
    (loaded with the page's other images, in one query) instead of their own
    query. Only the caller's context sees them."""
    token = _loaded.set({(type(o), o.pk): o for o in objects})
    try:
        yield
    finally:
        _loaded.reset(token)


class ShopScopedChooserMixin:
    """A chooser block that accepts and loads only the current shop's objects: a
    stream is JSON, so without this it would take any object's id, another shop's
    included (the editor's chooser is scoped too, but a post can name any id)."""

    def shop_objects(self):
        raise NotImplementedError

    @property
    def field(self):
        return forms.ModelChoiceField(
            queryset=self.shop_objects(),
            widget=self.widget,
            required=self._required,
            validators=self._validators,
            help_text=self._help_text,
        )

    def to_python(self, value):
        return None if value is None else self.shop_objects().filter(pk=value).first()

    def bulk_to_python(self, values):
        objects = self.shop_objects()
        known = _loaded.get() or {}
        found = {
            pk: known[objects.model, pk]
            for pk in values
            if (objects.model, pk) in known
        }
        missing = [pk for pk in values if pk is not None and pk not in found]
        if missing:
            found |= objects.in_bulk(missing)
        return [found.get(value) for value in values]


class ShopImageChooserBlock(ShopScopedChooserMixin, ImageChooserBlock):
    def shop_objects(self):
        return get_image_model().objects.filter(in_shop_collection())


class ShopPageChooserBlock(ShopScopedChooserMixin, blocks.PageChooserBlock):
    def shop_objects(self):
        tenant = current_tenant()
        if tenant is None or tenant.home_page_id is None:
            return Page.objects.none()
        # Plain pages: a block only links to them.
        return Page.objects.filter(path__startswith=tenant.home_page.path)


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    label = blocks.CharBlock(max_length=40, help_text="The button's words.")
    page = ShopPageChooserBlock(help_text="Where the button leads.")

    class Meta:
        icon = "pick"
        template = "catalog/blocks/call_to_action.html"


class ImageAndTextBlock(blocks.StructBlock):
    image = ShopImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text="What the photo shows, for people who cannot see it. "
        "The image's title is used when left empty.",
    )
    text = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ul"])
    image_on_right = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "image"
        template = "catalog/blocks/image_and_text.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "openquote"
        template = "catalog/blocks/quote.html"


class GalleryImageBlock(blocks.StructBlock):
    image = ShopImageChooserBlock()
    caption = blocks.CharBlock(max_length=200, required=False)


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    images = blocks.ListBlock(GalleryImageBlock(), min_num=1, max_num=24)

    class Meta:
        icon = "image"
        template = "catalog/blocks/gallery.html"


class BodyBlock(blocks.StreamBlock):
    """What a home or content page's body is made of."""

    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        template="catalog/blocks/text.html",
    )
    image_and_text = ImageAndTextBlock()
    quote = QuoteBlock()
    gallery = GalleryBlock()
    call_to_action = CallToActionBlock()


def _shop_branches():
    from back_office.tenants.models import Branch

    if current_tenant() is None:
        return []
    return [(branch.code, branch.name) for branch in Branch.objects.order_by("name")]


DAYS = [
    ("Mo", "Monday"),
    ("Tu", "Tuesday"),
    ("We", "Wednesday"),
    ("Th", "Thursday"),
    ("Fr", "Friday"),
    ("Sa", "Saturday"),
    ("Su", "Sunday"),
]


class HoursBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(choices=DAYS)
    opens = blocks.TimeBlock()
    closes = blocks.TimeBlock()

    def clean(self, value):
        value = super().clean(value)
        if value["opens"] >= value["closes"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "closes": forms.ValidationError("Closes before it opens.")
                }
            )
        return value


class OpeningHoursBlock(blocks.StructBlock):
    """One branch's week; its choices are the current shop's branches."""

    branch = blocks.ChoiceBlock(choices=_shop_branches)
    hours = blocks.ListBlock(HoursBlock(), min_num=1)

    class Meta:
        icon = "time"
