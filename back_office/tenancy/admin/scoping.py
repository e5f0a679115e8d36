"""Scope the people and sites that Wagtail's page filters offer to the current shop.

Wagtail's page explorer, page search and locked-pages report build their filter
choices (sites, page owners, editors, lockers) from every page on the platform, which
would show one shop's staff and hostnames to another. There is no hook for these
choices, so `scope_wagtail_page_filters()` gives those filters querysets that only
look inside the current shop's page tree. Superusers with no shop chosen see all.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet
from wagtail.models import Page, PageLogEntry, Site

from back_office.tenancy.context import current_tenant


def shop_pages(pages, user):
    """`pages` narrowed to the current shop's tree (all of them for an operator
    who has not chosen a shop; none for anyone else without one)."""
    tenant = current_tenant()
    if tenant is None or tenant.home_page_id is None:
        return pages if user.is_superuser else pages.none()
    return pages.filter(path__startswith=tenant.home_page.path)


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


def scope_wagtail_page_filters() -> None:
    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["site"].queryset = _sites
        filterset.base_filters["owner"].queryset = _page_owners
        filterset.base_filters["edited_by"].queryset = _page_editors
    LockedPagesReportFilterSet.base_filters["locked_by"].queryset = _page_lockers
