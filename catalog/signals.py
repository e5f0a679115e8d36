"""What retires a shop's cached storefront pages (catalog.cache.bump), and what
makes a new photo's renditions.

Everything a customer could see change: a page published, unpublished, moved or
deleted; a piece, its stones, photos or category; a stock movement (a sale, a
reservation, a transfer); a rate; the branding; the shop itself (its status, logo,
currency) and its hostnames.
"""

import functools

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from back_office.inventory.models import (
    Category,
    MetalRate,
    Piece,
    PiecePhoto,
    StockMovement,
    Stone,
)
from back_office.inventory.signals import pieces_changed
from back_office.tenancy.models import tenant_of
from back_office.tenants.models import Branch, Tenant
from catalog import cache, tasks
from catalog.models import ShopBranding

TENANT_OWNED = (Category, MetalRate, Piece, PiecePhoto, StockMovement, Stone, Branch)


def _unless_raw(handler):
    """Rows loaded as they are (fixtures, a test database restored) change no page."""

    @functools.wraps(handler)
    def handle(sender, **kwargs):
        if not kwargs.get("raw"):
            handler(sender, **kwargs)

    return handle


@_unless_raw
def _owned_changed(sender, instance, **kwargs):
    cache.bump(instance.tenant_id)


def _bulk_changed(sender, tenant, **kwargs):
    cache.bump(tenant.pk)


def _page_changed(sender, instance, **kwargs):
    tenant = Tenant.objects.filter(
        home_page__path=instance.path[: Page.steplen * 2]
    ).first()
    cache.bump(tenant.pk if tenant else None)


@_unless_raw
def _rate_recorded(sender, instance, **kwargs):
    """A rate entered ahead of time changes prices when it takes effect."""
    if instance.effective_at > timezone.now():
        tenant_id, when = instance.tenant_id, instance.effective_at
        transaction.on_commit(
            lambda: tasks.retire_pages.apply_async((tenant_id,), eta=when)
        )


@_unless_raw
def _tenant_changed(sender, instance, **kwargs):
    cache.bump(instance.pk)


@_unless_raw
def _site_changed(sender, instance, **kwargs):
    cache.forget_host(instance.hostname)
    _page_changed(sender, instance.root_page)


@_unless_raw
def _branding_changed(sender, instance, **kwargs):
    _page_changed(sender, instance.site.root_page)


@_unless_raw
def _site_renamed(sender, instance, **kwargs):
    """The hostname a Site had answers no more."""
    old = Site.objects.filter(pk=instance.pk).values_list("hostname", flat=True)
    if instance.pk and old.first() not in {None, instance.hostname}:
        cache.forget_host(old.first())


def _image_deleted(sender, instance, **kwargs):
    tenant = tenant_of(instance)
    cache.bump(tenant.pk if tenant else None)


@_unless_raw
def _image_saved(sender, instance, created, **kwargs):
    tenant = tenant_of(instance)
    if tenant is None:
        return
    cache.bump(tenant.pk)
    image_id = instance.pk
    transaction.on_commit(lambda: tasks.make_renditions.delay(tenant.pk, image_id))


@_unless_raw
def _rendition_made(sender, instance, created, **kwargs):
    """A photo's renditions are made after it is added: pages show it once they
    exist."""
    if created:
        tenant = tenant_of(instance.image)
        cache.bump(tenant.pk if tenant else None)


@_unless_raw
def _restriction_changed(sender, instance, **kwargs):
    _page_changed(sender, instance.page)


@_unless_raw
def _stone_indexed(sender, instance, **kwargs):
    """A piece's search words include its stones, saved after the piece."""
    from wagtail.search import index

    piece = Piece._base_manager.filter(pk=instance.piece_id).first()
    if piece is not None:
        index.insert_or_update_object(piece)


def connect() -> None:
    for model in TENANT_OWNED:
        post_save.connect(_owned_changed, sender=model, dispatch_uid=f"sf-{model}")
        post_delete.connect(_owned_changed, sender=model, dispatch_uid=f"sf-{model}")
    pieces_changed.connect(_bulk_changed, dispatch_uid="sf-pieces")
    post_save.connect(_rate_recorded, sender=MetalRate, dispatch_uid="sf-rate-ahead")
    for signal in (page_published, page_unpublished):
        signal.connect(_page_changed, dispatch_uid=f"sf-{signal}")
    post_page_move.connect(_page_changed, dispatch_uid="sf-page-move")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="sf-page-delete")
    post_save.connect(_tenant_changed, sender=Tenant, dispatch_uid="sf-tenant")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="sf-site")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="sf-site-delete")
    post_save.connect(_branding_changed, sender=ShopBranding, dispatch_uid="sf-brand")
    pre_save.connect(_site_renamed, sender=Site, dispatch_uid="sf-site-renamed")
    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="sf-image")
    post_delete.connect(
        _image_deleted, sender=get_image_model(), dispatch_uid="sf-image-delete"
    )
    post_save.connect(_stone_indexed, sender=Stone, dispatch_uid="sf-stone-index")
    post_save.connect(
        _rendition_made,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="sf-rendition",
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"sf-restriction-{signal}",
        )
