#!/usr/bin/env bash
# Installs the third-party tools the interop tests drive as real processes: Debian packages
# (mosquitto clients, Python client libraries, Chromium, reference brokers) and the node clients
# pinned by tests/node/package-lock.json. Idempotent: a machine that already has them spends
# almost no time here.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  procps              # ps/kill for the crash tests
  mosquitto-clients   # mosquitto_pub / mosquitto_sub
  python3-paho-mqtt   # paho-mqtt, seen by /usr/bin/python3
  python3-stomp       # stomp.py, seen by /usr/bin/python3
  chromium            # headless browser for the dashboard tests (driven by playwright-core)
)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# MQTT.js, @stomp/stompjs, @microsoft/signalr, ws, playwright-core: exact versions from the lock file.
if [ ! -d tests/node/node_modules ] || [ tests/node/package-lock.json -nt tests/node/node_modules ]; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi
