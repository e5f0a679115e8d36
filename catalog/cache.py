"""The storefront's page cache: a warm page is served without touching PostgreSQL.

The middleware runs before the session, authentication and tenant middleware. It
finds the shop of the hostname and the shop's content version in Redis (two round
trips), and answers from the entry of that hostname and full URL if the entry was
made at the current version. Anything a customer could see change (a page
published, a piece, its stock, a rate, the branding, the shop's status) bumps the
shop's version, one INCR after the change commits, so every page of the shop is
stale at once and none survives the change.

Only anonymous GETs are served and stored: a request with a session cookie (staff)
goes through; a query string is kept only with the parameters the storefront reads,
in one order and each value once (`?utm_source=…` or a reordering makes no new
entry); a response that sets a cookie, varies on Cookie or asks not to be stored
(the reserve form, the contact form) is not kept. The cache's own failure only
makes a page cold: Redis is asked, never trusted to answer. Entries keep the
version read *before* the page was rendered: a page rendered from data a change
was about to replace is stored under the version the change retires.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from redis.exceptions import RedisError

from catalog import listing

logger = logging.getLogger(__name__)

HOST_KEY = "storefront:host:{}"
VERSION_KEY = "storefront:version:{}"
PAGE_KEY = "storefront:page:{}"
STORED_STATUSES = {200, 410}
# Paths that are never storefront pages.
NOT_PAGES = ("/admin/", "/documents/", "/health/", "/metrics", "/static/", "/media/")
# Headers an entry does not keep: the request's own id is set afresh on each.
NOT_KEPT = {"set-cookie", "x-request-id"}
# The listing's parameters, and the brand stylesheet's version.
KEPT_PARAMETERS = listing.PARAMETERS | {"v"}


def version_of(tenant_id: int) -> int | None:
    """The shop's content version, created when missing; None when Redis does not
    answer (nothing is kept then). A new version starts at the clock, not at 1, so
    a version key lost from Redis never comes back as a number that old entries
    were made at."""
    key = VERSION_KEY.format(tenant_id)
    try:
        cache.add(key, time.time_ns(), timeout=None)
        return cache.get(key)
    except RedisError as error:
        logger.warning("storefront cache unavailable: %s", error)
        return None


def remember(key: str, value, timeout) -> None:
    """Store, or let it be: a full or missing Redis costs the next visitor a cold
    page, never this one its answer."""
    try:
        cache.set(key, value, timeout=timeout)
    except RedisError as error:
        logger.warning("storefront cache not written: %s", error)


def bump(tenant_id: int | None) -> None:
    """Retire every cached page of the shop once the current transaction commits."""
    if tenant_id is None:
        return

    def retire():
        key = VERSION_KEY.format(tenant_id)
        try:
            try:
                cache.incr(key)
            except ValueError:  # no version yet: nothing cached to retire
                cache.add(key, time.time_ns(), timeout=None)
        except RedisError as error:  # the change is made; its pages age out
            logger.error(
                "storefront pages of shop %s not retired: %s", tenant_id, error
            )

    transaction.on_commit(retire)


def forget_host(hostname: str) -> None:
    def forget():
        try:
            cache.delete(HOST_KEY.format(hostname))
        except RedisError as error:
            logger.error("storefront host %s not forgotten: %s", hostname, error)

    transaction.on_commit(forget)


def _page_key(request) -> str | None:
    """The entry of this hostname, path and query, or None for a query with
    parameters no storefront page reads (so anyone's random ones make no entry)."""
    params = request.GET
    if not set(params) <= KEPT_PARAMETERS:
        return None
    query = urlencode(
        sorted((name, value) for name in params for value in set(params.getlist(name)))
    )
    url = f"{request.get_host()}{request.path}?{query}"
    return PAGE_KEY.format(hashlib.sha256(url.encode()).hexdigest())


def _is_candidate(request) -> bool:
    return (
        settings.KARAT_STOREFRONT_CACHE
        and request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(NOT_PAGES)
    )


def _is_storable(response) -> bool:
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    control = response.get("Cache-Control", "").lower()
    return (
        response.status_code in STORED_STATUSES
        and not response.cookies
        and "cookie" not in vary
        and "private" not in control
        and "no-store" not in control
        and not getattr(response, "streaming", False)
    )


class StorefrontCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_candidate(request):
            return self.get_response(request)
        try:
            return self._through_cache(request)
        except CacheUnavailable:
            return self.get_response(request)

    def _through_cache(self, request):
        host = request.get_host().rsplit(":", 1)[0]
        tenant_id = _ask(cache.get, HOST_KEY.format(host))
        if tenant_id is None:
            response = self.get_response(request)
            tenant = getattr(request, "tenant", None)
            if tenant is not None and response.status_code in STORED_STATUSES:
                # Learnt now; the page is stored from the next request on, when its
                # version is read before it is rendered.
                remember(HOST_KEY.format(host), tenant.pk, timeout=None)
            return response

        key = _page_key(request)
        if key is None:  # a query with parameters no page reads: no entry
            return self.get_response(request)
        found = _ask(cache.get_many, [VERSION_KEY.format(tenant_id), key])
        version = found.get(VERSION_KEY.format(tenant_id)) or version_of(tenant_id)
        if version is None:
            return self.get_response(request)
        request.storefront_version = version  # what the page is rendered at
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return _rebuild(entry)

        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.pk == tenant_id and _is_storable(response):
            remember(
                key,
                _entry(version, response),
                timeout=settings.KARAT_STOREFRONT_CACHE_SECONDS,
            )
        return response


class CacheUnavailable(Exception):
    """Redis did not answer: the page is made as if nothing were cached."""


def _ask(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except RedisError as error:
        logger.warning("storefront cache unavailable: %s", error)
        raise CacheUnavailable from error


def _entry(version: int, response) -> tuple:
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in NOT_KEPT
    }
    return (version, response.status_code, headers, response.content)


def _rebuild(entry) -> HttpResponse:
    _version, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response
