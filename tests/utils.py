"""Helpers for tests that must run Django in a separate process with its own env."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines (comments and blanks skipped), as `set -a; . FILE` would."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def run_python(
    code: str, settings: str, env: dict[str, str] | None = None, timeout: int = 60
) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with the given settings module and extra env.

    Variables that the test settings read are removed first so each run states its
    whole environment.
    """
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    base_env.update(env or {})
    base_env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=base_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
