"""Helpers for tests that must run Django in a separate process with its own env."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

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


MONITORING_DIR = PROJECT_DIR / "monitoring"
# Which program exports a series, by its name's prefix. `up` is Prometheus's own.
SERIES_SOURCES = {
    "django_": "app",
    "karat_": "app",
    "pg_": "postgres-exporter",
    "redis_": "redis-exporter",
    "nginx_": "nginx-exporter",
    "node_": "node-exporter",
}
_PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_PROMQL_OPERATORS = {"and", "or", "unless", "bool", "offset"}


def promql_series(expr: str) -> set[str]:
    """The series names a PromQL expression reads (functions, labels and ranges
    left out): `sum by (job) (rate(x_total{a="b"}[5m])) / y` -> {x_total, y}."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)
    expr = re.sub(rf"\b({'|'.join(_PROMQL_WORDS)})\s*\([^)]*\)", "", expr)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", expr):
        if re.match(r"\s*\(", expr[match.end() :]) or match[0] in _PROMQL_OPERATORS:
            continue  # a function or an operator
        names.add(match[0])
    return names


def monitored_series() -> dict[str, set[str]]:
    """Every series a Grafana dashboard or an alert rule reads, by the program that
    exports it (SERIES_SOURCES), except Prometheus's own `up`."""
    exprs = [
        target["expr"]
        for path in sorted((MONITORING_DIR / "grafana" / "dashboards").glob("*.json"))
        for panel in json.loads(path.read_text())["panels"]
        for target in panel["targets"]
    ]
    alerts = yaml.safe_load((MONITORING_DIR / "prometheus" / "alerts.yml").read_text())
    exprs += [rule["expr"] for group in alerts["groups"] for rule in group["rules"]]
    by_source: dict[str, set[str]] = {}
    for name in set().union(*map(promql_series, exprs)) - {"up"}:
        source = next(
            (src for prefix, src in SERIES_SOURCES.items() if name.startswith(prefix)),
            "unknown",
        )
        by_source.setdefault(source, set()).add(name)
    return by_source


def scraped_series(exposition: str) -> set[str]:
    """The series names in a scrape, as Prometheus stores them (the client library's
    parser renames counters, so the lines are read as they are)."""
    return {
        match[0]
        for line in exposition.splitlines()
        if not line.startswith("#")
        and (match := re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line))
    }
