#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, runs all test projects.
# This is the command README.md gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh

dotnet build EdgeBroker.sln -c Release -warnaserror --nologo -v quiet
dotnet test EdgeBroker.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --results-directory artifacts/test-results \
  -- RunConfiguration.TestSessionTimeout=2400000
