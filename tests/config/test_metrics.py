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
