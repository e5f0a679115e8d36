"""A shop's Sites: which shop answers a hostname (remembered in the cache), and
whose site settings a user may change.

Wagtail looks the Site up in the database on every request, and then its root page
(the shop's home, where routing starts); a storefront request would spend three
queries on them before its page. The Site, its specific root page and its shop are
kept in the cache under the hostname, and forgotten when the Site, the shop or the
home page changes (a suspension, a publish shows at once).
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from redis.exceptions import RedisError
from wagtail.models import Page, Site
from wagtail.permission_policies.sites import SitePermissionPolicy
from wagtail.signals import page_published, page_unpublished, post_page_move

from back_office.tenancy.context import current_tenant
from back_office.tenancy.models import get_tenant_model

logger = logging.getLogger(__name__)

KEY = "tenancy:site:{}"
FOUND_SECONDS = 24 * 60 * 60
UNKNOWN_SECONDS = 60


def shop_site(hostname: str, find) -> tuple:
    """(site, tenant) for `hostname`: from the cache, or `find()` and remember."""
    key = KEY.format(hostname)
    found = cache.get(key)
    if found is None:
        found = find()
        # An unknown hostname is remembered briefly: anyone can send any name.
        try:
            cache.set(
                key, found, timeout=FOUND_SECONDS if found[0] else UNKNOWN_SECONDS
            )
        except RedisError as error:  # found again on the next request
            logger.warning("site of %s not kept: %s", hostname, error)
    return found


def forget(hostnames) -> None:
    keys = [KEY.format(hostname) for hostname in hostnames]

    def delete():
        try:
            cache.delete_many(keys)
        except RedisError as error:
            logger.error("sites %s not forgotten: %s", keys, error)

    transaction.on_commit(delete)


def _site_changed(sender, instance, raw=False, **kwargs):
    if raw:  # rows loaded as they are (fixtures, a restored test database)
        return
    forget([instance.hostname])


def _site_renamed(sender, instance, raw=False, **kwargs):
    """The hostname a Site had answers no more."""
    if raw or instance.pk is None:
        return
    old = Site.objects.filter(pk=instance.pk).values_list("hostname", flat=True)
    forget(old)


def _tenant_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    forget(
        Site.objects.filter(root_page_id=instance.home_page_id).values_list(
            "hostname", flat=True
        )
    )


def _root_page_changed(sender, instance, **kwargs):
    """A shop's home page is kept with its Sites, specific (routing starts at it):
    publishing, unpublishing, moving or deleting it forgets them."""
    if instance.depth == 2:  # a site root: a shop's home page
        forget(
            Site.objects.filter(root_page_id=instance.pk).values_list(
                "hostname", flat=True
            )
        )


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_root_page_changed, dispatch_uid=f"tenancy-root-{signal}")
    post_delete.connect(
        _root_page_changed, sender=Page, dispatch_uid="tenancy-root-deleted"
    )
    pre_save.connect(_site_renamed, sender=Site, dispatch_uid="tenancy-site-renamed")
    for signal in (post_save, post_delete):
        signal.connect(
            _site_changed, sender=Site, dispatch_uid=f"tenancy-site-{signal}"
        )
        signal.connect(
            _tenant_changed,
            sender=get_tenant_model(),
            dispatch_uid=f"tenancy-tenant-{signal}",
        )


def shop_sites():
    """The Sites of the current shop (its hostnames); none without one."""
    tenant = current_tenant()
    if tenant is None or tenant.home_page_id is None:
        return Site.objects.none()
    return Site.objects.filter(root_page_id=tenant.home_page_id)


class ShopSitePermissionPolicy(SitePermissionPolicy):
    """Wagtail's policy for site settings, inside the current shop only: a role's
    permission to change its shop's branding is not one to change another's, and
    the settings screen's site switcher lists the shop's own sites. Operators with
    no shop chosen keep every site."""

    def _scoped(self, user) -> bool:
        return not (user.is_superuser and current_tenant() is None)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        if self._scoped(user) and not shop_sites().filter(pk=site_id).exists():
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        return sites.filter(pk__in=shop_sites()) if self._scoped(user) else sites
