"""Metal rates: entered by hand (`record_rate`) or refreshed from the shop's feed
(`refresh_rates`).

Rates are never changed: a correction is a newer rate. A refresh stores what the
provider's document offers, metal by metal (rate_provider.py checks the document as
a whole first):

- one metal is refused, and keeps its current rate, when its rate is not a positive
  number or moves more than the feed's `max_change_percent` from the current rate;
- a metal whose current rate is already as recent as `as_of` is left alone.

Every refusal is logged (with the shop) and counted in
`karat_metal_rate_fetch_failures_total{metal, reason}`; a document-level failure
counts with metal="all". Whatever the feed does, the rate in force stays the last
good one, and a rate entered by hand always works.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from back_office.inventory import metrics, rate_provider
from back_office.inventory.errors import (
    FeedError,
    FeedErrorCode,
    RateError,
    RateErrorCode,
)
from back_office.inventory.models import MetalRate, RateFeed
from back_office.inventory.purity import Metal
from back_office.inventory.queries import latest_rates
from back_office.tenancy.context import require_tenant
from back_office.tenancy.services import record_changes

logger = logging.getLogger(__name__)

RATE_PLACES = Decimal("0.0001")
RATE_LIMIT = Decimal(10) ** 10  # MetalRate.rate_per_gram: 14 digits, 4 decimals
ALL_METALS = "all"


def _rate_value(value) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RateError(
            f"“{value}” is not a number.", RateErrorCode.NOT_A_NUMBER
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise RateError("A rate must be more than zero.", RateErrorCode.NOT_POSITIVE)
    if rate >= RATE_LIMIT:
        raise RateError(
            "That rate is too large to be a price per gram.", RateErrorCode.TOO_LARGE
        )
    rate = rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    if rate <= 0:
        raise RateError(
            "A rate must be at least 0.0001 per gram.", RateErrorCode.NOT_POSITIVE
        )
    return rate


@transaction.atomic
def record_rate(
    metal: str, rate_per_gram, effective_at: datetime, source: str, user=None
) -> MetalRate:
    """Put a new rate for `metal` in force from `effective_at`, for the current shop.

    The rate is per gram of the pure metal in the shop's currency, kept to 4
    decimals. A rate entered by someone (`user`) is written to the audit log.
    """
    require_tenant()
    if metal not in Metal.values:
        raise RateError(f"Karat does not price {metal!r}.", RateErrorCode.UNKNOWN_METAL)
    if effective_at is None or timezone.is_naive(effective_at):
        raise RateError(
            "Say when the rate takes effect, with a time zone.",
            RateErrorCode.NO_TIME_ZONE,
        )
    rate = MetalRate(
        metal=metal,
        rate_per_gram=_rate_value(rate_per_gram),
        effective_at=effective_at,
        source=(source or "manual")[:60],
    )
    try:
        rate.full_clean()
    except ValidationError as error:
        raise RateError(" ".join(error.messages), RateErrorCode.INVALID) from None
    rate.save()
    if user is not None:
        log(instance=rate, action="wagtail.create", user=user)
    return rate


def plausible_change_percent() -> Decimal:
    """How far a rate may move from the one in force without a second look: the
    shop's feed's limit, or the feed's default for a shop without one."""
    feed = RateFeed.objects.first()
    if feed is not None:
        return feed.max_change_percent
    return RateFeed._meta.get_field("max_change_percent").default


def enter_rate(
    metal: str, rate_per_gram, effective_at: datetime, *, user, confirmed=False
) -> MetalRate:
    """A rate typed by staff. One that moves more than the plausible change from the
    rate in force (the limit the feed uses) is saved only when `confirmed`: a tenfold
    typo, 872.5 for 87.25, prices the whole stock tenfold."""
    rate = _rate_value(rate_per_gram)
    in_force = latest_rates().get(metal)
    limit = plausible_change_percent()
    if (
        in_force is not None
        and not confirmed
        and not rate_provider.is_plausible(in_force.rate_per_gram, rate, limit)
    ):
        change = (rate - in_force.rate_per_gram) * 100 / in_force.rate_per_gram
        raise RateError(
            f"{rate} is {change:+.1f}% from the rate in force "
            f"({in_force.rate_per_gram}), more than the {limit.normalize():f}% a rate "
            "usually moves: check it, then tick the confirmation to enter it.",
            RateErrorCode.UNCONFIRMED_CHANGE,
        )
    return record_rate(metal, rate, effective_at, "manual", user=user)


@transaction.atomic
def correct_rate(wrong: MetalRate, rate_per_gram, *, reason: str, user) -> MetalRate:
    """Replace a wrong rate: a new entry for the same metal and effective time,
    marked as its correction. Pricing and the charts read the correction from then
    on; the wrong entry stays in the history, and a quote or sale made on it keeps
    its own frozen figures."""
    already = RateError(
        "This rate has been corrected already: correct its correction instead.",
        RateErrorCode.ALREADY_CORRECTED,
    )
    if MetalRate.objects.filter(corrects=wrong).exists():
        raise already
    rate = _rate_value(rate_per_gram)
    if rate == wrong.rate_per_gram:
        raise RateError(
            f"The rate is {rate} already: type the right one.",
            RateErrorCode.NO_CHANGE,
        )
    if not reason.strip():
        raise RateError("Say what was wrong with it.", RateErrorCode.REASON_REQUIRED)
    try:
        # The history is append-only (no row lock on it): two corrections of one
        # rate at once meet the one-correction constraint instead.
        with transaction.atomic():
            correction = MetalRate.objects.create(
                metal=wrong.metal,
                rate_per_gram=rate,
                effective_at=wrong.effective_at,
                source="correction",
                corrects=wrong,
                reason=reason.strip()[:200],
            )
    except IntegrityError:
        raise already from None
    record_changes(
        correction,
        "inventory.rate_corrected",
        {"rate per gram": str(wrong.rate_per_gram), "reason": ""},
        {"rate per gram": str(rate), "reason": correction.reason},
        user,
    )
    return correction


# The shop's feed


def _failed(feed: RateFeed, metal: str, reason: str, message: str) -> None:
    metrics.METAL_RATE_FETCH_FAILURES.labels(metal=metal, reason=reason).inc()
    logger.warning(
        "metal rate feed of %s: %s refused (%s): %s",
        feed.tenant.slug,
        metal,
        reason,
        message,
    )


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


@transaction.atomic
def refresh_rates(feed: RateFeed, now: datetime | None = None) -> Refresh:
    """Fetch the shop's rates and store the good ones; run as the feed's shop.

    Never raises for a provider's fault: the rates in force stay, and the feed
    records the error for the shop's settings screen.
    """
    now = now or timezone.now()
    tenant = require_tenant()
    result = Refresh()
    url = rate_provider.provider_url(feed)
    try:
        document = rate_provider.fetch_document(url, shop_supplied=bool(feed.url))
        quotes = rate_provider.parse_document(document, tenant.currency, now)
    except FeedError as error:
        _failed(feed, ALL_METALS, error.code, error.detail)
        result.error = error.message
        feed.last_error, feed.last_error_at = error.message[:300], now
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
            result.refused[metal] = error.message
            _failed(feed, metal, FeedErrorCode.INVALID_RATE, f"{value!r}: {error}")
            continue
        if in_force and in_force.effective_at >= quotes.as_of:
            continue  # nothing newer than what is in force
        if in_force and not rate_provider.is_plausible(
            in_force.rate_per_gram, rate, feed.max_change_percent
        ):
            result.refused[metal] = (
                f"{rate} is more than {feed.max_change_percent}% away from "
                f"{in_force.rate_per_gram}"
            )
            _failed(feed, metal, FeedErrorCode.IMPLAUSIBLE, result.refused[metal])
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
