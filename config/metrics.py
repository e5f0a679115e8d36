"""The project's own Prometheus metrics: the Celery worker's tasks. Each app defines
the metrics it increments in its own metrics.py (back_office/inventory/metrics.py).

The Celery worker's pool processes write their values to PROMETHEUS_MULTIPROC_DIR;
the worker serves the sum on CELERY_METRICS_PORT (config/celery_app.py).
"""

from prometheus_client import Counter

CELERY_TASKS = Counter(
    "karat_celery_tasks",
    "Celery tasks run by the worker, by task name and final state.",
    ["task", "state"],
)
