"""The metal-rate provider: one GET of a JSON document, checked as a whole.

The provider answers with (docs/pricing.md, "Metal rates"):

    {"currency": "USD",
     "as_of": "2026-11-28T09:00:00Z",
     "rates": {"gold": "65.1234", "silver": "0.81"}}

`rates` are per gram of the pure metal, in `currency`, as strings or JSON numbers
(read as Decimal, never float). The whole document is refused (FeedError, whose code
says why) on a timeout, a connection error, an HTTP status other than 200, a body
that is not such a JSON document, an `as_of` without a time zone or in the future,
or a currency other than the shop's. Metals Karat does not know (copper, say) are
set aside: providers publish more than a jewellery shop sells.

Nothing here writes: services.rates.refresh_rates stores what passes.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from back_office.inventory.errors import FeedError
from back_office.inventory.errors import FeedErrorCode as Code
from back_office.inventory.models import RateFeed
from back_office.inventory.purity import Metal

MAX_DOCUMENT_BYTES = 64 * 1024
#: How far ahead of our clock a provider's `as_of` may be (clocks differ a little).
CLOCK_SKEW = timedelta(minutes=5)


def provider_url(feed: RateFeed) -> str:
    return feed.url or getattr(settings, "KARAT_RATE_PROVIDER_URL", "")


def _refuse_private_host(url: str) -> None:
    """A shop's own provider URL may not point into the platform's network."""
    if getattr(settings, "KARAT_RATE_FEED_ALLOW_PRIVATE_HOSTS", False):
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise FeedError(f"cannot resolve {host}", Code.CONNECTION) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FeedError(f"{host} is not a public address", Code.REFUSED_HOST)


def fetch_document(url: str, *, shop_supplied: bool) -> dict:
    """GET the provider's JSON document, or raise FeedError with a short reason."""
    if not url:
        raise FeedError("no provider URL is configured", Code.NOT_CONFIGURED)
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError("the provider URL must be http or https", Code.NOT_CONFIGURED)
    if shop_supplied:
        _refuse_private_host(url)
    timeout = float(getattr(settings, "KARAT_RATE_FETCH_TIMEOUT", 5))
    try:
        # No redirects: a redirect could lead a shop's feed into a private network.
        with requests.get(
            url,
            timeout=timeout,
            allow_redirects=False,
            stream=True,
            headers={"Accept": "application/json"},
        ) as response:
            if response.status_code != 200:
                raise FeedError(f"HTTP {response.status_code}", Code.HTTP_ERROR)
            body = b""
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise FeedError("the answer is too large", Code.MALFORMED)
    except requests.Timeout:
        raise FeedError(f"no answer within {timeout:g} s", Code.TIMEOUT) from None
    except requests.RequestException as error:
        raise FeedError(type(error).__name__, Code.CONNECTION) from None
    try:
        document = json.loads(
            body, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant
        )
    except (ValueError, UnicodeDecodeError):
        raise FeedError("the answer is not JSON", Code.MALFORMED) from None
    if not isinstance(document, dict):
        raise FeedError("the answer is not a JSON object", Code.MALFORMED)
    return document


def _no_constant(name: str):
    raise ValueError(f"{name} is not a rate")


@dataclass(frozen=True)
class Quotes:
    """A provider document, checked as a whole."""

    as_of: datetime
    rates: dict[str, object]  # metal -> the provider's value, not yet checked
    ignored: tuple[str, ...] = ()


def parse_document(document: dict, currency: str, now: datetime) -> Quotes:
    rates = document.get("rates")
    if not isinstance(rates, dict) or not rates:
        raise FeedError("the answer has no rates", Code.MALFORMED)
    as_of_text = document.get("as_of")
    as_of = parse_datetime(as_of_text) if isinstance(as_of_text, str) else None
    if as_of is None or timezone.is_naive(as_of):
        raise FeedError("as_of is not a date and time with a time zone", Code.MALFORMED)
    if as_of > now + CLOCK_SKEW:
        raise FeedError(f"as_of {as_of_text} is in the future", Code.MALFORMED)
    if document.get("currency") != currency:
        raise FeedError(
            f"rates are in {document.get('currency')!r}, the shop sells in {currency}",
            Code.CURRENCY,
        )
    known = {str(name).lower(): value for name, value in rates.items()}
    return Quotes(
        as_of=as_of,
        rates={metal: value for metal, value in known.items() if metal in Metal.values},
        ignored=tuple(sorted(set(known) - set(Metal.values))),
    )


def is_plausible(current: Decimal, new: Decimal, max_change_percent: Decimal) -> bool:
    return abs(new - current) * 100 <= current * max_change_percent
