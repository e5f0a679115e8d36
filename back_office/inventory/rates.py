"""Metal rates: entered by hand (`record_rate`) or fetched from a JSON provider.

The provider answers a GET with one JSON document (docs/pricing.md, "Metal rates"):

    {"currency": "USD",
     "as_of": "2026-11-28T09:00:00Z",
     "rates": {"gold": "65.1234", "silver": "0.81"}}

`rates` are per gram of the pure metal, in `currency`, as strings or JSON numbers
(read as Decimal, never float). A shop's feed (`RateFeed`) refreshes its rates:

- the whole document is refused, and nothing is stored, on a timeout, a connection
  error, an HTTP status other than 200, a body that is not such a JSON document, an
  `as_of` without a time zone or in the future, or a currency other than the shop's;
- one metal is refused, and keeps its current rate, when its rate is not a positive
  number or moves more than the feed's `max_change_percent` from the current rate;
- metals Karat does not know (copper, say) are ignored: providers publish more than
  a jewellery shop sells, and that is not an error;
- a metal whose current rate is already as recent as `as_of` is left alone.

Every refusal is logged (with the shop) and counted in
`karat_metal_rate_fetch_failures_total{metal, reason}`; a document-level failure
counts with metal="all". Whatever the feed does, the rate in force stays the last
good one, and a rate entered by hand always works.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from back_office.inventory.models import MetalRate, RateFeed
from back_office.inventory.purity import Metal
from back_office.tenants.context import require_tenant
from config.metrics import METAL_RATE_AGE_SECONDS, METAL_RATE_FETCH_FAILURES

logger = logging.getLogger(__name__)

RATE_PLACES = Decimal("0.0001")
RATE_LIMIT = Decimal(10) ** 10  # MetalRate.rate_per_gram: 14 digits, 4 decimals
MAX_DOCUMENT_BYTES = 64 * 1024
#: How far ahead of our clock a provider's `as_of` may be (clocks differ a little).
CLOCK_SKEW = timedelta(minutes=5)
ALL_METALS = "all"


class RateError(Exception):
    """A rate could not be recorded; the message says why."""


class FeedError(Exception):
    """The provider's answer was unusable as a whole; nothing is stored."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


# Recording a rate (manual entry and the feed)


def _rate_value(value) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RateError(f"“{value}” is not a number.") from None
    if not rate.is_finite() or rate <= 0:
        raise RateError("A rate must be more than zero.")
    if rate >= RATE_LIMIT:
        raise RateError("That rate is too large to be a price per gram.")
    rate = rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    if rate <= 0:
        raise RateError("A rate must be at least 0.0001 per gram.")
    return rate


@transaction.atomic
def record_rate(metal: str, rate_per_gram, effective_at: datetime, source: str):
    """Put a new rate for `metal` in force from `effective_at`, for the current shop.

    Rates are never changed: a correction is a newer rate. The rate is per gram of
    the pure metal in the shop's currency, kept to 4 decimals.
    """
    require_tenant()
    if metal not in Metal.values:
        raise RateError(f"Karat does not price {metal!r}.")
    if effective_at is None or timezone.is_naive(effective_at):
        raise RateError("Say when the rate takes effect, with a time zone.")
    rate = MetalRate(
        metal=metal,
        rate_per_gram=_rate_value(rate_per_gram),
        effective_at=effective_at,
        source=(source or "manual")[:60],
    )
    try:
        rate.full_clean()
    except ValidationError as error:
        raise RateError(" ".join(error.messages)) from None
    rate.save()
    return rate


# The provider


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
        raise FeedError("connection", f"cannot resolve {host}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FeedError("refused_host", f"{host} is not a public address")


def fetch_document(url: str, *, shop_supplied: bool) -> dict:
    """GET the provider's JSON document, or raise FeedError with a short reason."""
    if not url:
        raise FeedError("not_configured", "no provider URL is configured")
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError("not_configured", "the provider URL must be http or https")
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
                raise FeedError("http_error", f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise FeedError("malformed", "the answer is too large")
    except requests.Timeout:
        raise FeedError("timeout", f"no answer within {timeout:g} s") from None
    except requests.RequestException as error:
        raise FeedError("connection", type(error).__name__) from None
    try:
        document = json.loads(
            body, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant
        )
    except (ValueError, UnicodeDecodeError):
        raise FeedError("malformed", "the answer is not JSON") from None
    if not isinstance(document, dict):
        raise FeedError("malformed", "the answer is not a JSON object")
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
        raise FeedError("malformed", "the answer has no rates")
    as_of_text = document.get("as_of")
    as_of = parse_datetime(as_of_text) if isinstance(as_of_text, str) else None
    if as_of is None or timezone.is_naive(as_of):
        raise FeedError("malformed", "as_of is not a date and time with a time zone")
    if as_of > now + CLOCK_SKEW:
        raise FeedError("malformed", f"as_of {as_of_text} is in the future")
    if document.get("currency") != currency:
        raise FeedError(
            "currency",
            f"rates are in {document.get('currency')!r}, the shop sells in {currency}",
        )
    known = {str(name).lower(): value for name, value in rates.items()}
    return Quotes(
        as_of=as_of,
        rates={metal: value for metal, value in known.items() if metal in Metal.values},
        ignored=tuple(sorted(set(known) - set(Metal.values))),
    )


def is_plausible(current: Decimal, new: Decimal, max_change_percent: Decimal) -> bool:
    return abs(new - current) * 100 <= current * max_change_percent


# Refreshing a shop's rates


@dataclass
class Refresh:
    """What one refresh of a shop's feed did."""

    stored: dict[str, Decimal] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # metal -> why
    error: str = ""  # the whole document was refused

    def summary(self) -> dict:
        return {
            "stored": {metal: str(rate) for metal, rate in self.stored.items()},
            "refused": self.refused,
            "error": self.error,
        }


def _failed(feed: RateFeed, metal: str, reason: str, message: str) -> None:
    METAL_RATE_FETCH_FAILURES.labels(metal=metal, reason=reason).inc()
    logger.warning(
        "metal rate feed of %s: %s refused (%s): %s",
        feed.tenant.slug,
        metal,
        reason,
        message,
    )


def refresh_rates(feed: RateFeed, now: datetime | None = None) -> Refresh:
    """Fetch the shop's rates and store the good ones; run as the feed's shop.

    Never raises for a provider's fault: the rates in force stay, and the feed
    records the error for the shop's settings screen.
    """
    from back_office.inventory.queries import latest_rates

    now = now or timezone.now()
    tenant = require_tenant()
    result = Refresh()
    url = provider_url(feed)
    try:
        document = fetch_document(url, shop_supplied=bool(feed.url))
        quotes = parse_document(document, tenant.currency, now)
    except FeedError as error:
        _failed(feed, ALL_METALS, error.reason, str(error))
        result.error = str(error)
        feed.last_error, feed.last_error_at = f"{error}"[:300], now
        feed.save(update_fields=["last_error", "last_error_at"])
        return result

    if quotes.ignored:
        logger.info(
            "metal rate feed of %s: ignored %s", tenant.slug, ", ".join(quotes.ignored)
        )
    source = f"feed {urlsplit(url).hostname}"[:60]
    current = latest_rates(at=now)
    for metal, value in sorted(quotes.rates.items()):
        in_force = current.get(metal)
        try:
            rate = _rate_value(value)
        except RateError as error:
            result.refused[metal] = str(error)
            _failed(feed, metal, "invalid_rate", f"{value!r}: {error}")
            continue
        if in_force and in_force.effective_at >= quotes.as_of:
            continue  # nothing newer than what is in force
        if in_force and not is_plausible(
            in_force.rate_per_gram, rate, feed.max_change_percent
        ):
            result.refused[metal] = (
                f"{rate} is more than {feed.max_change_percent}% away from "
                f"{in_force.rate_per_gram}"
            )
            _failed(feed, metal, "implausible", result.refused[metal])
            continue
        record_rate(metal, rate, quotes.as_of, source)
        result.stored[metal] = rate

    feed.last_success_at = now
    feed.last_error = "; ".join(f"{m}: {why}" for m, why in result.refused.items())[
        :300
    ]
    feed.last_error_at = now if result.refused else feed.last_error_at
    feed.save(update_fields=["last_success_at", "last_error", "last_error_at"])
    return result


def rate_ages(now: datetime | None = None) -> dict[str, float]:
    """Seconds since the current shop's rate per metal took effect."""
    from back_office.inventory.queries import latest_rates

    now = now or timezone.now()
    return {
        metal: (now - rate.effective_at).total_seconds()
        for metal, rate in latest_rates(at=now).items()
    }


def publish_rate_ages(ages_per_shop: list[dict[str, float]]) -> None:
    """The stalest shop's rate age per metal, for the "rates are stale" alert."""
    stalest: dict[str, float] = {}
    for ages in ages_per_shop:
        for metal, age in ages.items():
            stalest[metal] = max(age, stalest.get(metal, 0))
    for metal, age in stalest.items():
        METAL_RATE_AGE_SECONDS.labels(metal=metal).set(age)
