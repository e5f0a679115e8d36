"""What Wagtail's admin offers, narrowed to the current shop: its page tree and its
media collection.

- Images and documents: `ShopMediaPolicy`, registered as their permission policy
  (tenancy/wagtail_hooks.py), counts only collection permissions on the shop's own
  collection and only ever lists, chooses or opens the shop's own items; `in_shop_
  collection` limits the choices of a form's foreign key to them.
- Page filters: Wagtail's page explorer, page search and locked-pages report build
  their filter choices (sites, page owners, editors, lockers) from every page on the
  platform; `scope_wagtail_admin()` gives those filters querysets that only look
  inside the current shop's page tree. Superusers with no shop chosen see all pages.
- Popular tags (the media listings' tag filter, the image chooser): counted over the
  shop's own images and documents only.
- Bulk actions (delete, move, publish, tag, add to collection...) take their objects'
  ids from the query string and found them among every shop's: now among the shop's.
- Site settings (a shop's branding): `sites.ShopSitePermissionPolicy`.
- Rich text's page links (`<a linktype="page" id="…">`) name any page by its id; a
  shop's text renders only links to its own pages (`ShopPageLinkHandler`).

There are no hooks for the filters, popular tags and bulk actions' objects, so
`scope_wagtail_admin()` replaces them once, when Django starts.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.shortcuts import get_list_or_404
from taggit.models import Tag
from wagtail.admin import filters as wagtail_filters
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.images.views import chooser as image_chooser
from wagtail.models import Page, PageLogEntry, Site
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)
from wagtail.rich_text.pages import PageLinkHandler

from back_office.tenancy.context import current_tenant
from back_office.tenancy.queries import (
    in_shop_collection,
    is_in_shop_collection,
    shop_collections,
)


def shop_pages(pages, user):
    """`pages` narrowed to the current shop's tree (all of them for an operator
    who has not chosen a shop; none for anyone else without one)."""
    tenant = current_tenant()
    if tenant is None or tenant.home_page_id is None:
        return pages if user.is_superuser else pages.none()
    return pages.filter(path__startswith=tenant.home_page.path)


class ShopPageLinkHandler(PageLinkHandler):
    """Wagtail's page links, resolved inside the current shop's tree: a link to
    another shop's page (its id typed into the text) renders as a bare <a>."""

    @classmethod
    def get_many(cls, attrs_list):
        tenant = current_tenant()
        pages = super().get_many(attrs_list)
        if tenant is None or tenant.home_page_id is None:
            return [None for _ in pages]
        root = tenant.home_page.path
        return [page if page and page.path.startswith(root) else None for page in pages]


class ShopMediaPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for images and documents, inside the current shop only.

    A user's groups hold collection permissions in every shop he works for; here
    only those on the current shop's collection count, and no listing, chooser or
    screen reaches an item of another collection, not even for superusers.
    """

    def get_all_permissions_for_user(self, user):
        return (
            super()
            .get_all_permissions_for_user(user)
            .filter(collection__in=shop_collections())
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .instances_user_has_any_permission_for(user, actions)
            .filter(in_shop_collection())
        )

    def collections_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .collections_user_has_any_permission_for(user, actions)
            .filter(pk__in=shop_collections())
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return is_in_shop_collection(
            instance
        ) and super().user_has_any_permission_for_instance(user, actions, instance)


def _bulk_action_objects(cls, model, object_ids):
    """Wagtail's BulkAction.get_queryset, among the current shop's objects only
    (tenant-owned models are scoped by their manager already)."""
    objects = model._default_manager.filter(pk__in=object_ids)
    tenant = current_tenant()
    if issubclass(model, Page) and tenant is not None and tenant.home_page_id:
        objects = objects.filter(path__startswith=tenant.home_page.path)
    elif issubclass(model, (AbstractImage, AbstractDocument)):
        objects = objects.filter(in_shop_collection())
    return get_list_or_404(objects)


def shop_popular_tags(model, count=10):
    """Wagtail's popular_tags_for_model, counted over the shop's own items."""
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(
                model
            ),
            taggit_taggeditem_items__object_id__in=model.objects.filter(
                in_shop_collection()
            ).values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count")[:count]
    )


def _sites(request):
    return Site.objects.filter(
        root_page__in=shop_pages(Page.objects.all(), request.user)
    )


def _users_in_pages(request, field: str):
    pages = shop_pages(Page.objects.all(), request.user)
    return get_user_model().objects.filter(
        pk__in=pages.order_by().values_list(field, flat=True)
    )


def _page_owners(request):
    return _users_in_pages(request, "owner_id")


def _page_lockers(request):
    return _users_in_pages(request, "locked_by_id")


def _page_editors(request):
    edits = PageLogEntry.objects.filter(
        action="wagtail.edit",
        page__in=shop_pages(Page.objects.all(), request.user),
    )
    return get_user_model().objects.filter(
        pk__in=edits.order_by().values_list("user_id", flat=True)
    )


def scope_wagtail_admin() -> None:
    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["site"].queryset = _sites
        filterset.base_filters["owner"].queryset = _page_owners
        filterset.base_filters["edited_by"].queryset = _page_editors
    LockedPagesReportFilterSet.base_filters["locked_by"].queryset = _page_lockers
    wagtail_filters.popular_tags_for_model = shop_popular_tags
    image_chooser.popular_tags_for_model = shop_popular_tags
    BulkAction.get_queryset = classmethod(_bulk_action_objects)
