"""Gunicorn settings for the `web` role (docker/entrypoint): tuned by environment.

Metrics: every worker writes its django-prometheus figures to files in
PROMETHEUS_MULTIPROC_DIR (a tmpfs), and /metrics merges them, so one scrape of any
worker reports the whole replica.
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: requests are short and the database is the bottleneck; scale by
# replicas and GUNICORN_WORKERS (about 2 per CPU the container may use).
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# The heartbeat file lives in memory: a disk-backed /tmp can stall workers under I/O.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a private tmpfs in the container
# Recycle workers now and then so slow leaks cannot grow without bound; the jitter
# keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, in-flight requests get this long; compose's stop_grace_period is longer.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# nginx keeps upstream connections open; outlive its keepalive_timeout for upstreams.
keepalive = 65
# gunicorn >= 25 opens a control socket under $HOME; the root is read-only and the
# socket is not used.
control_socket_disable = True

accesslog = "-"
# Client address as nginx saw it, and the time spent in Django (ms).
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms '
    'request_id=%({x-request-id}i)s "%(a)s"'
)

METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    """Start with an empty metrics directory: files left by a previous run would be
    added to this run's counters."""
    if METRICS_DIR:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
        Path(METRICS_DIR).mkdir(parents=True)


def child_exit(server, worker):
    """Mark a dead worker so its live gauges stop counting (its counters stay)."""
    if METRICS_DIR:
        multiprocess.mark_process_dead(worker.pid)
