"""Fixtures for the deployment tests: each runs real programs (podman, nginx,
Gunicorn, promtool) against its own PostgreSQL database and Redis index."""

import http.client
import os
import socket
import subprocess
import time
import uuid

import psycopg
import pytest

from tests.utils import PROJECT_DIR

PG_ADMIN_URL = os.environ.get("KARAT_DEPLOY_PG", "postgres://postgres@127.0.0.1:5432")
TOOLS_BIN = PROJECT_DIR / ".venv-tools" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(port: int, path: str = "/", host: str = "127.0.0.1", timeout=30):
    """Poll until something answers HTTP on the port (any status), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path, headers={"Host": host})
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            conn.close()


@pytest.fixture(scope="module")
def tools():
    """The checkers that live outside requirements (scripts/ensure-tools)."""
    subprocess.run([PROJECT_DIR / "scripts" / "ensure-tools"], check=True)
    return TOOLS_BIN


@pytest.fixture(scope="module")
def deploy_database():
    """A fresh, empty PostgreSQL database for this module; dropped afterwards."""
    name = f"karat_deploy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN_URL}/{name}"
    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Apart from the suite's own Redis database (0); these tests only write uniquely named
# keys (health checks, sessions), so parallel modules can share it.
REDIS_URL = "redis://127.0.0.1:6379/9"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for config.settings.production against the test services."""
    return {
        "DJANGO_SECRET_KEY": "deploy-test-key-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "shop.example.com,.example.org",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        **extra,
    }
