#!/usr/bin/env bash
# Installs the third-party tools the interop tests drive as real processes. Idempotent: a machine
# that already has them spends no time here.
set -euo pipefail
packages=(procps)   # Debian packages the tests use; the adapters' issues add theirs here.
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
