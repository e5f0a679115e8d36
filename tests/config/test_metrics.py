import pytest
from prometheus_client import REGISTRY, Counter

from back_office.inventory.models import RateFeed
from back_office.inventory.tasks import refresh_metal_rates
from back_office.tenancy.context import tenant_context
from tests.factories.inventory import MetalRateFactory
from tests.factories.tenants import make_tenant
from tests.utils import monitored_series, scraped_series


def _sample(metrics: str, name: str) -> float:
    """Sum every sample of a metric family in Prometheus text format."""
    total = 0.0
    for line in metrics.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            if series == name or series.startswith(name + "{"):
                total += float(value)
    return total


def test_metrics_exposes_django_prometheus_request_counters(client):
    before = _sample(
        client.get("/metrics").content.decode(),
        "django_http_requests_total_by_method_total",
    )

    for _ in range(3):
        client.get("/health/live")
    metrics = client.get("/metrics").content.decode()

    assert "django_http_requests_latency_seconds_by_view_method" in metrics
    after = _sample(metrics, "django_http_requests_total_by_method_total")
    # Three probes plus the first scrape itself.
    assert after - before == 4


@pytest.fixture
def shop_whose_feed_fails(db, settings):
    """A shop with a rate and an enabled feed whose provider is not configured."""
    settings.KARAT_RATE_PROVIDER_URL = ""
    shop = make_tenant("aurum")
    with tenant_context(shop):
        MetalRateFactory()
        RateFeed.objects.create(enabled=True)
    return shop


def test_every_series_the_dashboards_and_alerts_read_from_the_app_is_scraped(
    client, shop_whose_feed_fails
):
    # What production does: pages served, one missing (Http404 from the view), the
    # cache read by the readiness probe, a beat run whose rate fetch fails.
    client.get("/", HTTP_HOST="aurum.localhost")
    client.get("/no-such-page/", HTTP_HOST="aurum.localhost")
    client.get("/health/ready")
    refresh_metal_rates.delay()

    scrape = client.get("/metrics").content.decode()

    scraped = scraped_series(scrape)
    series = monitored_series()
    assert "unknown" not in series, "a dashboard reads a series no program exports"
    assert series["app"] - scraped == set()


def test_the_series_of_a_metric_nobody_records_is_not_in_a_scrape(client):
    # Why the test above catches a chart of a metric that is defined but never
    # counted: a labelled metric has no series until something records one.
    counter = Counter("karat_never_counted", "Defined, never counted.", ["shop"])
    try:
        scrape = client.get("/metrics").content.decode()
    finally:
        REGISTRY.unregister(counter)

    assert "karat_never_counted_total" not in scraped_series(scrape)
