import os
from pathlib import Path

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from celery.signals import task_postrun, worker_init, worker_process_shutdown
from prometheus_client import CollectorRegistry, multiprocess, start_http_server

from config.metrics import CELERY_TASKS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("karat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Liveness files for the container health checks (docker/healthcheck fresh FILE AGE):
# touched from each process's own loop, so a stuck loop goes stale, and probing
# costs a stat() instead of a new Celery process per `celery inspect ping`.
# /tmp is the container's own tmpfs, not a shared directory.
ALIVE_DIR = Path(os.environ.get("CELERY_ALIVE_DIR", "/tmp"))  # noqa: S108
WORKER_ALIVE_FILE = ALIVE_DIR / "worker.alive"
BEAT_ALIVE_FILE = ALIVE_DIR / "beat.alive"
WORKER_ALIVE_EVERY = 10


class WorkerAliveFile(bootsteps.StartStopStep):
    """Touch WORKER_ALIVE_FILE every few seconds from the worker's event loop."""

    requires = {"celery.worker.components:Timer"}

    def start(self, worker):
        WORKER_ALIVE_FILE.touch()
        self.tref = worker.timer.call_repeatedly(
            WORKER_ALIVE_EVERY, WORKER_ALIVE_FILE.touch
        )

    def stop(self, worker):
        self.tref.cancel()
        WORKER_ALIVE_FILE.unlink(missing_ok=True)


app.steps["worker"].add(WorkerAliveFile)


class AliveFileScheduler(PersistentScheduler):
    """Beat's default scheduler, touching BEAT_ALIVE_FILE on every tick (at least
    once per --max-interval)."""

    def tick(self, *args, **kwargs):
        BEAT_ALIVE_FILE.touch()
        return super().tick(*args, **kwargs)


# Worker metrics: pool processes write to PROMETHEUS_MULTIPROC_DIR (the entrypoint
# empties it at start); the main process serves their sum for Prometheus.
METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


@worker_init.connect
def serve_worker_metrics(**kwargs):
    port = os.environ.get("CELERY_METRICS_PORT")
    if METRICS_DIR and port:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(int(port), registry=registry)


@worker_process_shutdown.connect
def forget_pool_process(pid=None, **kwargs):
    if METRICS_DIR:
        multiprocess.mark_process_dead(pid)


@task_postrun.connect
def count_task(sender=None, state=None, **kwargs):
    CELERY_TASKS.labels(task=sender.name, state=state or "UNKNOWN").inc()
