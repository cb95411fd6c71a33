#!/usr/bin/env bash
# The tests of many writers at once (tests/Portal.Tests, collection "Concurrency": ConcurrencyTests and WriteScaleTests)
# beside a CPU burner: stress-ng keeps 16 workers busy on the machine's cores for as long as the tests run, as a busy
# host would, and the writers must still all get through (no 500, no "database is locked", no lost write).
# Installs Debian's stress-ng when it is missing. The database is chosen as for scripts/test.sh: SQLite by default,
# PostgreSQL with PORTAL_TEST_PROVIDER=Postgres and PORTAL_TEST_POSTGRES set. Expects a Release build
# (dotnet build Portal.sln -c Release); extra arguments go to dotnet test (scripts/test.sh passes its TRX logger).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "Installing Debian's stress-ng for the tests beside a CPU burner..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq stress-ng >/dev/null
fi

# The burner ends with this script, whether the tests pass or fail (and on its own after an hour at the latest).
stress-ng --cpu 16 --timeout 3600s --quiet &
burner=$!
stop_burner() {
  kill "$burner" 2>/dev/null || true
  wait "$burner" 2>/dev/null || true
}
trap stop_burner EXIT

# The summary of this run goes to its own file (security-summary-<provider>-stress.txt), beside the whole suite's.
PORTAL_TEST_RUN=stress dotnet test tests/Portal.Tests --configuration Release --no-build \
  --filter "FullyQualifiedName~Portal.Tests.Security.ConcurrencyTests|FullyQualifiedName~Portal.Tests.Security.WriteScaleTests" "$@"
