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
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import certifi
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    ReadTimeoutError,
)
from urllib3.util import parse_url

from back_office.inventory.errors import FeedError
from back_office.inventory.errors import FeedErrorCode as Code
from back_office.inventory.models import RateFeed
from back_office.inventory.purity import Metal

MAX_DOCUMENT_BYTES = 64 * 1024
#: How far ahead of our clock a provider's `as_of` may be (clocks differ a little).
CLOCK_SKEW = timedelta(minutes=5)


def provider_url(feed: RateFeed) -> str:
    return feed.url or getattr(settings, "KARAT_RATE_PROVIDER_URL", "")


#: What a shop sees when its provider's answer is refused as a whole, whatever the
#: reason: details (which port answered, how) would make the feed a scanner of the
#: platform's network. The reason goes to the log and the failure metric.
NOT_A_RATE_ANSWER = (
    "the rate provider could not be reached or did not answer with rates"
)


def _refused(code: str, detail: str) -> FeedError:
    return FeedError(NOT_A_RATE_ANSWER, code, detail)


@dataclass(frozen=True)
class Target:
    """Where a request goes: the address it was resolved to, once, and the name it
    is for (the Host header and the TLS certificate's name)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def _target(url: str, *, shop_supplied: bool) -> Target:
    """Parse `url` as the HTTP client does, resolve its host once, and refuse a
    shop's URL whose host resolves to anything but public addresses."""
    if not url:
        raise FeedError("no provider URL is configured", Code.NOT_CONFIGURED)
    try:
        parts = parse_url(url)
    except LocationParseError:
        raise FeedError("the provider URL is not a URL", Code.NOT_CONFIGURED) from None
    if parts.scheme not in ("http", "https") or not parts.host:
        raise FeedError("the provider URL must be http or https", Code.NOT_CONFIGURED)
    if parts.auth or "\\" in url or "@" in url:
        raise FeedError(
            "the provider URL may not carry a user name or password",
            Code.NOT_CONFIGURED,
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise _refused(Code.CONNECTION, f"cannot resolve {parts.host}") from None
    addresses = [info[4][0] for info in infos]
    allow_private = getattr(settings, "KARAT_RATE_FEED_ALLOW_PRIVATE_HOSTS", False)
    if shop_supplied and not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise _refused(Code.REFUSED_HOST, f"{parts.host} resolves to {address}")
    return Target(
        scheme=parts.scheme,
        host=parts.host,
        port=port,
        address=addresses[0],
        path=parts.request_uri,
    )


def _pool(target: Target, timeout: float):
    """A connection to the address resolved, not to a new lookup of the name: a
    name that changes its answer after the check (DNS rebinding) is not asked
    again. TLS still checks the certificate against the name."""
    timeouts = Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        return HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeouts,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    return HTTPConnectionPool(
        target.address, target.port, timeout=timeouts, retries=False
    )


def fetch_document(url: str, *, shop_supplied: bool) -> dict:
    """GET the provider's JSON document, or raise FeedError (the code says why)."""
    target = _target(url, shop_supplied=shop_supplied)
    timeout = float(getattr(settings, "KARAT_RATE_FETCH_TIMEOUT", 5))
    default_port = 443 if target.scheme == "https" else 80
    host = (
        target.host if target.port == default_port else f"{target.host}:{target.port}"
    )
    deadline = time.monotonic() + timeout
    try:
        response = _pool(target, timeout).urlopen(
            "GET",
            target.path,
            headers={"Host": host, "Accept": "application/json"},
            redirect=False,  # a redirect could lead a feed into a private network
            preload_content=False,
        )
        try:
            if response.status != 200:
                raise _refused(Code.HTTP_ERROR, f"HTTP {response.status}")
            body = b""
            for chunk in response.stream(8192):
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise _refused(Code.MALFORMED, "the answer is too large")
                if time.monotonic() > deadline:
                    raise _refused(Code.TIMEOUT, "the answer took too long")
        finally:
            response.release_conn()
    except (ReadTimeoutError, ConnectTimeoutError):
        raise _refused(Code.TIMEOUT, f"no answer within {timeout:g} s") from None
    except HTTPError as error:
        raise _refused(Code.CONNECTION, type(error).__name__) from None
    try:
        document = json.loads(
            body, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant
        )
    except (ValueError, UnicodeDecodeError):
        raise _refused(Code.MALFORMED, "the answer is not JSON") from None
    if not isinstance(document, dict):
        raise _refused(Code.MALFORMED, "the answer is not a JSON object")
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
        raise _refused(Code.MALFORMED, "the answer has no rates")
    as_of_text = document.get("as_of")
    as_of = parse_datetime(as_of_text) if isinstance(as_of_text, str) else None
    if as_of is None or timezone.is_naive(as_of):
        raise FeedError("as_of is not a date and time with a time zone", Code.MALFORMED)
    if as_of > now + CLOCK_SKEW:
        raise _refused(Code.MALFORMED, f"as_of {as_of_text} is in the future")
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
