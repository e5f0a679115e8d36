# Karat: the two commands are `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Marks that the virtualenv holds exactly what requirements/dev.txt pins.
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint format check services debian-packages tools image bench \
	bench-image bench-storefront bench-sale lock clean

help:
	@echo "make run     install, migrate, seed the demo shops and serve on http://127.0.0.1:$(PORT)"
	@echo "make test    install what the tests need, start PostgreSQL/Redis if down, run the suite"
	@echo "make lint    ruff check + format check"
	@echo "make format  ruff format + autofix"
	@echo "make check   Django deploy checks and makemigrations --check"
	@echo "make lock    re-pin requirements/*.txt from requirements/*.in"
	@echo "make image   build Dockerfile.prod with buildah (scripts/build-image)"
	@echo "make bench   every benchmark below"
	@echo "make bench-image       image size, cold/warm build time, start-to-healthy"
	@echo "make bench-storefront  storefront req/s and latency, cold and warm, vs nginx static"
	@echo "make bench-sale        time to complete a 3-line sale, service and HTTP"

$(INSTALLED): requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

services:
	scripts/ensure-services

# The deployment tests (tests/deploy) run buildah, podman, nginx and promtool for real.
debian-packages:
	scripts/ensure-debian-packages

tools:
	scripts/ensure-tools

test: $(INSTALLED) services debian-packages tools
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(INSTALLED)
	$(BIN)/python manage.py makemigrations --check --dry-run
	set -a && . ./.env.prod.example && set +a && \
		$(BIN)/python manage.py check --deploy --fail-level WARNING \
		--settings=config.settings.production

image: debian-packages
	scripts/build-image $(IMAGE)

bench: bench-image bench-storefront bench-sale

bench-image: debian-packages
	bench/image.sh

# A fresh database and a 10,000-piece shop each run (KARAT_BENCH_PIECES to change).
bench-storefront: $(INSTALLED) services debian-packages
	KARAT_BENCH_PYTHON=$(BIN)/python bench/storefront.sh

# A fresh database each run, dropped at the end (KARAT_BENCH_SALES to change).
bench-sale: $(INSTALLED) services
	$(BIN)/python bench/sale.py

lock: $(INSTALLED)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		-o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		-o requirements/dev.txt requirements/dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
