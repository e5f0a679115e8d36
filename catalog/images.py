"""The sizes the storefront shows photos at, made once when a photo is added.

A customer's request never makes a rendition: templates use the renditions that
exist (`ready_renditions`), and a photo whose renditions are still being made is
left out until the task (catalog.tasks.make_renditions) has run.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model


@dataclass(frozen=True)
class Size:
    """One way a photo is shown: renditions of growing width for `srcset`."""

    specs: tuple[str, ...]
    sizes: str  # the `sizes` attribute: how wide the photo is drawn


SIZES = {
    "card": Size(
        ("fill-360x360|format-webp", "fill-720x720|format-webp"),
        "(min-width: 64rem) 16rem, (min-width: 40rem) 30vw, 45vw",
    ),
    "gallery": Size(
        ("max-640x640|format-webp", "max-1280x1280|format-webp"),
        "(min-width: 64rem) 36rem, 100vw",
    ),
    "thumb": Size(("fill-120x120|format-webp",), "4.5rem"),
    "hero": Size(
        ("fill-800x450|format-webp", "fill-1600x900|format-webp"),
        "100vw",
    ),
    "block": Size(
        ("max-600x600|format-webp", "max-1200x1200|format-webp"),
        "(min-width: 64rem) 34rem, 100vw",
    ),
    "share": Size(("fill-1200x630|format-jpeg",), ""),
    "logo": Size(("height-64|format-png", "height-128|format-png"), ""),
}
ALL_SPECS = tuple(spec for size in SIZES.values() for spec in size.specs)


def prefetch_renditions(images) -> None:
    """Fetch the storefront renditions of all `images` in one query."""
    images = [image for image in images if image is not None]
    if images:
        rendition = get_image_model().get_rendition_model()
        prefetch_related_objects(
            images,
            Prefetch(
                "renditions",
                queryset=rendition.objects.filter(filter_spec__in=ALL_SPECS),
            ),
        )


def prefetch_photos(pieces, renditions: bool = True) -> None:
    """Fetch the pieces' photos in order, with their images (one query), and the
    images' renditions (another), unless the caller fetches those with more."""
    from back_office.inventory.models import PiecePhoto

    photos = PiecePhoto.objects.select_related("image").order_by("sort_order")
    prefetch_related_objects(list(pieces), Prefetch("photos", queryset=photos))
    if renditions:
        prefetch_renditions(
            [photo.image for piece in pieces for photo in piece.photos.all()]
        )


def ready_renditions(image, size: str) -> list:
    """The renditions of `image` for `size` that exist, narrowest first; never makes
    one. Uses prefetched renditions when there are (prefetch_renditions)."""
    if image is None:
        return []
    specs = SIZES[size].specs
    prefetched = getattr(image, "_prefetched_objects_cache", {}).get("renditions")
    found = (
        prefetched
        if prefetched is not None
        else image.renditions.filter(filter_spec__in=specs)
    )
    by_spec = {r.filter_spec: r for r in found if r.filter_spec in specs}
    return sorted(by_spec.values(), key=lambda r: r.width)
