"""monitoring/: Prometheus config and alert rules through promtool (with the rules'
unit tests), Grafana provisioning and dashboards."""

import json
import subprocess

import pytest
import yaml

from tests.utils import PROJECT_DIR

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
