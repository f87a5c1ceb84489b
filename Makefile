# Xinfang developer tasks.  `make help` lists them.
#
#   make venv        create .venv and install the project editable with the dev extra
#   make run         migrate, load demo data, serve on http://127.0.0.1:8000 (dev keys)
#   make test        whole suite on SQLite, then on a throw-away PostgreSQL (scripts/test.sh)
#                    pass pytest args with ARGS, e.g.  make test ARGS="tests/deadlines -x"
#   make lint        ruff check + ruff format --check
#   make typecheck   mypy
#   make bench       benchmarks/seed_and_measure.py (SQLite; ARGS="--matters 100000";
#                    on PostgreSQL: scripts/with-postgres.sh make bench)
#   make clean       remove .venv, caches and test output (keeps ./var, your dev database)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
LINT_PATHS := src tests benchmarks

.DEFAULT_GOAL := help
.PHONY: help venv run test lint typecheck bench clean

help:
	@sed -n '3,13s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# Rebuilt when pyproject.toml changes.  A venv left half-made (e.g. python3-venv missing, so no
# pip) is thrown away and recreated.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/pip ]; then rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip install -e '.[dev]'
	@touch $@

venv: $(STAMP)

run: export XINFANG_DEV = 1
run: export XINFANG_DEBUG = 1
run: venv
	@mkdir -p "$${XINFANG_DATA_DIR:-var}"
	$(BIN)/xinfang migrate --noinput
	$(BIN)/xinfang demo
	$(BIN)/xinfang runserver 127.0.0.1:8000

test: venv
	scripts/test.sh $(ARGS)

lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

# The django-stubs plugin imports the settings, which need keys: use the development ones.
typecheck: export XINFANG_DEV = 1
typecheck: venv
	$(BIN)/mypy

bench: export XINFANG_DEV = 1
bench: venv
	$(BIN)/python benchmarks/seed_and_measure.py $${DATABASE_URL:+--database-url "$$DATABASE_URL"} $(ARGS)

clean:
	rm -rf $(VENV) test-output build .pytest_cache .mypy_cache .ruff_cache src/*.egg-info
	find src tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true
