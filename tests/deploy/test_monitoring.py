"""monitoring/: Prometheus config and alert rules through promtool (with the rules'
unit tests), Grafana provisioning and dashboards, and every series they read found in
a real scrape of the exporter that is to export it (Debian's builds, run here)."""

import json
import os
import subprocess
import time
import urllib.request

import pytest
import yaml

from tests.deploy.conftest import PG_ADMIN_URL, free_port, wait_for_http
from tests.utils import PROJECT_DIR, monitored_series, scraped_series

PROMETHEUS_DIR = PROJECT_DIR / "monitoring" / "prometheus"
GRAFANA_DIR = PROJECT_DIR / "monitoring" / "grafana"
DASHBOARDS = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))


def promtool(*args, cwd=PROMETHEUS_DIR):
    return subprocess.run(
        ["promtool", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "alerts.yml"],
        ["test", "rules", "alerts_test.yml"],
    ],
    ids=["config", "rules", "rule-tests"],
)
def test_promtool_accepts(args):
    result = promtool(*args)

    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_discovers_every_web_replica_by_dns():
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    web = next(job for job in config["scrape_configs"] if job["job_name"] == "web")

    assert web["dns_sd_configs"] == [
        {"names": ["web"], "type": "A", "port": 8000, "refresh_interval": "15s"}
    ]


def test_dashboards_are_six_with_unique_uids():
    uids = [json.loads(path.read_text())["uid"] for path in DASHBOARDS]

    assert len(DASHBOARDS) == 6
    assert len(set(uids)) == len(uids)


def test_every_panel_uses_the_provisioned_data_source():
    datasources = yaml.safe_load(
        (GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )
    uid = datasources["datasources"][0]["uid"]

    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            assert panel["datasource"]["uid"] == uid, (path.name, panel["title"])


def test_every_dashboard_query_is_valid_promql(tmp_path):
    # promtool parses expressions in rule files: wrap each query in a recording rule.
    rules = [
        {"record": f"dashboard:query_{n}", "expr": target["expr"]}
        for n, target in enumerate(
            target
            for path in DASHBOARDS
            for panel in json.loads(path.read_text())["panels"]
            for target in panel["targets"]
        )
    ]
    (tmp_path / "queries.yml").write_text(
        yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]})
    )

    result = promtool("check", "rules", "queries.yml", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def _compose_environment(service: str) -> dict[str, str]:
    compose = yaml.safe_load((PROJECT_DIR / "docker-compose.prod.yml").read_text())
    return compose["services"][service].get("environment", {})


@pytest.fixture
def stub_status(tmp_path):
    """An nginx that serves its stub_status, as Karat's does on port 8081."""
    port = free_port()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "  access_log off;\n"
        f"  server {{ listen 127.0.0.1:{port}; "
        "location = /stub_status { stub_status; } }\n"
        "}\n"
    )
    nginx = subprocess.Popen(
        ["nginx", "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
    )
    wait_for_http(port, "/stub_status")
    yield f"http://127.0.0.1:{port}/stub_status"
    nginx.terminate()
    nginx.wait(timeout=10)


def _exporters(port: int, stub_status_url: str) -> dict[str, tuple[list, dict]]:
    """Debian's builds of the exporters the compose stack runs, each on `port`,
    pointed at this machine's PostgreSQL, Redis and nginx: (command, environment)."""
    listen = f"127.0.0.1:{port}"
    return {
        "postgres-exporter": (
            ["prometheus-postgres-exporter", f"--web.listen-address={listen}"],
            {"DATA_SOURCE_NAME": f"{PG_ADMIN_URL}/postgres?sslmode=disable"},
        ),
        "redis-exporter": (
            ["prometheus-redis-exporter", f"-web.listen-address={listen}"],
            {
                **_compose_environment("redis-exporter"),
                "REDIS_ADDR": "redis://127.0.0.1:6379",
            },
        ),
        "nginx-exporter": (
            [
                "prometheus-nginx-exporter",
                f"-web.listen-address={listen}",
                f"-nginx.scrape-uri={stub_status_url}",
            ],
            {},
        ),
        "node-exporter": (
            ["prometheus-node-exporter", f"--web.listen-address={listen}"],
            {},
        ),
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "exporter",
    ["postgres-exporter", "redis-exporter", "nginx-exporter", "node-exporter"],
)
def test_every_series_the_dashboards_and_alerts_read_is_in_its_exporters_scrape(
    exporter, stub_status
):
    port = free_port()
    command, environment = _exporters(port, stub_status)[exporter]
    wanted = monitored_series()[exporter]
    process = subprocess.Popen(
        command,
        env={"PATH": os.environ["PATH"], **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(port, "/metrics")
        # As Prometheus does, scrape again: an exporter's first scrape after start
        # may miss collectors (postgres-exporter reads the server's version first).
        deadline = time.monotonic() + 15
        while True:
            scraped = _series(f"http://127.0.0.1:{port}/metrics")
            if wanted <= scraped or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert wanted - scraped == set()


def _series(url: str) -> set[str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        return scraped_series(response.read().decode())
