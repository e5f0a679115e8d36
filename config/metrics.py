"""Business metrics, defined once so every app increments the same series.

In Gunicorn (multiprocess mode, config/gunicorn.py) each worker writes its values to
PROMETHEUS_MULTIPROC_DIR and /metrics sums them; gauges say how to combine workers.
The Celery worker does the same for its pool processes and serves the sum on
CELERY_METRICS_PORT (config/celery_app.py).
"""

from prometheus_client import Counter, Gauge

SALES_COMPLETED = Counter(
    "karat_sales_completed",
    "Sales completed at the counter, by tenant.",
    ["tenant"],
)
RESERVATIONS_CREATED = Counter(
    "karat_reservations_created",
    "Reserve-in-store requests received from storefronts, by tenant.",
    ["tenant"],
)
CELERY_TASKS = Counter(
    "karat_celery_tasks",
    "Celery tasks run by the worker, by task name and final state.",
    ["task", "state"],
)
METAL_RATE_FETCH_FAILURES = Counter(
    "karat_metal_rate_fetch_failures",
    "Metal rates refused from the provider, by metal (or all, when the whole answer "
    "was refused: timeout, HTTP error, malformed, wrong currency) and reason.",
    ["metal", "reason"],
)
# Seconds since the newest rate was recorded; set when rates are read or refreshed.
# "max" across workers: the stalest view any worker has.
METAL_RATE_AGE_SECONDS = Gauge(
    "karat_metal_rate_age_seconds",
    "Age of the newest metal rate, by metal.",
    ["metal"],
    multiprocess_mode="max",
)
