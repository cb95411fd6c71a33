#!/usr/bin/env bash
# Runs every test of the solution: the unit tests once; the slice, page, job and security tests (tests/Portal.Tests)
# on SQLite and on PostgreSQL, the two runs side by side; with PORTAL_STRESS=1, the tests of many writers at once again on
# each, beside a CPU burner (scripts/stress-tests.sh); the browser journeys once, on SQLite.
# Installs what the tests need on a fresh machine (Debian's Chromium for the browser journeys, Dovecot for the IMAP
# job's test, PostgreSQL 15), and
# starts a PostgreSQL server of its own in a temporary folder on a loopback port, stopped when the script ends,
# whether the tests pass or fail. Extra arguments go to every `dotnet test` (e.g. --filter "FullyQualifiedName~Jobs").
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The security summary is written as the test process exits; vstest kills a test process that takes more than 100 ms
# to exit (its default), which on a busy machine lost a run's summary. Thirty seconds is ample.
export VSTEST_TESTHOST_SHUTDOWN_TIMEOUT=30000

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if [ -d tests/Portal.Browser ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser journeys..."
  apt_install chromium
fi

# The IMAP job's test runs a real IMAP server: Debian's Dovecot, started by the test itself (never as a system service).
if [ ! -x /usr/sbin/dovecot ]; then
  echo "Installing Debian's dovecot-imapd for the IMAP job's test..."
  apt_install dovecot-imapd
fi

pg_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
if [ -z "$(pg_bin)" ]; then
  echo "Installing PostgreSQL 15 for the PostgreSQL run..."
  apt_install postgresql-15
fi
PG_BIN="$(pg_bin)"

# PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/portal-postgres.XXXXXX")"
stop_postgres() {
  # Test runs still going (the script was interrupted) end first: they use the server.
  for run in $(jobs -p); do kill "$run" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap stop_postgres EXIT

if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log"; exit 1; }
PG_PORT=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  # A throw-away server: no fsync, so that the many small transactions of the tests cost no disk flushes.
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
    PG_PORT=$port
    break
  fi
done
if [ -z "$PG_PORT" ]; then
  echo "PostgreSQL did not start:"; cat "$PG_DIR/server.log"; exit 1
fi
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

rm -rf TestResults
dotnet build Portal.sln --configuration Release

status=0
run_tests() { # name project [environment...]
  local name=$1 project=$2 result=0
  shift 2
  local started=$SECONDS
  env "$@" dotnet test "$project" --configuration Release --no-build --logger "trx;LogFileName=$name.trx" \
    --results-directory TestResults "${TEST_ARGS[@]}" || result=1
  echo "$name: $((SECONDS - started)) s"
  return $result
}
TEST_ARGS=("$@")
mkdir -p TestResults

run_tests unit tests/Portal.UnitTests || status=1

# tests/Portal.Tests runs its test collections side by side, each on an app and a database of its own (see
# tests/Portal.Tests/Infrastructure/Collections.cs); the SQLite and the PostgreSQL runs go side by side too, each into its
# own log, printed when both have ended.
# PORTAL_TEST_FULL_RUN says the run is the whole suite, so that its last check (WriteLockTests) may ask that every
# transactional command met a database fault; a run given a --filter is not.
full_run=1
for arg in "$@"; do
  case "$arg" in --filter*) full_run=0 ;; esac
done
POSTGRES="PORTAL_TEST_POSTGRES=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
echo "tests/Portal.Tests on SQLite and on PostgreSQL at once (TestResults/portal-*.log)..."
run_tests portal-sqlite tests/Portal.Tests PORTAL_TEST_PROVIDER=Sqlite PORTAL_TEST_FULL_RUN=$full_run >TestResults/portal-sqlite.log 2>&1 &
sqlite_run=$!
run_tests portal-postgres tests/Portal.Tests PORTAL_TEST_PROVIDER=Postgres PORTAL_TEST_FULL_RUN=$full_run "$POSTGRES" >TestResults/portal-postgres.log 2>&1 &
postgres_run=$!
wait $sqlite_run || status=1
wait $postgres_run || status=1
cat TestResults/portal-sqlite.log TestResults/portal-postgres.log

# The tests of many writers at once again, beside a CPU burner (scripts/stress-tests.sh), on each database in turn:
# only when asked (PORTAL_STRESS=1), since on a 2-core machine they take several minutes more and do not all pass yet.
if [ "$full_run" -eq 1 ] && [ "${PORTAL_STRESS:-0}" = "1" ]; then
  for provider in Sqlite Postgres; do
    name="stress-$(echo "$provider" | tr '[:upper:]' '[:lower:]')"
    started=$SECONDS
    env PORTAL_TEST_PROVIDER=$provider "$POSTGRES" bash scripts/stress-tests.sh \
      --logger "trx;LogFileName=$name.trx" --results-directory TestResults >"TestResults/$name.log" 2>&1 || status=1
    cat "TestResults/$name.log"
    echo "$name: $((SECONDS - started)) s"
  done
fi

if [ -d tests/Portal.Browser ]; then
  run_tests browser tests/Portal.Browser PORTAL_TEST_PROVIDER=Sqlite || status=1
fi
exit $status
