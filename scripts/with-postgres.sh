#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Installs PostgreSQL (Debian: apt-get install postgresql) when no server binaries are found,
# initdb's a fresh cluster in a temp directory, starts it on 127.0.0.1 on a free port (54329 or
# the next free one) with its unix socket inside the temp directory, creates the superuser role
# `xinfang` (password `xinfang`; tests need CREATE DATABASE) and the database `xinfang`, exports
#   DATABASE_URL=postgres://xinfang:xinfang@127.0.0.1:PORT/xinfang
# runs CMD, then stops the server and removes the temp directory (also on Ctrl-C / kill).
# Exits with CMD's exit code.
#
# When the server cannot be installed or started, the reason is printed to stderr, written to
# $XINFANG_PG_STATUS_FILE (if set) and the script exits with 97 without running CMD. On success
# the status file receives "started <port>" before CMD runs.
#
# Knobs (all optional):
#   XINFANG_PG_BINDIR       directory holding initdb/pg_ctl/postgres (default: newest
#                           /usr/lib/postgresql/*/bin, else whatever pg_ctl is on PATH)
#   XINFANG_PG_PORT         first port to try (default 54329)
#   XINFANG_PG_NO_INSTALL=1 never try to install PostgreSQL
#   XINFANG_PG_STATUS_FILE  see above
#   XINFANG_PG_LOG          copy the server log here when the server stops
#   XINFANG_PG_TMPDIR       parent of the temp directory (default /tmp; must be reachable by
#                           the `postgres` user when running as root)

set -euo pipefail

readonly INFRA_FAILURE=97
readonly TMP_PREFIX="xinfang-pg."

log() { printf 'with-postgres: %s\n' "$*" >&2; }

status() {
    if [[ -n "${XINFANG_PG_STATUS_FILE:-}" ]]; then
        mkdir -p "$(dirname "$XINFANG_PG_STATUS_FILE")"
        printf '%s\n' "$*" >"$XINFANG_PG_STATUS_FILE"
    fi
}

fail() {
    log "PostgreSQL could not be started: $*"
    status "failed: $*"
    exit "$INFRA_FAILURE"
}

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

status "not started"

# --- who runs the server --------------------------------------------------------------------
# PostgreSQL refuses to run as root: as root we run it as the `postgres` system user.
if [[ $EUID -eq 0 ]]; then
    as_pg() {
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c '"$0" "$@"' -- "$@"
        fi
    }
else
    as_pg() { "$@"; }
fi

# Privileged commands for installing packages: directly as root, else via passwordless sudo.
sudo_cmd() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 126
    fi
}

# --- find (or install) the server binaries --------------------------------------------------
find_bindir() {
    local dir
    if [[ -n "${XINFANG_PG_BINDIR:-}" ]]; then
        [[ -x "$XINFANG_PG_BINDIR/initdb" ]] && { echo "$XINFANG_PG_BINDIR"; return 0; }
        return 1
    fi
    # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin (not on PATH); take the newest major.
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        echo "$dir"
        return 0
    fi
    # Elsewhere (Homebrew, Fedora, Nix...): the binaries are on PATH.
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

install_postgres() {
    if [[ "${XINFANG_PG_NO_INSTALL:-0}" == 1 ]]; then
        fail "no PostgreSQL server binaries found and XINFANG_PG_NO_INSTALL=1"
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "no PostgreSQL server binaries found and no apt-get to install them (install PostgreSQL or set XINFANG_PG_BINDIR)"
    fi
    if ! sudo_cmd true 2>/dev/null; then
        fail "no PostgreSQL server binaries found; installing needs root (not root and no passwordless sudo): run 'sudo apt-get install -y postgresql'"
    fi
    log "PostgreSQL server binaries not found; installing with apt-get (postgresql)..."
    local started=$SECONDS
    if ! sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update >&2; then
        fail "apt-get update failed"
    fi
    if ! sudo_cmd env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends postgresql >&2; then
        fail "apt-get install postgresql failed"
    fi
    log "installed PostgreSQL in $((SECONDS - started))s"
}

if ! PG_BINDIR=$(find_bindir); then
    install_postgres
    PG_BINDIR=$(find_bindir) || fail "PostgreSQL was installed but initdb/pg_ctl were not found"
fi
for tool in initdb pg_ctl pg_isready psql; do
    [[ -x "$PG_BINDIR/$tool" ]] || command -v "$tool" >/dev/null 2>&1 ||
        fail "$tool not found in $PG_BINDIR"
done
pg_tool() {
    if [[ -x "$PG_BINDIR/$1" ]]; then echo "$PG_BINDIR/$1"; else command -v "$1"; fi
}
INITDB=$(pg_tool initdb)
PG_CTL=$(pg_tool pg_ctl)
PG_ISREADY=$(pg_tool pg_isready)
PSQL=$(pg_tool psql)

if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    # The Debian package creates it; other installs may not have.
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres ||
        fail "running as root and there is no 'postgres' user to run the server as"
fi

# --- reap servers orphaned by earlier runs that were killed (SIGKILL leaves no trap) -------------
TMP_PARENT=${XINFANG_PG_TMPDIR:-/tmp}
for stale in "$TMP_PARENT/$TMP_PREFIX"*; do
    [[ -f "$stale/owner.pid" ]] || continue
    owner=$(cat "$stale/owner.pid" 2>/dev/null || true)
    [[ "$owner" =~ ^[0-9]+$ ]] || continue
    [[ -d "/proc/$owner" ]] && continue # still in use by a live run
    if [[ -f "$stale/data/postmaster.pid" ]]; then
        log "stopping stale server left by an earlier run in $stale"
        (cd "$stale" && as_pg "$PG_CTL" -D "$stale/data" -m immediate -w -t 10 stop) \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$stale" 2>/dev/null || true
done

# --- fresh cluster in a temp dir --------------------------------------------------------------
T0=$(date +%s.%N)
PGTMP=$(mktemp -d "$TMP_PARENT/${TMP_PREFIX}XXXXXX")
echo $$ >"$PGTMP/owner.pid"
PGDATA_DIR="$PGTMP/data"
PGSOCK="$PGTMP/sock"
PGLOG="$PGTMP/server.log"
mkdir -p "$PGSOCK"
: >"$PGLOG"
if [[ $EUID -eq 0 ]]; then
    chown -R postgres: "$PGTMP"
fi
chmod 700 "$PGTMP"

SERVER_STARTED=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [[ $SERVER_STARTED -eq 1 ]]; then
        (cd "$PGTMP" && as_pg "$PG_CTL" -D "$PGDATA_DIR" -m fast -w -t 20 stop) >/dev/null 2>&1 ||
            (cd "$PGTMP" && as_pg "$PG_CTL" -D "$PGDATA_DIR" -m immediate -w -t 10 stop) \
                >/dev/null 2>&1 || log "warning: could not stop the server in $PGDATA_DIR"
    fi
    if [[ -n "${XINFANG_PG_LOG:-}" && -f "$PGLOG" ]]; then
        mkdir -p "$(dirname "$XINFANG_PG_LOG")" && cp "$PGLOG" "$XINFANG_PG_LOG" || true
    fi
    rm -rf "$PGTMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Run the server tools from inside the temp dir: the postgres user may not be able to read the
# caller's working directory.
in_tmp() { (cd "$PGTMP" && as_pg "$@"); }

if ! in_tmp "$INITDB" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PGTMP/initdb.log" 2>&1; then
    cat "$PGTMP/initdb.log" >&2
    fail "initdb failed (see output above)"
fi

# Throw-away test server: durability off for speed.
cat >>"$PGDATA_DIR/postgresql.conf" <<EOF

# --- xinfang test server (scripts/with-postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGSOCK'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
EOF

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=${XINFANG_PG_PORT:-54329}
LAST_PORT=$((PORT + 100))
while :; do
    while port_in_use "$PORT"; do
        PORT=$((PORT + 1))
        [[ $PORT -le $LAST_PORT ]] || fail "no free port between ${XINFANG_PG_PORT:-54329} and $LAST_PORT"
    done
    SERVER_STARTED=1 # from here on cleanup() must try to stop it
    if in_tmp "$PG_CTL" -D "$PGDATA_DIR" -l "$PGLOG" -o "-p $PORT" -w -t 60 start >/dev/null 2>&1; then
        break
    fi
    SERVER_STARTED=0
    # Another process may have grabbed the port between the check and the bind: try the next.
    if grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' "$PGLOG" &&
        [[ $PORT -lt $LAST_PORT ]]; then
        log "port $PORT taken while starting; trying $((PORT + 1))"
        PORT=$((PORT + 1))
        : >"$PGLOG"
        continue
    fi
    tail -n 30 "$PGLOG" >&2 || true
    fail "the server did not start (server log above)"
done

for _ in $(seq 1 120); do
    if "$PG_ISREADY" -q -h 127.0.0.1 -p "$PORT" -d postgres; then
        break
    fi
    sleep 0.25
done
"$PG_ISREADY" -q -h 127.0.0.1 -p "$PORT" -d postgres || fail "server on port $PORT never became ready"

if ! in_tmp "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PGSOCK" -p "$PORT" -U postgres -d postgres \
    -c "CREATE ROLE xinfang LOGIN SUPERUSER PASSWORD 'xinfang'" \
    -c "CREATE DATABASE xinfang OWNER xinfang" >"$PGTMP/setup.log" 2>&1; then
    cat "$PGTMP/setup.log" >&2
    fail "could not create the xinfang role/database"
fi

T1=$(date +%s.%N)
log "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') ready on 127.0.0.1:$PORT in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }')s (data in $PGDATA_DIR)"
status "started $PORT"

export DATABASE_URL="postgres://xinfang:xinfang@127.0.0.1:$PORT/xinfang"
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=xinfang PGPASSWORD=xinfang PGDATABASE=xinfang

set +e
"$@"
rc=$?
set -e
exit "$rc"
