"""docker-compose.prod.yml brought up for real with podman-compose, then upgraded
with the commands of docs/deploy.md section 7 while requests keep flowing.

No Docker engine and no registry here: podman runs the stack, and postgres, redis
and nginx are stand-ins built from Debian packages under the compose file's image
names (tests/deploy/standins, scripts/build-standins). The project folder is a
temporary copy of what an operator has: the compose file unchanged, nginx/ and
postgres/, .env.prod with test values and .env naming the image. What podman needs
differently lives in one override file (OVERRIDE below) and in nginx's resolver
address, each with its reason.
"""

import http.client
import json
import re
import shlex
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.deploy.conftest import free_port
from tests.deploy.test_image import PODMAN_ENV, image, podman, wait_until  # noqa: F401
from tests.utils import PROJECT_DIR

pytestmark = pytest.mark.slow

COMPOSE_FILE = "docker-compose.prod.yml"
PLATFORM = "platform.example.com"
DEPLOY_DOC = PROJECT_DIR / "docs" / "deploy.md"

ENV_PROD = """\
DJANGO_SECRET_KEY=compose-test-key-{secret}
DJANGO_ALLOWED_HOSTS=.example.com
KARAT_PLATFORM_HOSTNAMES={platform}
DATABASE_URL=postgres://karat_app:app-pw@postgres:5432/karat
REDIS_URL=redis://:redis-pw@redis:6379/0
MIGRATE_DATABASE_URL=postgres://karat_owner:owner-pw@postgres:5432/karat
POSTGRES_PASSWORD=super-pw
KARAT_OWNER_PASSWORD=owner-pw
KARAT_APP_PASSWORD=app-pw
REDIS_PASSWORD=redis-pw
GUNICORN_WORKERS=2
DJANGO_SECURE_SSL_REDIRECT=false
DJANGO_LOG_LEVEL=WARNING
"""

# Where podman (4.3, Debian bookworm) and podman-compose 1.6 differ from Docker:
# - nginx publishes on a free loopback port: 80/443 may be taken on a test machine.
# - podman-compose reads deploy.replicas only with an explicit mode (Docker's default).
# - podman 4.3 refuses tmpfs uid=/gid= options (Docker hands them to the kernel);
#   its `U` option gives the mount to the container's user, 999, the same result.
# - docker_compose_compat: containers named <project>-<service>-<n> as Docker names
#   them (docs/deploy.md retires karat-web-1 by name), and no pod around them.
OVERRIDE = """\
x-podman:
  docker_compose_compat: true
services:
  web:
    deploy: {{mode: replicated}}
  postgres:
    tmpfs: !override ["/tmp", "/var/run/postgresql:U"]
  nginx:
    ports: !override ["127.0.0.1:{port}:80"]
"""
OVERRIDE_FILE = "docker-compose.podman.yml"


class Stack:
    """The compose project in `root`, run as project `name` with podman-compose."""

    def __init__(self, root: Path, compose_bin: Path, app_image: str):
        self.root = root
        self.name = f"karatup{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.image = app_image
        self.images_to_remove: list[str] = []
        self.env = {**PODMAN_ENV, "PATH": f"{compose_bin.parent}:{PODMAN_ENV['PATH']}"}
        self.compose_cmd = [
            str(compose_bin), "-p", self.name,
            "-f", COMPOSE_FILE, "-f", OVERRIDE_FILE,
        ]  # fmt: skip

    def write_project(self):
        shutil.copy(PROJECT_DIR / COMPOSE_FILE, self.root)
        shutil.copytree(PROJECT_DIR / "nginx", self.root / "nginx")
        (self.root / "postgres").mkdir()
        shutil.copy2(PROJECT_DIR / "postgres" / "init-roles.sh", self.root / "postgres")
        (self.root / ".env.prod").write_text(
            ENV_PROD.format(secret=uuid.uuid4().hex * 2, platform=PLATFORM)
        )
        (self.root / ".env").write_text(f"KARAT_IMAGE={self.image}\n")
        (self.root / OVERRIDE_FILE).write_text(OVERRIDE.format(port=self.port))

    def compose(self, *args: str, timeout: float = 300) -> str:
        return self.shell(shlex.join([*self.compose_cmd, *args]), timeout)

    def shell(self, command: str, timeout: float = 300) -> str:
        result = subprocess.run(  # noqa: S602 - the documented commands, as typed
            command, shell=True, cwd=self.root, env=self.env,
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def containers(self, service: str) -> list[str]:
        listing = podman(
            "ps", "--filter", f"label=io.podman.compose.project={self.name}",
            "--filter", f"label=com.docker.compose.service={service}",
            "--format", "{{.Names}}",
        )  # fmt: skip
        return sorted(listing.stdout.split())

    def wait_healthy(self, names: list[str], timeout: float = 90) -> None:
        # Podman schedules health checks with systemd timers; there is no systemd
        # here, so run each check as the timer would until it passes.
        def healthy():
            return all(
                podman("healthcheck", "run", name, check=False).returncode == 0
                for name in names
            )

        wait_until(healthy, timeout)

    def start(self):
        """Every service nginx needs, plus worker and beat, in dependency order.

        Docker's `up -d` does this in one command. Podman 4.3 cannot: it ignores
        `condition: service_healthy` (podman-compose needs podman 4.6 to wait for
        it), and starting a container whose dependency has a running dependency of
        its own fails ("depends on container ... not found in input list"). So
        each layer starts with --no-deps once the one before is healthy or done.
        """
        self.compose("up", "-d", "postgres", "redis")
        self.wait_healthy([f"{self.name}-postgres-1", f"{self.name}-redis-1"])
        self.compose("up", "-d", "--no-deps", "migrate", "publish-static")
        one_offs = [f"{self.name}-migrate-1", f"{self.name}-publish-static-1"]
        exit_codes = podman("wait", *one_offs, check=False).stdout.split()
        assert exit_codes == ["0", "0"], self.logs(*one_offs)
        self.point_nginx_at_the_network_dns()
        self.compose("up", "-d", "--no-deps", "web", "worker", "beat")
        self.wait_healthy(self.containers("web"))
        self.compose("up", "-d", "--no-deps", "nginx")
        self.wait_healthy([f"{self.name}-nginx-1"])

    def point_nginx_at_the_network_dns(self):
        """nginx.conf asks Docker's embedded DNS (127.0.0.11) for `web`; under
        podman the backend network's DNS server (dnsname's dnsmasq) listens on the
        network's gateway, known once the network exists."""
        network = json.loads(
            podman("network", "inspect", f"{self.name}-backend").stdout
        )
        gateway = network[0]["subnets"][0]["gateway"]
        conf = self.root / "nginx" / "nginx.conf"
        text = conf.read_text()
        assert "resolver 127.0.0.11 " in text
        conf.write_text(text.replace("resolver 127.0.0.11 ", f"resolver {gateway} "))

    def addresses(self, names: list[str]) -> set[str]:
        found = set()
        for name in names:
            inspect = json.loads(podman("inspect", name).stdout)[0]
            networks = inspect["NetworkSettings"]["Networks"]
            found.add(networks[f"{self.name}-backend"]["IPAddress"])
        return found

    def image_of(self, name: str) -> str:
        return podman("inspect", "--format", "{{.ImageName}}", name).stdout.strip()

    def upstreams(self) -> list[str]:
        """The web replica address of each request in nginx's JSON access log."""
        logs = podman("logs", f"{self.name}-nginx-1").stdout
        entries = [json.loads(line) for line in logs.splitlines() if line[:1] == "{"]
        return [entry["upstream"] for entry in entries if entry["upstream"]]

    def logs(self, *names: str) -> str:
        parts = []
        for name in names:
            result = podman("logs", "--tail", "40", name, check=False)
            parts.append(f"--- {name}\n{result.stdout}{result.stderr}")
        return "\n".join(parts)

    def down(self):
        """Everything of this project, also if a step failed half-way: replicas that
        `--scale` added are orphans to podman-compose's `down`, so remove by label."""
        subprocess.run(
            [*self.compose_cmd, "down", "--volumes", "--remove-orphans", "-t", "5"],
            cwd=self.root, env=self.env, capture_output=True, timeout=300,
            check=False,
        )  # fmt: skip
        label = f"label=io.podman.compose.project={self.name}"
        left = podman("ps", "-a", "--filter", label, "--format", "{{.Names}}",
                      check=False).stdout.split()  # fmt: skip
        if left:
            podman("rm", "--force", "--time", "0", *left, check=False)
        for kind in ("volume", "network"):
            left = podman(kind, "ls", "--filter", label, "--format", "{{.Name}}",
                          check=False).stdout.split()  # fmt: skip
            if left:
                podman(kind, "rm", "--force", *left, check=False)
        for name in self.images_to_remove:
            podman("rmi", "--force", name, check=False)


def get(port: int, path: str, host: str, timeout: float = 10):
    """(status, body) of one request to nginx; a dropped connection raises."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class RequestLoop:
    """Requests through nginx, back to back on two connections, until stopped;
    every answer that is not 200 (or no answer in 20 s) is a failure."""

    def __init__(self, port: int):
        self.port = port
        self.stopping = threading.Event()
        self.results: list[tuple[float, str, object, float]] = []
        self.threads = [
            threading.Thread(target=self.run, args=(path,), daemon=True)
            for path in ("/", "/health/ready")
        ]

    def run(self, path: str):
        while not self.stopping.is_set():
            start = time.monotonic()
            try:
                outcome = get(self.port, path, PLATFORM, timeout=20)[0]
            except OSError as error:
                outcome = repr(error)
            self.results.append((time.time(), path, outcome, time.monotonic() - start))
            time.sleep(0.02)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    @property
    def failures(self):
        return [result for result in self.results if result[2] != 200]


def documented_upgrade() -> list[str]:
    """The command lines of docs/deploy.md section 7's first code block."""
    text = DEPLOY_DOC.read_text()
    section = text.split("## 7. Upgrades without downtime", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def stack(image, tools, tmp_path_factory):  # noqa: F811 - the imported fixture
    subprocess.run(
        [PROJECT_DIR / "scripts" / "build-standins"], check=True, timeout=900
    )
    stack = Stack(tmp_path_factory.mktemp("compose"), tools / "podman-compose", image)
    stack.write_project()
    try:
        stack.start()
        yield stack
    except BaseException:
        label = f"label=io.podman.compose.project={stack.name}"
        names = podman("ps", "-a", "--filter", label, "--format", "{{.Names}}",
                       check=False).stdout.split()  # fmt: skip
        print(stack.logs(*names))
        raise
    finally:
        stack.down()


def test_compose_file_is_the_repository_one(stack):
    assert (stack.root / COMPOSE_FILE).read_bytes() == (
        PROJECT_DIR / COMPOSE_FILE
    ).read_bytes()


def test_platform_page_answers_through_nginx_from_a_web_replica(stack):
    status, _ = get(stack.port, "/", PLATFORM)
    ready_status, ready = get(stack.port, "/health/ready", PLATFORM)

    assert status == 200
    assert ready_status == 200
    assert json.loads(ready)["status"] == "ok"
    web = stack.addresses(stack.containers("web"))
    assert stack.upstreams()[-1].removesuffix(":8000") in web


def test_hostname_without_a_shop_gets_django_404_and_dotless_host_is_dropped(stack):
    status, _ = get(stack.port, "/", "no-shop.example.com")

    assert status == 404
    with pytest.raises(http.client.RemoteDisconnected):
        get(stack.port, "/", "localhost")


def test_static_files_come_from_the_published_volume(stack):
    manifest = podman(
        "run", "--rm", "--entrypoint", "cat", stack.image,
        "/app/staticfiles/staticfiles.json",
    )  # fmt: skip
    hashed = json.loads(manifest.stdout)["paths"]["css/site.css"]

    status, body = get(stack.port, f"/static/{hashed}", PLATFORM)

    assert status == 200
    assert body


def test_two_web_replicas_are_healthy_and_share_the_requests(stack):
    replicas = stack.containers("web")
    for _ in range(40):
        get(stack.port, "/health/live", PLATFORM)

    assert len(replicas) == 2
    stack.wait_healthy(replicas, timeout=5)
    served = {upstream.removesuffix(":8000") for upstream in stack.upstreams()[-40:]}
    assert served == stack.addresses(replicas)


def podman_equivalent(line: str, stack: Stack) -> str:
    """A docs/deploy.md command as it runs under podman: podman-compose for
    `docker compose` (with this project's name and override file), podman for
    `docker`, and the container names under this project's name."""
    line = line.replace(
        f"docker compose -f {COMPOSE_FILE}", shlex.join(stack.compose_cmd)
    )
    line = re.sub(r"\bdocker (stop|rm) ", r"podman \1 ", line)
    # podman-compose 1.6's `ps` lists the whole project; it takes no service names.
    line = re.sub(r" ps web$", " ps", line)
    return line.replace("karat-web-", f"{stack.name}-web-")


def test_documented_upgrade_serves_every_request(stack):
    commands = documented_upgrade()
    build = re.fullmatch(
        r"docker build -f Dockerfile\.prod -t (\S+) \. && echo KARAT_IMAGE=\1 > \.env",
        commands[0],
    )
    assert build, commands[0]
    old = stack.containers("web")
    old_workers = stack.containers("worker") + stack.containers("beat")
    # The next release: the same build with a label, so it is a different image.
    release = f"{stack.image}-next-{stack.name}"
    subprocess.run(
        ["buildah", "bud", "--quiet", "--isolation", "chroot", "--format", "docker",
         "--label", "karat.release=next", "-t", release, "-f", "-", str(stack.root)],
        input=f"FROM {stack.image}\n", text=True, env=PODMAN_ENV,
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip

    stack.images_to_remove.append(release)

    timeline = []
    with RequestLoop(stack.port) as loop:
        time.sleep(2)
        (stack.root / ".env").write_text(f"KARAT_IMAGE={release}\n")
        for command in commands[1:]:
            translated = podman_equivalent(command, stack)
            if translated.endswith(" ps"):
                # "wait until `ps` shows them healthy"
                stack.wait_healthy(stack.containers("web"))
                listing = stack.shell(translated)
                new = sorted(set(stack.containers("web")) - set(old))
                assert all(
                    re.search(rf"\(healthy\)\s+{name}$", listing, re.M) for name in new
                ), listing
            else:
                stack.shell(translated)
            timeline.append((time.time(), command))
        # Past the old replicas' stop: nginx still had their addresses for a while.
        time.sleep(12)

    for at, command in timeline:
        print(f"{at:.1f} {command}")
    slowest = max(result[3] for result in loop.results)
    print(f"{len(loop.results)} requests during the upgrade, slowest {slowest:.1f} s")
    assert len(loop.results) > 100
    assert loop.failures == []
    new = stack.containers("web")
    assert len(new) == 2
    assert not set(new) & set(old)
    assert {stack.image_of(name) for name in new} == {release}
    workers = stack.containers("worker") + stack.containers("beat")
    assert {stack.image_of(name) for name in workers} == {release}
    assert len(workers) == len(old_workers) == 2
    assert get(stack.port, "/", PLATFORM)[0] == 200
