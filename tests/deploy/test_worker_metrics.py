"""The Celery worker serves its pool's metrics: tasks run, counted in one scrape
(config/celery_app.py, the worker role's PROMETHEUS_MULTIPROC_DIR)."""

import http.client
import os
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery

from tests.config.test_metrics import _sample
from tests.deploy.conftest import free_port, wait_for_http
from tests.utils import PROJECT_DIR

pytestmark = pytest.mark.slow

BROKER = "redis://127.0.0.1:6379/3"
TASKS = 6


def _scrape(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics")
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def test_a_scrape_of_the_worker_counts_the_tasks_of_every_pool_process(tmp_path):
    port, queue = free_port(), f"metrics-test-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": BROKER,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "CELERY_METRICS_PORT": str(port),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker",
         "--pool", "prefork", "--concurrency", "2", "--queues", queue,
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=PROJECT_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    sender = Celery(broker=BROKER)
    try:
        wait_for_http(port, "/metrics")
        for _ in range(TASKS):
            sender.send_task("celery.backend_cleanup", queue=queue)
        for _ in range(100):  # until every task is counted, at most 20 s
            if _sample(_scrape(port), "karat_celery_tasks_total") >= TASKS:
                break
            time.sleep(0.2)
        metrics = _scrape(port)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    series = 'karat_celery_tasks_total{state="SUCCESS",task="celery.backend_cleanup"}'
    assert f"{series} {float(TASKS)}" in metrics
