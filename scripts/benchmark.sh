#!/usr/bin/env bash
# The benchmark: seeds the data set when it is missing (tests/Portal.Benchmarks/data/, not committed), starts the
# Release build in Production mode on a loopback port, drives every scenario with wrk (installed when missing) and
# writes tests/Portal.Benchmarks/results/<full|short>.json and .md. Pass --short for a small data set and 3 s a scenario.
# `writes` runs the write scenarios instead (registrations, orders, ticket replies) on SQLite and on PostgreSQL with one
# and two instances, into results/writes[-short].md: for PostgreSQL it uses the server in PORTAL_BENCH_POSTGRES, or
# starts a throw-away PostgreSQL of its own on a loopback port (stopped when the script ends), as scripts/test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# `run` (the default) measures the read scenarios on PostgreSQL too, with one and two instances, against the same data
# set seeded into the server (databases portal_bench_<scale> and portal_bench_<scale>_small, reused while their seed is
# current): with a throw-away server that seed is written again on every run, so name a server that stays to keep it.
case "${1:-run}" in writes | run | --*) wants_postgres=1 ;; *) wants_postgres= ;; esac
if [ -n "$wants_postgres" ] && [ -z "${PORTAL_BENCH_POSTGRES:-}" ]; then
  pg_bin() {
    if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
  }
  PG_BIN="$(pg_bin)"
  if [ -n "$PG_BIN" ]; then
    as_pg() {
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
    }
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/portal-bench-postgres.XXXXXX")"
    stop_postgres() {
      if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m fast >/dev/null 2>&1 || true
      fi
      rm -rf "$PG_DIR"
    }
    trap stop_postgres EXIT
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1
    port=$((20000 + RANDOM % 40000))
    # A server as an operator would run it (fsync on), sized for two instances' connection pools.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
    export PORTAL_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away, fsync on)"
  else
    echo "No PostgreSQL found (apt-get install postgresql-15): the scenarios run on SQLite only."
  fi
fi

dotnet run -c Release --project tests/Portal.Benchmarks -- "$@"
