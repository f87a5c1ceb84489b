#!/usr/bin/env bash
# Run the whole test suite twice: on SQLite, then on a throw-away PostgreSQL server.
#
#   scripts/test.sh [PYTEST ARGS...]        (normally via `make test`, which builds .venv first)
#
# Exit status is non-zero if either run fails; "no tests collected" (pytest exit 5) is a
# failure. Under CI (CI=true) the PostgreSQL run is mandatory: if the server cannot be
# installed or started, that is a failure. Elsewhere it is reported plainly and the result is
# the SQLite run's.
#
# The browser (e2e) tests drive Debian's Chromium: scripts/ensure-chromium.sh installs it (and a
# font for Chinese) once, before the runs. Without a browser they are skipped with the reason;
# under CI a missing browser is a failure.
#
# Output is kept under ./test-output/: <run>/pytest.log, <run>/junit.xml, <run>/screenshots/
# (the browser tests' screenshots), postgres/server.log.
# Set XINFANG_TEST_ONLY=sqlite or XINFANG_TEST_ONLY=postgres to run one database only.

set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
# XINFANG_TEST_OUT puts this run's output elsewhere (parallel runs must not share a directory).
OUT=$(realpath -m "${XINFANG_TEST_OUT:-$ROOT/test-output}")
PYTEST="$ROOT/.venv/bin/pytest"

if [[ ! -x "$PYTEST" ]]; then
    echo "test.sh: $PYTEST not found; run 'make venv' (or 'make test') first." >&2
    exit 2
fi

case "${CI:-}" in
    "" | 0 | false | False | FALSE | no) IN_CI=0 ;;
    *) IN_CI=1 ;;
esac

ONLY=${XINFANG_TEST_ONLY:-}
case "$ONLY" in "" | sqlite | postgres) ;; *)
    echo "test.sh: XINFANG_TEST_ONLY must be sqlite or postgres, not '$ONLY'" >&2
    exit 2
    ;;
esac

# Development keys; the tests never need real ones.
export XINFANG_DEV=1
# Tests must not write into the developer's ./var (uploads, sqlite files): each run gets its own
# data dir under test-output/, and media follows it.
unset XINFANG_MEDIA_ROOT

COLOR=()
[[ -t 1 ]] && COLOR=(--color=yes)

header() {
    local line
    line=$(printf '=%.0s' {1..78})
    printf '\n%s\n== %s\n%s\n' "$line" "$*" "$line"
}

describe() { # describe EXIT_CODE -> words
    case "$1" in
        0) echo "passed" ;;
        1) echo "FAILED (some tests failed)" ;;
        2) echo "FAILED (interrupted)" ;;
        3) echo "FAILED (internal pytest error)" ;;
        4) echo "FAILED (pytest usage error)" ;;
        5) echo "FAILED (no tests were collected)" ;;
        *) echo "FAILED (exit code $1)" ;;
    esac
}

# run_pytest NAME [WRAPPER...] -- PYTEST_ARGS...
run_pytest() {
    local name=$1
    shift
    local wrapper=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do
        wrapper+=("$1")
        shift
    done
    shift # the --
    local dir="$OUT/$name"
    rm -rf "$dir"
    mkdir -p "$dir/var"
    XINFANG_DATA_DIR="$dir/var" XINFANG_TEST_SQLITE_NAME="$dir/var/test.sqlite3" "${wrapper[@]}" "$PYTEST" "${COLOR[@]}" \
        --junitxml="$dir/junit.xml" -o junit_suite_name="xinfang-$name" "$@" 2>&1 |
        tee "$dir/pytest.log"
    return "${PIPESTATUS[0]}"
}

mkdir -p "$OUT"
START=$SECONDS

# --- 0. static checks (lint, format, types, migrations) --------------------------------------------
# Skipped when pytest arguments narrow the run (make test ARGS=...): that is a developer's loop.
STATIC_RC=skipped
if [[ $# -eq 0 && -z "$ONLY" ]]; then
    header "Static checks: ruff, mypy, missing migrations"
    STATIC_RC=0
    "$ROOT/.venv/bin/ruff" check src tests benchmarks scripts || STATIC_RC=1
    "$ROOT/.venv/bin/ruff" format --check src tests benchmarks scripts || STATIC_RC=1
    "$ROOT/.venv/bin/mypy" || STATIC_RC=1
    XINFANG_DATA_DIR="$OUT/static/var" "$ROOT/.venv/bin/xinfang" makemigrations --check --dry-run \
        >/dev/null || { echo "test.sh: models changed without a migration" >&2; STATIC_RC=1; }
fi

# --- browser for the e2e tests (both runs) ---------------------------------------------------------
header "Browser for the e2e tests (scripts/ensure-chromium.sh)"
BROWSER_STATUS_FILE="$OUT/chromium-status"
rm -f "$BROWSER_STATUS_FILE"
BROWSER_PROBLEM=""
unset XINFANG_CHROMIUM_PROBLEM
if BROWSER=$(XINFANG_CHROMIUM_STATUS_FILE="$BROWSER_STATUS_FILE" \
    bash "$ROOT/scripts/ensure-chromium.sh"); then
    export XINFANG_CHROMIUM="$BROWSER"
else
    BROWSER_PROBLEM=$(cat "$BROWSER_STATUS_FILE" 2>/dev/null || echo "scripts/ensure-chromium.sh failed")
    BROWSER_PROBLEM=${BROWSER_PROBLEM#failed: }
    # tests/e2e/conftest.py puts it in the skip reason (or, under CI, the failure).
    export XINFANG_CHROMIUM_PROBLEM="$BROWSER_PROBLEM"
fi

# --- 1. SQLite ------------------------------------------------------------------------------------
SQLITE_RC=skipped
if [[ "$ONLY" != postgres ]]; then
    header "Run 1/2: SQLite (pytest $*)"
    run_pytest sqlite env -u DATABASE_URL -- "$@"
    SQLITE_RC=$?
    [[ $SQLITE_RC -eq 5 ]] && echo "test.sh: pytest collected no tests: counting that as a failure." >&2
fi

# --- 2. PostgreSQL ---------------------------------------------------------------------------------
PG_RC=skipped
PG_PROBLEM=""
if [[ "$ONLY" != sqlite ]]; then
    header "Run 2/2: PostgreSQL (pytest $*)"
    STATUS_FILE="$OUT/postgres-status"
    rm -f "$STATUS_FILE"
    XINFANG_PG_STATUS_FILE="$STATUS_FILE" XINFANG_PG_LOG="$OUT/postgres/server.log" \
        run_pytest postgres "$ROOT/scripts/with-postgres.sh" -- "$@"
    PG_RC=$?
    PG_STATUS=$(cat "$STATUS_FILE" 2>/dev/null || echo "failed: scripts/with-postgres.sh gave no status")
    if [[ "$PG_STATUS" != started* ]]; then
        PG_PROBLEM=${PG_STATUS#failed: }
        [[ "$PG_PROBLEM" == "not started" ]] && PG_PROBLEM="scripts/with-postgres.sh exited ($PG_RC) before the server was ready"
    fi
    [[ -z "$PG_PROBLEM" && $PG_RC -eq 5 ]] && echo "test.sh: pytest collected no tests: counting that as a failure." >&2
fi

# --- summary ---------------------------------------------------------------------------------------
header "Summary ($((SECONDS - START))s; logs, junit xml and screenshots in test-output/)"
RC=0
if [[ -z "$BROWSER_PROBLEM" ]]; then
    echo "Browser:    $BROWSER"
elif [[ $IN_CI -eq 1 ]]; then
    echo "Browser:    NONE: $BROWSER_PROBLEM"
    echo "test.sh: the browser tests are mandatory here (CI=${CI:-}); failing." >&2
    RC=1
else
    echo "Browser:    none, the e2e tests were skipped: $BROWSER_PROBLEM"
fi
if [[ $STATIC_RC == skipped ]]; then
    echo "Static:     not run (pytest arguments given)"
else
    echo "Static:     $([[ $STATIC_RC -eq 0 ]] && echo passed || echo FAILED)"
    [[ $STATIC_RC -eq 0 ]] || RC=1
fi
if [[ $SQLITE_RC == skipped ]]; then
    echo "SQLite:     not run (XINFANG_TEST_ONLY=$ONLY)"
else
    echo "SQLite:     $(describe "$SQLITE_RC")"
    [[ $SQLITE_RC -eq 0 ]] || RC=1
fi
if [[ $PG_RC == skipped ]]; then
    echo "PostgreSQL: not run (XINFANG_TEST_ONLY=$ONLY)"
elif [[ -n "$PG_PROBLEM" ]]; then
    echo "PostgreSQL: NOT RUN: the server could not be started: $PG_PROBLEM"
    if [[ $IN_CI -eq 1 || "$ONLY" == postgres ]]; then
        echo "test.sh: the PostgreSQL run is mandatory here (CI=${CI:-}); failing." >&2
        RC=1
    else
        echo
        echo "PostgreSQL could not be started: $PG_PROBLEM; the suite ran on SQLite only."
    fi
else
    echo "PostgreSQL: $(describe "$PG_RC")"
    [[ $PG_RC -eq 0 ]] || RC=1
fi
exit "$RC"
