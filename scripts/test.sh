#!/usr/bin/env bash
# Runs every test of the solution: slice, page, job and security tests, and the browser journeys.
# Installs what the tests need on a fresh machine (Debian's Chromium for the browser journeys).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -d tests/Portal.Browser ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser journeys..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# The IMAP job's test runs a real IMAP server: Debian's Dovecot, started by the test itself (never as a system service).
if [ ! -x /usr/sbin/dovecot ]; then
  echo "Installing Debian's dovecot-imapd for the IMAP job's test..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dovecot-imapd >/dev/null
fi

rm -rf TestResults
dotnet test Portal.sln --configuration Release --logger "trx" --results-directory TestResults "$@"
