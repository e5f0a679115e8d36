"""Metal rates from a JSON provider, exercised against a real HTTP server on loopback.

Whatever the provider does, the shop's rate in force stays the last good one.
"""

import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from back_office.inventory.errors import RateError
from back_office.inventory.models import MetalRate, RateFeed
from back_office.inventory.purity import Metal
from back_office.inventory.queries import latest_rates
from back_office.inventory.rate_provider import NOT_A_RATE_ANSWER
from back_office.inventory.services import record_rate
from back_office.inventory.tasks import refresh_metal_rates, refresh_shop_rates
from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Tenant
from tests.factories.tenants import make_tenant

D = Decimal
AS_OF = "2026-11-28T09:00:00Z"


class Provider(ThreadingHTTPServer):
    """A rate provider on 127.0.0.1: serves `answer` (status, body, delay seconds)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.answer = (200, b"{}", 0)
        self.requests = 0
        self.hosts = []
        self.port = self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/rates.json"

    def answers(self, body, status=200, delay=0):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.answer = (status, body, delay)


class ProviderHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        status, body, delay = self.server.answer
        self.server.requests += 1
        self.server.hosts.append(self.headers["Host"])
        time.sleep(delay)
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.port}/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = Provider()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KARAT_RATE_PROVIDER_URL = server.url
    settings.KARAT_RATE_FETCH_TIMEOUT = 0.3
    yield server
    server.shutdown()
    server.server_close()


def document(currency="USD", as_of=AS_OF, **rates):
    return {"currency": currency, "as_of": as_of, "rates": rates}


def in_force(tenant) -> dict[str, Decimal]:
    with tenant_context(tenant):
        return {m: r.rate_per_gram for m, r in latest_rates().items()}


def stored(tenant) -> list[tuple[str, Decimal]]:
    """Every rate row of the shop, in force or not (a refused rate written with an
    older or a future date would not show in `in_force`)."""
    with tenant_context(tenant):
        return sorted(MetalRate.objects.values_list("metal", "rate_per_gram"))


#: What the `shop` fixture stores: its one rate row.
YESTERDAYS = [(Metal.GOLD, D("65.0000"))]


def failures(reason: str, metal: str = "all") -> float:
    sample = REGISTRY.get_sample_value(
        "karat_metal_rate_fetch_failures_total", {"metal": metal, "reason": reason}
    )
    return sample or 0.0


@pytest.fixture
def shop(aurum):
    """A USD shop with a gold rate of 65.0000 from yesterday and an enabled feed."""
    with tenant_context(aurum):
        record_rate(
            Metal.GOLD,
            D("65"),
            datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
            "manual",
        )
        RateFeed.objects.create(enabled=True)
    return aurum


def feed_of(tenant) -> RateFeed:
    with tenant_context(tenant):
        return RateFeed.objects.get()


# A good answer


def test_good_answer_stores_the_rates_as_of_the_providers_time(provider, shop):
    provider.answers(document(gold="66.1234", silver="0.81"))

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("66.1234"), Metal.SILVER: D("0.8100")}
    with tenant_context(shop):
        gold = MetalRate.objects.filter(metal=Metal.GOLD).first()
    assert gold.effective_at == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert gold.source == "feed 127.0.0.1"
    assert gold.tenant_id == shop.pk


def test_good_answer_records_the_success_on_the_feed(provider, shop):
    provider.answers(document(gold="66"))

    refresh_shop_rates.delay(shop.pk)

    feed = feed_of(shop)
    assert feed.last_success_at is not None
    assert feed.last_error == ""


def test_rates_given_as_json_numbers_are_read_exactly(provider, shop):
    provider.answers(b'{"currency": "USD", "as_of": "2026-11-28T09:00:00Z", '
                     b'"rates": {"gold": 65.4321, "silver": 1}}')  # fmt: skip

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("65.4321"), Metal.SILVER: D("1.0000")}


def test_unknown_metals_are_ignored_and_the_rest_stored(provider, shop):
    provider.answers(document(gold="66", copper="0.009"))

    result = refresh_shop_rates.delay(shop.pk).get()

    assert in_force(shop) == {Metal.GOLD: D("66.0000")}
    assert result["error"] == ""
    assert result["refused"] == {}


def test_a_rate_no_newer_than_the_one_in_force_is_not_stored_again(provider, shop):
    provider.answers(document(gold="66"))
    refresh_shop_rates.delay(shop.pk)

    refresh_shop_rates.delay(shop.pk)

    with tenant_context(shop):
        assert MetalRate.objects.filter(metal=Metal.GOLD).count() == 2


def test_a_shops_own_provider_url_is_used_instead_of_the_platforms(
    provider, shop, settings
):
    settings.KARAT_RATE_FEED_ALLOW_PRIVATE_HOSTS = True
    settings.KARAT_RATE_PROVIDER_URL = "http://127.0.0.1:9/nothing-listens-here"
    provider.answers(document(gold="66"))
    with tenant_context(shop):
        RateFeed.objects.update(url=provider.url)

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop)[Metal.GOLD] == D("66.0000")


def test_a_shops_own_provider_url_may_not_point_at_a_private_address(provider, shop):
    provider.answers(document(gold="66"))
    with tenant_context(shop):
        RateFeed.objects.update(url=provider.url)

    refused = failures("refused_host")

    result = refresh_shop_rates.delay(shop.pk).get()

    assert provider.requests == 0
    assert result["error"] == NOT_A_RATE_ANSWER
    assert failures("refused_host") == refused + 1
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


# A shop's URL cannot reach the platform's own network


@pytest.fixture
def dns(monkeypatch):
    """What names resolve to, one answer after another; other names as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        address = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def _shop_feed(shop, url):
    with tenant_context(shop):
        RateFeed.objects.update(url=url)


def test_a_url_that_hides_a_private_host_behind_a_public_one_is_refused(provider, shop):
    # The HTTP client reads the backslash as the end of the host: 127.0.0.1 it is.
    _shop_feed(shop, f"http://127.0.0.1:{provider.port}\\@8.8.8.8/../health/live")

    result = refresh_shop_rates.delay(shop.pk).get()

    assert provider.requests == 0
    assert result["error"] == "the provider URL may not carry a user name or password"
    assert stored(shop) == YESTERDAYS


def test_the_request_goes_to_the_address_checked_not_to_a_second_lookup(
    provider, shop, dns
):
    # DNS rebinding: public when checked, the platform's loopback a moment later.
    dns["rates.example.com"] = ["8.8.8.8", "127.0.0.1"]
    provider.answers(document(gold="66"))
    _shop_feed(shop, f"http://rates.example.com:{provider.port}/rates.json")

    result = refresh_shop_rates.delay(shop.pk).get()

    assert provider.requests == 0
    assert result["error"] == NOT_A_RATE_ANSWER
    assert stored(shop) == YESTERDAYS


def test_the_provider_is_asked_by_its_name_at_the_address_resolved(
    provider, shop, dns, settings
):
    settings.KARAT_RATE_FEED_ALLOW_PRIVATE_HOSTS = True
    dns["rates.example.com"] = ["127.0.0.1"]
    provider.answers(document(gold="66"))
    _shop_feed(shop, f"http://rates.example.com:{provider.port}/rates.json")

    refresh_shop_rates.delay(shop.pk)

    assert provider.hosts == [f"rates.example.com:{provider.port}"]
    assert in_force(shop)[Metal.GOLD] == D("66.0000")


def test_a_redirect_is_not_followed(provider, shop):
    provider.answers(document(gold="66"), status=302)

    result = refresh_shop_rates.delay(shop.pk).get()

    assert provider.requests == 1
    assert result["error"] == NOT_A_RATE_ANSWER
    assert stored(shop) == YESTERDAYS


def test_the_shop_sees_one_message_whatever_refused_the_answer(provider, shop):
    # Distinct messages (refused, timed out, HTTP 404, not JSON) would map the
    # platform's ports and paths for anyone who may set a feed URL.
    shown = set()
    for answer in [
        {"status": 404, "body": document(gold="66")},
        {"body": b"<html>", "status": 200},
        {"body": document(gold="66"), "delay": 1},
    ]:
        provider.answers(**answer)
        shown.add(refresh_shop_rates.delay(shop.pk).get()["error"])
        shown.add(feed_of(shop).last_error)

    assert shown == {NOT_A_RATE_ANSWER}


# Failures keep the rate in force


def test_garbage_keeps_the_previous_rates(provider, shop):
    provider.answers(b"<html>Service temporarily unavailable</html>")

    malformed = failures("malformed")

    result = refresh_shop_rates.delay(shop.pk).get()

    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert result["error"] == feed_of(shop).last_error == NOT_A_RATE_ANSWER
    assert failures("malformed") == malformed + 1
    assert stored(shop) == YESTERDAYS  # no row written


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        {"currency": "USD", "as_of": AS_OF},
        {"currency": "USD", "as_of": AS_OF, "rates": {}},
        {"currency": "USD", "as_of": "yesterday", "rates": {"gold": "66"}},
        {"currency": "USD", "as_of": "2026-11-28T09:00:00", "rates": {"gold": "66"}},
    ],
    ids=["not-an-object", "no-rates", "empty-rates", "bad-date", "naive-date"],
)
def test_a_malformed_document_stores_nothing(provider, shop, body):
    provider.answers(body)

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_a_rate_dated_in_the_future_is_refused(provider, shop):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    provider.answers(document(as_of=tomorrow, gold="66"))

    malformed = failures("malformed")

    result = refresh_shop_rates.delay(shop.pk).get()

    assert result["error"] == NOT_A_RATE_ANSWER
    assert failures("malformed") == malformed + 1
    with tenant_context(shop):
        assert MetalRate.objects.count() == 1


def test_a_timeout_keeps_the_previous_rates(provider, shop):
    provider.answers(document(gold="66"), delay=1.5)

    started = time.monotonic()
    result = refresh_shop_rates.delay(shop.pk).get()

    assert time.monotonic() - started < 1.2
    assert result["error"] == NOT_A_RATE_ANSWER
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_http_500_keeps_the_previous_rates(provider, shop):
    provider.answers(document(gold="66"), status=500)

    result = refresh_shop_rates.delay(shop.pk).get()

    assert result["error"] == feed_of(shop).last_error == NOT_A_RATE_ANSWER
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_an_unreachable_provider_keeps_the_previous_rates(shop, settings):
    settings.KARAT_RATE_PROVIDER_URL = "http://127.0.0.1:9/rates.json"

    result = refresh_shop_rates.delay(shop.pk).get()

    assert result["error"] == NOT_A_RATE_ANSWER
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_no_provider_configured_keeps_the_previous_rates(shop, settings):
    settings.KARAT_RATE_PROVIDER_URL = ""

    result = refresh_shop_rates.delay(shop.pk).get()

    assert result["error"] == "no provider URL is configured"
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_rates_in_another_currency_are_refused(provider, shop):
    provider.answers(document(currency="EUR", gold="60"))

    result = refresh_shop_rates.delay(shop.pk).get()

    assert result["error"] == "rates are in 'EUR', the shop sells in USD"
    assert in_force(shop) == {Metal.GOLD: D("65.0000")}
    assert stored(shop) == YESTERDAYS  # no row written


def test_an_implausible_jump_is_refused_and_other_metals_still_stored(provider, shop):
    provider.answers(document(gold="72", silver="0.81"))  # gold +10.8 %

    result = refresh_shop_rates.delay(shop.pk).get()

    assert in_force(shop) == {Metal.GOLD: D("65.0000"), Metal.SILVER: D("0.8100")}
    assert stored(shop) == [*YESTERDAYS, (Metal.SILVER, D("0.8100"))]  # no 72 row
    assert result["refused"] == {
        "gold": "72.0000 is more than 10.00% away from 65.0000"
    }
    assert "gold" in feed_of(shop).last_error


def test_a_change_within_the_feeds_bound_is_stored(provider, shop):
    provider.answers(document(gold="58.50"))  # exactly -10 %

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("58.5000")}


def test_the_plausibility_bound_is_the_shops_setting(provider, shop):
    with tenant_context(shop):
        RateFeed.objects.update(max_change_percent=D("25"))
    provider.answers(document(gold="80"))  # +23 %

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("80.0000")}


@pytest.mark.parametrize("value", ["-1", "0", "abc", "NaN", "", None, True])
def test_a_rate_that_is_not_a_positive_number_is_refused(provider, shop, value):
    provider.answers(document(gold=value, silver="0.81"))

    result = refresh_shop_rates.delay(shop.pk).get()

    assert in_force(shop) == {Metal.GOLD: D("65.0000"), Metal.SILVER: D("0.8100")}
    assert stored(shop) == [*YESTERDAYS, (Metal.SILVER, D("0.8100"))]
    assert list(result["refused"]) == ["gold"]


def test_failures_are_counted_by_reason(provider, shop):
    before = failures("http_error"), failures("implausible", metal="gold")
    provider.answers(b"", status=503)
    refresh_shop_rates.delay(shop.pk)
    provider.answers(document(gold="100"))
    refresh_shop_rates.delay(shop.pk)

    after = failures("http_error"), failures("implausible", metal="gold")

    assert after == (before[0] + 1, before[1] + 1)


def test_a_failure_is_logged_with_the_shop(provider, shop, caplog):
    provider.answers(b"", status=500)

    refresh_shop_rates.delay(shop.pk)

    assert "metal rate feed of aurum: all refused (http_error): HTTP 500" in (
        caplog.text
    )


# Isolation and scheduling


def test_a_feed_run_for_one_shop_never_writes_another_shops_rates(provider, shop, luna):
    with tenant_context(luna):
        record_rate(Metal.GOLD, D("50"), datetime(2026, 11, 27, tzinfo=UTC), "manual")
        RateFeed.objects.create(enabled=True)
    provider.answers(document(gold="66"))

    refresh_shop_rates.delay(shop.pk)

    assert in_force(shop) == {Metal.GOLD: D("66.0000")}
    assert in_force(luna) == {Metal.GOLD: D("50.0000")}
    with tenant_context(luna):
        assert MetalRate.objects.count() == 1


def test_beat_task_refreshes_every_active_shop_with_an_enabled_feed(
    provider, shop, luna
):
    quiet = make_tenant("quiet")
    closed = make_tenant("closed")
    with tenant_context(luna):
        RateFeed.objects.create(enabled=True)
    with tenant_context(quiet):
        RateFeed.objects.create(enabled=False)
    with tenant_context(closed):
        RateFeed.objects.create(enabled=True)
    Tenant.objects.filter(pk=closed.pk).update(status=Tenant.Status.SUSPENDED)
    provider.answers(document(gold="66"))

    assert refresh_metal_rates.delay().get() == 2

    assert in_force(shop) == {Metal.GOLD: D("66.0000")}
    assert in_force(luna) == {Metal.GOLD: D("66.0000")}
    assert in_force(quiet) == {}
    assert in_force(closed) == {}


def test_beat_task_publishes_the_stalest_rate_age_per_metal(provider, shop):
    provider.answers(b"", status=500)

    refresh_metal_rates.delay()

    age = REGISTRY.get_sample_value("karat_metal_rate_age_seconds", {"metal": "gold"})
    since = timezone.now() - datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert age == pytest.approx(since.total_seconds(), abs=60)


def test_refresh_metal_rates_is_scheduled_by_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["refresh-metal-rates"]

    assert schedule["task"] == "back_office.inventory.tasks.refresh_metal_rates"
    assert schedule["schedule"] == 15 * 60


# Recording a rate by hand


def test_record_rate_puts_a_rate_in_force_for_the_current_shop(aurum):
    with tenant_context(aurum):
        rate = record_rate(Metal.SILVER, "0.8123", timezone.now(), "manual")

    assert rate.tenant_id == aurum.pk
    assert in_force(aurum) == {Metal.SILVER: D("0.8123")}


def test_record_rate_keeps_four_decimals(aurum):
    with tenant_context(aurum):
        rate = record_rate(Metal.GOLD, D("65.12345"), timezone.now(), "manual")

    assert rate.rate_per_gram == D("65.1235")


@pytest.mark.parametrize(
    ("metal", "value", "message"),
    [
        ("gold", "0", "more than zero"),
        ("gold", "-5", "more than zero"),
        ("gold", "lots", "not a number"),
        ("gold", "0.00001", "at least 0.0001"),
        ("gold", "99999999999", "too large"),
        ("copper", "1", "does not price"),
    ],
)
def test_record_rate_refuses_what_is_not_a_rate_and_writes_nothing(
    aurum, metal, value, message
):
    with tenant_context(aurum):
        with pytest.raises(RateError, match=message):
            record_rate(metal, value, timezone.now(), "manual")
        assert not MetalRate.objects.exists()


def test_record_rate_needs_a_time_with_a_time_zone(aurum):
    with tenant_context(aurum), pytest.raises(RateError, match="time zone"):
        record_rate(Metal.GOLD, "65", datetime(2026, 11, 28, 9, 0), "manual")  # noqa: DTZ001
    assert stored(aurum) == []
