"""The inventory's Prometheus metrics: the health of each shop's metal rates.

In Gunicorn (multiprocess mode, config/gunicorn.py) each worker writes its values to
PROMETHEUS_MULTIPROC_DIR and /metrics sums them; gauges say how to combine workers.
The rates are refreshed by Celery tasks, whose pool processes the worker serves on
CELERY_METRICS_PORT (config/celery_app.py).
"""

from prometheus_client import Counter, Gauge

METAL_RATE_FETCH_FAILURES = Counter(
    "karat_metal_rate_fetch_failures",
    "Metal rates refused from the provider, by metal (or all, when the whole answer "
    "was refused: timeout, HTTP error, malformed, wrong currency) and reason.",
    ["metal", "reason"],
)
# Seconds since the newest rate took effect, per metal: the stalest shop's.
# "max" across processes: the stalest view any of them has.
METAL_RATE_AGE_SECONDS = Gauge(
    "karat_metal_rate_age_seconds",
    "Age of the newest metal rate, by metal (the stalest shop's).",
    ["metal"],
    multiprocess_mode="max",
)


def publish_rate_ages(ages_per_shop: list[dict[str, float]]) -> None:
    """The stalest shop's rate age per metal, for the "rates are stale" alert."""
    stalest: dict[str, float] = {}
    for ages in ages_per_shop:
        for metal, age in ages.items():
            stalest[metal] = max(age, stalest.get(metal, 0))
    for metal, age in stalest.items():
        METAL_RATE_AGE_SECONDS.labels(metal=metal).set(age)
