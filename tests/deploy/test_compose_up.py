"""docker-compose.prod.yml brought up for real with podman-compose; then the commands
of docs/deploy.md sections 4 (first tenant), 5 (TLS) and 6 (backups) run on it as the
doc writes them, and last section 7 upgrades it while requests keep flowing.

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
import socket
import ssl
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
SHOP = "aurum.example.com"  # the hostname of docs/deploy.md section 4's shop
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
WAGTAILADMIN_BASE_URL=https://{platform}
DJANGO_EMAIL_URL=consolemail://
{no_redirect}
DJANGO_LOG_LEVEL=WARNING
"""

# Until TLS is on (section 5) the stack answers plain HTTP; then the line goes and the
# production default, redirecting to HTTPS, applies.
NO_REDIRECT = "DJANGO_SECURE_SSL_REDIRECT=false"

# Where podman (4.3, Debian bookworm) and podman-compose 1.6 differ from Docker:
# - nginx publishes on free loopback ports: 80/443 may be taken on a test machine.
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
    ports: !override ["127.0.0.1:{port}:80", "127.0.0.1:{tls_port}:443"]
"""
OVERRIDE_FILE = "docker-compose.podman.yml"


class Stack:
    """The compose project in `root`, run as project `name` with podman-compose."""

    def __init__(self, root: Path, compose_bin: Path, app_image: str):
        self.root = root
        self.name = f"karatup{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.tls_port = free_port()
        # Trusts the stack's certificate once section 5 has installed it; from then on
        # requests go over HTTPS, as plain HTTP redirects.
        self.tls: ssl.SSLContext | None = None
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
            ENV_PROD.format(
                secret=uuid.uuid4().hex * 2, platform=PLATFORM, no_redirect=NO_REDIRECT
            )
        )
        (self.root / ".env").write_text(f"KARAT_IMAGE={self.image}\n")
        (self.root / OVERRIDE_FILE).write_text(
            OVERRIDE.format(port=self.port, tls_port=self.tls_port)
        )

    def compose(self, *args: str, check: bool = True, timeout: float = 300):
        return self.shell(shlex.join([*self.compose_cmd, *args]), check, timeout)

    def shell(self, command: str, check: bool = True, timeout: float = 300):
        result = subprocess.run(  # noqa: S602 - the documented commands, as typed
            command, shell=True, cwd=self.root, env=self.env,
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        if check:
            assert result.returncode == 0, (
                f"{command}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def sql(self, query: str, database: str = "karat") -> str:
        """psql's unaligned output of `query`, as the postgres superuser."""
        return podman(
            "exec", f"{self.name}-postgres-1",
            "psql", "-U", "postgres", "-d", database, "-Atc", query,
        ).stdout  # fmt: skip

    def front(self) -> tuple[int, ssl.SSLContext | None]:
        """Where a client reaches nginx: HTTPS once TLS is on, else plain HTTP."""
        return (self.tls_port, self.tls) if self.tls else (self.port, None)

    def containers(self, service: str) -> list[str]:
        listing = podman(
            "ps", "--filter", f"label=io.podman.compose.project={self.name}",
            "--filter", f"label=com.docker.compose.service={service}",
            "--format", "{{.Names}}",
        )  # fmt: skip
        return sorted(listing.stdout.split())

    def all_containers(self) -> list[str]:
        """Every container of this project, stopped ones and `--scale` orphans too."""
        listing = podman(
            "ps", "--all", "--filter", f"label=io.podman.compose.project={self.name}",
            "--format", "{{.Names}}", check=False,
        )  # fmt: skip
        return listing.stdout.split()

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
        left = self.all_containers()
        if left:
            podman("rm", "--force", "--time", "0", *left, check=False)
        label = f"label=io.podman.compose.project={self.name}"
        for kind in ("volume", "network"):
            left = podman(kind, "ls", "--filter", label, "--format", "{{.Name}}",
                          check=False).stdout.split()  # fmt: skip
            if left:
                podman(kind, "rm", "--force", *left, check=False)
        for name in self.images_to_remove:
            podman("rmi", "--force", name, check=False)


def fetch(port: int, path: str, host: str, timeout: float = 10, tls=None):
    """(status, headers, body) of one request to nginx on loopback, with `host` as
    the Host header and, over TLS, as the server name (SNI) the certificate must
    match; a dropped connection or refused handshake raises."""
    if tls is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    else:
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=tls)
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        try:
            conn.sock = tls.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def get(port: int, path: str, host: str, timeout: float = 10, tls=None):
    """(status, body) of one request to nginx; a dropped connection raises."""
    status, _, body = fetch(port, path, host, timeout, tls)
    return status, body


class RequestLoop:
    """Requests through nginx, back to back on two connections, until stopped;
    every answer that is not 200 (or no answer in 20 s) is a failure."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None):
        self.port = port
        self.tls = tls
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
                outcome = get(self.port, path, PLATFORM, 20, self.tls)[0]
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


def documented_commands(heading: str) -> list[str]:
    """The commands of every `sh` code block under docs/deploy.md's `## <heading>`,
    in order: comment lines dropped, lines continued with a backslash joined."""
    text = DEPLOY_DOC.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh\n(.*?)^```", section, re.M | re.S)
    assert blocks, f"no sh block under {heading}"
    lines = re.sub(r"\\\n\s*", "", "".join(blocks)).splitlines()
    return [line for line in lines if line and not line.startswith("#")]


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
        print(stack.logs(*stack.all_containers()))
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
    `docker`, and the container and volume names under this project's name."""
    line = line.replace(
        f"docker compose -f {COMPOSE_FILE}", shlex.join(stack.compose_cmd)
    )
    line = re.sub(r"\bdocker (stop|rm|run) ", r"podman \1 ", line)
    # podman-compose 1.6's `ps` lists the whole project; it takes no service names.
    line = re.sub(r" ps web$", " ps", line)
    line = re.sub(r"-v karat_(\w+):", rf"-v {stack.name}_\1:", line)
    return line.replace("karat-web-", f"{stack.name}-web-")


def run_documented(stack: Stack, heading: str) -> list[str]:
    """Run the commands of a docs/deploy.md section on the stack; their outputs."""
    return [
        stack.shell(podman_equivalent(command, stack)).stdout
        for command in documented_commands(heading)
    ]


def test_documented_first_tenant_gets_its_storefront_and_a_superuser(stack):
    commands = documented_commands("4. The first tenant")
    assert f"--hostname {SHOP} " in commands[0]
    stack.env["DJANGO_SUPERUSER_PASSWORD"] = uuid.uuid4().hex

    tenant_output, _ = run_documented(stack, "4. The first tenant")

    assert f"Storefront: http://{SHOP}/" in tenant_output
    # The owner's invitation goes to the owner's mailbox (the console, here) only.
    assert f"https://{PLATFORM}/invitations/aurum-jewellers/" in tenant_output
    status, body = get(stack.port, "/", SHOP)
    assert status == 200
    assert b"<title>Aurum Jewellers" in body
    # A superuser with a usable password (Django marks unusable ones with "!").
    assert stack.sql(
        "SELECT is_superuser, password NOT LIKE '!%' FROM auth_user "
        "WHERE username = 'ops'"
    ).split() == ["t|t"]


def test_create_tenant_with_a_bad_hostname_fails_and_leaves_nothing(stack):
    result = stack.compose(
        "run", "--rm", "--no-deps", "web", "create_tenant",
        "--name", "Second Shop", "--hostname", "second shop",
        "--owner-email", "owner@second.example.com",
        check=False,
    )  # fmt: skip

    assert result.returncode == 1
    # On stdout: `run` gives the container a terminal, which carries both streams.
    message = "CommandError: “second shop” is not a valid hostname."
    assert message in result.stdout + result.stderr
    # The shop row, its home page and collection come before the hostname is checked.
    left = stack.sql(
        "SELECT (SELECT count(*) FROM tenants_tenant WHERE slug = 'second-shop'),"
        " (SELECT count(*) FROM wagtailcore_page WHERE slug = 'second-shop'),"
        " (SELECT count(*) FROM wagtailcore_collection WHERE name = 'Second Shop'),"
        " (SELECT count(*) FROM auth_user WHERE email = 'owner@second.example.com')"
    )
    assert left.split() == ["0|0|0|0"]


def test_documented_tls_serves_the_shop_over_https_with_hsts_once(stack):
    # A self-signed certificate for both test hostnames, where the doc says to put
    # the CA's: in the project folder, under the names nginx/tls/site.conf expects.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec",
         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
         "-keyout", "privkey.pem", "-out", "fullchain.pem", "-subj", f"/CN={SHOP}",
         "-addext", f"subjectAltName=DNS:{SHOP},DNS:{PLATFORM}"],
        cwd=stack.root, check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    trusting = ssl.create_default_context(cafile=stack.root / "fullchain.pem")

    run_documented(stack, "5. TLS")

    # `nginx -s reload` returns once signalled; the new workers listen a moment later.
    wait_until(lambda: https_answers(stack.tls_port, trusting), timeout=10)
    status, headers, body = fetch(stack.tls_port, "/", SHOP, tls=trusting)
    assert status == 200
    assert b"<title>Aurum Jewellers" in body
    assert headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"
    ]
    stack.tls = trusting


def https_answers(port: int, tls: ssl.SSLContext) -> bool:
    try:
        fetch(port, "/health/live", SHOP, timeout=2, tls=tls)
    except OSError:
        return False
    return True


def test_tls_handshake_naming_no_shop_is_refused(stack):
    anything = ssl.create_default_context()
    anything.check_hostname = False
    anything.verify_mode = ssl.CERT_NONE

    with (
        socket.create_connection(("127.0.0.1", stack.tls_port), timeout=5) as raw,
        pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"),
    ):
        anything.wrap_socket(raw)


def test_plain_http_redirects_to_https_with_the_production_default(stack):
    assert stack.tls, "needs section 5's TLS"
    env_prod = stack.root / ".env.prod"
    env_prod.write_text(env_prod.read_text().replace(f"{NO_REDIRECT}\n", ""))
    # The replicas read .env.prod when created. podman-compose recreates nginx too;
    # the certificate (volume) and site.conf (folder) outlive its container.
    stack.compose("up", "-d", "--no-deps", "--force-recreate", "web")
    stack.wait_healthy([*stack.containers("web"), f"{stack.name}-nginx-1"])

    status, headers, _ = fetch(stack.port, "/", SHOP)
    health_status, _ = get(stack.port, "/health/ready", SHOP)

    assert status == 301
    assert headers["Location"] == f"https://{SHOP}/"
    assert health_status == 200
    assert get(stack.tls_port, "/", SHOP, tls=stack.tls)[0] == 200


def test_documented_backup_restores_with_every_shop(stack):
    live_shops = stack.sql("SELECT slug FROM tenants_tenant ORDER BY slug").split()
    assert "aurum-jewellers" in live_shops, "needs section 4's shop"

    outputs = run_documented(stack, "6. Backups")

    dumps = list(stack.root.glob("karat-*.dump"))
    assert len(dumps) == 1
    assert dumps[0].read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    restored_shops = outputs[3].split()  # the psql line, run on karat_restore
    assert restored_shops == live_shops
    assert "karat_restore" not in stack.sql("SELECT datname FROM pg_database")


def test_documented_upgrade_serves_every_request(stack):
    commands = documented_commands("7. Upgrades without downtime")
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
    with RequestLoop(*stack.front()) as loop:
        time.sleep(2)
        (stack.root / ".env").write_text(f"KARAT_IMAGE={release}\n")
        for command in commands[1:]:
            translated = podman_equivalent(command, stack)
            if translated.endswith(" ps"):
                # "wait until `ps` shows them healthy"
                stack.wait_healthy(stack.containers("web"))
                listing = stack.shell(translated).stdout
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
    port, tls = stack.front()
    assert get(port, "/", PLATFORM, tls=tls)[0] == 200
