"""One scrape of a replica reports every Gunicorn worker's requests (multiprocess
mode: config/gunicorn.py and the web role's PROMETHEUS_MULTIPROC_DIR)."""

import http.client
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.config.test_metrics import _sample
from tests.deploy.conftest import free_port, production_env, wait_for_http
from tests.utils import PROJECT_DIR

pytestmark = pytest.mark.slow

REQUESTS = 40
BY_VIEW = "django_http_requests_total_by_view_transport_method_total"


def _live_requests(metrics: str) -> float:
    """Requests counted for /health/live alone: the warm-up and the scrapes, which
    may still be in flight when a busy machine times a client out, do not count."""
    lines = [line for line in metrics.splitlines() if 'view="health-live"' in line]
    return _sample("\n".join(lines), BY_VIEW)


def _get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def test_one_scrape_counts_requests_of_every_worker(tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    # Left over from an earlier run: on_starting must clear it, or it would count.
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"stale")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        # /health/live touches no database: any URL will do.
        **production_env("postgres://unused@127.0.0.1:1/unused"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PORT": str(port),
        "GUNICORN_WORKERS": "4",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=PROJECT_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_http(port, "/metrics")
        before = _live_requests(_get(port, "/metrics"))
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: _get(port, "/health/live"), range(REQUESTS)))
        metrics = _get(port, "/metrics")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    writers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}
    # Every request, whichever worker served it.
    assert _live_requests(metrics) - before == REQUESTS
    assert len(writers) > 1
