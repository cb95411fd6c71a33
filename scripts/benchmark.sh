#!/usr/bin/env bash
# The benchmark: seeds the data set when it is missing (tests/Portal.Benchmarks/data/, not committed), starts the
# Release build in Production mode on a loopback port, drives every scenario with wrk (installed when missing) and
# writes tests/Portal.Benchmarks/results/<full|short>.json and .md. Pass --short for a small data set and 3 s a scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project tests/Portal.Benchmarks -- "$@"
