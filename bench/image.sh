#!/usr/bin/env bash
# Figures for Dockerfile.prod: image size, cold build, build after a code-only change,
# and start-to-healthy of the web role against the local PostgreSQL and Redis.
# Builds a copy of the working tree in a throwaway podman storage (the debootstrap
# base tarball is reused from /var/cache/karat-ci: making it is a one-off per machine).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${KARAT_CI_DIR:-/var/cache/karat-ci}
PG=${KARAT_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
WORK=$(mktemp -d)
export KARAT_CI_DIR=$WORK/ci
export CONTAINERS_CONF=$KARAT_CI_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$KARAT_CI_DIR/storage.conf
DB=karat_bench_$$
NAME=karat-bench-$$
cleanup() {
  podman rm --force --time 5 "$NAME" >/dev/null 2>&1 || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The base tarball: made once per machine by a normal build, then shared.
ls "$CACHE"/debian-py-bookworm-*.tar >/dev/null 2>&1 || KARAT_CI_DIR=$CACHE scripts/build-image
mkdir -p "$KARAT_CI_DIR" "$WORK/tree"
ln -s "$CACHE"/debian-py-bookworm-*.tar "$KARAT_CI_DIR"/
git ls-files --cached --others --exclude-standard -z | tar -cf - --null -T - \
  | tar -C "$WORK/tree" -xf -

seconds() { local start=$SECONDS; "$@" >/dev/null; echo $((SECONDS - start)); }
cold=$(seconds "$WORK/tree/scripts/build-image" localhost/karat:bench)
echo "# code-only change" >> "$WORK/tree/config/urls.py"
warm=$(seconds "$WORK/tree/scripts/build-image" localhost/karat:bench)

size=$(podman image inspect --format '{{.Size}}' localhost/karat:bench)
packed=$(podman save --format docker-archive localhost/karat:bench | gzip -1 | wc -c)

psql "$PG/postgres" -qc "CREATE DATABASE $DB"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env=(--env DJANGO_SECRET_KEY=bench-only-key-bench-only-key-bench-only-key-bench-only
     --env DJANGO_ALLOWED_HOSTS=bench.example.com --env "DATABASE_URL=$PG/$DB"
     --env REDIS_URL=redis://127.0.0.1:6379/9 --env "PORT=$port")
podman run --rm --network host --read-only "${env[@]}" localhost/karat:bench migrate >/dev/null
start=$(date +%s.%N)
podman run --detach --name "$NAME" --network host --read-only --tmpfs /tmp "${env[@]}" \
  localhost/karat:bench >/dev/null 2>&1
until podman healthcheck run "$NAME" >/dev/null 2>&1; do sleep 0.1; done
healthy=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")

printf 'image size            %d MB (%d MB gzipped)\n' $((size / 1000000)) $((packed / 1000000))
printf 'cold build            %d s (base tarball cached)\n' "$cold"
printf 'code-only rebuild     %d s\n' "$warm"
printf 'start to healthy      %s s\n' "$healthy"
