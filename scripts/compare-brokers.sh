#!/usr/bin/env bash
# Side-by-side load comparison: EdgeBroker, Debian's mosquitto and Debian's rabbitmq-server (MQTT + STOMP
# plugins), all on 127.0.0.1 on free ports with their own config and data under one temp directory, driven by
# the same load tool (src/EdgeBroker.Bench). Every scenario runs against the three brokers alternately, ROUNDS
# times; the script prints one markdown table of medians and ratios. It stops only the processes it started.
#
#   bash scripts/compare-brokers.sh [--duration S] [--warmup S] [--rounds N] [--idle N] [--keep]
#
# Needs root for apt-get (only when mosquitto or rabbitmq-server is missing) and the .NET 10 SDK.
set -euo pipefail

DURATION=5
WARMUP=1
ROUNDS=3
IDLE=10000
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/eb-compare.XXXXXX)"
RESULTS="$WORK/results.jsonl"
PY=/usr/bin/python3
log() { echo "[compare $(date -u +%H:%M:%S)] $*" >&2; }

# --- install (Debian packages; services are not started by the package scripts where policy-rc.d says so) ---
if ! command -v mosquitto >/dev/null || [[ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
  log "installing mosquitto and rabbitmq-server with apt-get"
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto rabbitmq-server >/dev/null
  [[ $created_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d
fi

log "building EdgeBroker and the load tool (Release)"
dotnet build "$ROOT/src/EdgeBroker.Server" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/src/EdgeBroker.Bench" -c Release -v q -nologo >/dev/null
BENCH="$ROOT/src/EdgeBroker.Bench/bin/Release/net10.0/edgebroker-bench"
SERVER_DLL="$ROOT/src/EdgeBroker.Server/bin/Release/net10.0/EdgeBroker.Server.dll"

# Many idle connections need file descriptors on both sides (children inherit this limit).
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # host port seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

MOSQ_PID=""; EB_PID=""; RABBIT_STARTED=0
declare -A MQTT_PORT STOMP_PORT PID
RABBIT_ENV=()

cleanup() {
  set +e
  [[ -n "$MOSQ_PID" ]] && kill "$MOSQ_PID" 2>/dev/null && wait "$MOSQ_PID" 2>/dev/null
  [[ -n "$EB_PID" ]] && kill "$EB_PID" 2>/dev/null && wait "$EB_PID" 2>/dev/null
  if [[ $RABBIT_STARTED == 1 ]]; then
    env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" stop >/dev/null 2>&1
    env "${RABBIT_ENV[@]}" epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1
  fi
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

# --- mosquitto ---
MQTT_PORT[mosquitto]=$(free_port)
mkdir -p "$WORK/mosquitto"
chmod 0777 "$WORK/mosquitto" # mosquitto started as root drops to the mosquitto user before opening its log
cat > "$WORK/mosquitto/mosquitto.conf" <<CONF
listener ${MQTT_PORT[mosquitto]} 127.0.0.1
allow_anonymous true
persistence false
log_dest file $WORK/mosquitto/mosquitto.log
log_type error
log_type warning
max_connections -1
CONF
mosquitto -c "$WORK/mosquitto/mosquitto.conf" &
MOSQ_PID=$!
PID[mosquitto]=$MOSQ_PID
wait_port 127.0.0.1 "${MQTT_PORT[mosquitto]}" 20 || { log "mosquitto did not start"; exit 1; }
log "mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') pid $MOSQ_PID on ${MQTT_PORT[mosquitto]}"

# --- rabbitmq (own node name, epmd port, distribution port, mnesia and log dirs, cookie) ---
R="$WORK/rabbitmq"
mkdir -p "$R/mnesia" "$R/log" "$R/plugins-expand"
MQTT_PORT[rabbitmq]=$(free_port); STOMP_PORT[rabbitmq]=$(free_port)
AMQP_PORT=$(free_port); DIST_PORT=$(free_port); EPMD_PORT=$(free_port)
RABBIT_NODE="ebcompare$$@localhost"
cat > "$R/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
mqtt.listeners.tcp.default = 127.0.0.1:${MQTT_PORT[rabbitmq]}
stomp.listeners.tcp.1 = 127.0.0.1:${STOMP_PORT[rabbitmq]}
mqtt.allow_anonymous = true
log.file.level = warning
log.console = false
CONF
echo '[rabbitmq_mqtt,rabbitmq_stomp].' > "$R/enabled_plugins"
RABBIT_ENV=(HOME="$R" RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT"
  RABBITMQ_DIST_PORT="$DIST_PORT" ERL_EPMD_PORT="$EPMD_PORT" RABBITMQ_MNESIA_BASE="$R/mnesia" RABBITMQ_LOG_BASE="$R/log"
  RABBITMQ_CONFIG_FILE="$R/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$R/enabled_plugins"
  RABBITMQ_PLUGINS_EXPAND_DIR="$R/plugins-expand" RABBITMQ_PID_FILE="$R/rabbitmq.pid"
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+sbwt none +sbwtdcpu none +sbwtdio none")
env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server > "$R/stdout.log" 2>&1 &
RABBIT_STARTED=1
env "${RABBIT_ENV[@]}" timeout 120 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" wait "$R/rabbitmq.pid" --timeout 120 >/dev/null 2>&1 \
  || { log "rabbitmq did not start"; tail -30 "$R/stdout.log" >&2; exit 1; }
wait_port 127.0.0.1 "${STOMP_PORT[rabbitmq]}" 60 || { log "rabbitmq STOMP not listening"; exit 1; }
PID[rabbitmq]=$(cat "$R/rabbitmq.pid")
log "rabbitmq $(dpkg-query -W -f '${Version}' rabbitmq-server) beam pid ${PID[rabbitmq]} mqtt ${MQTT_PORT[rabbitmq]} stomp ${STOMP_PORT[rabbitmq]}"

# --- EdgeBroker (Release, own data dir, a stream capturing benchstream/# for the stream scenario) ---
MQTT_PORT[edgebroker]=$(free_port); STOMP_PORT[edgebroker]=$(free_port); EB_HTTP=$(free_port)
mkdir -p "$WORK/edgebroker"
dotnet "$SERVER_DLL" --EdgeBroker:DataDirectory="$WORK/edgebroker/data" --EdgeBroker:Http:Port="$EB_HTTP" \
  --EdgeBroker:Mqtt:Port="${MQTT_PORT[edgebroker]}" --EdgeBroker:Stomp:Port="${STOMP_PORT[edgebroker]}" \
  --EdgeBroker:Streams:benchstream:Filters:0='benchstream/#' --Logging:LogLevel:Default=Warning \
  > "$WORK/edgebroker/broker.log" 2>&1 &
EB_PID=$!
PID[edgebroker]=$EB_PID
wait_port 127.0.0.1 "${STOMP_PORT[edgebroker]}" 60 || { log "EdgeBroker did not start"; tail -30 "$WORK/edgebroker/broker.log" >&2; exit 1; }
log "edgebroker pid $EB_PID mqtt ${MQTT_PORT[edgebroker]} stomp ${STOMP_PORT[edgebroker]}"

# --- scenarios: name | brokers | tool arguments ---
SCENARIOS=(
  "mqtt-qos0-pairs|edgebroker mosquitto rabbitmq|-s pairs -c 4 -q 0"
  "mqtt-qos1-pairs|edgebroker mosquitto rabbitmq|-s pairs -c 4 -q 1"
  "mqtt-fan-out-1-50|edgebroker mosquitto rabbitmq|-s fan-out --publishers 1 --subscribers 50 -q 0"
  "mqtt-fan-in-50-1|edgebroker mosquitto rabbitmq|-s fan-in --publishers 50 --subscribers 1 -q 0 --inflight 16"
  "mqtt-latency-5k|edgebroker mosquitto rabbitmq|-s pairs -c 1 -q 0 --rate 5000"
  "stomp-pairs|edgebroker rabbitmq|-s pairs -c 4 -p stomp"
  "mqtt-to-stomp|edgebroker rabbitmq|-s pairs -c 4 --pub mqtt3 --sub stomp"
  "queue-durable|edgebroker rabbitmq|-s queue --publishers 4 --subscribers 4 --inflight 64 --prefetch 100"
  "stream-append|edgebroker|-s stream --publishers 8 -q 1 --topic-prefix benchstream"
)

run_tool() { # broker name args...
  local broker="$1" name="$2"; shift 2
  local extra=(--mqtt-port "${MQTT_PORT[$broker]}" --broker-pid "${PID[$broker]}" --no-progress)
  [[ -n "${STOMP_PORT[$broker]:-}" ]] && extra+=(--stomp-port "${STOMP_PORT[$broker]}")
  [[ $broker == rabbitmq ]] && extra+=(-u guest -P guest --topic-style dotted)
  local line
  line=$("$BENCH" "$@" "${extra[@]}" 2>>"$WORK/tool.log") || true
  if [[ -z "$line" ]]; then line='{"errors":["the tool printed nothing; see tool.log"]}'; fi
  echo "{\"broker\":\"$broker\",\"name\":\"$name\",\"round\":$round,\"result\":$line}" >> "$RESULTS"
  log "$broker $name: $(echo "$line" | "$PY" -c 'import json,sys; r=json.load(sys.stdin); print(r.get("msgsPerSecIn"), "in/s", r.get("msgsPerSecAcked"), "acked/s", "p50", r.get("latencyUs",{}).get("p50"), "lost", r.get("lost"), "dup", r.get("duplicated"), "KB/conn", round((r.get("bytesPerConnection") or 0)/1024,2), r.get("errors"))')"
}

START=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name brokers args <<< "$entry"
    for broker in $brokers; do
      # shellcheck disable=SC2086
      run_tool "$broker" "$name" $args -d "$DURATION" --warmup "$WARMUP"
    done
  done
  for broker in edgebroker mosquitto rabbitmq; do
    run_tool "$broker" "idle-mqtt-$IDLE" -s idle -c "$IDLE" -d 3 --source-addresses 4
  done
done
log "done in $(( $(date +%s) - START )) s; results in $RESULTS"

"$PY" - "$RESULTS" "$ROUNDS" "$DURATION" <<'PY'
import json, statistics, sys
path, rounds, duration = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(path)]
by = {}
for r in rows:
    by.setdefault((r["name"], r["broker"]), []).append(r["result"])
names = list(dict.fromkeys(r["name"] for r in rows))

def metric(name):
    if name.startswith("idle"): return ("KB per idle connection", lambda r: (r.get("bytesPerConnection") or 0) / 1024, False)
    if name.startswith("stream"): return ("acked appends/s", lambda r: r.get("msgsPerSecAcked", 0), True)
    if name.endswith("latency-5k"): return None
    return ("deliveries/s", lambda r: r.get("msgsPerSecIn", 0), True)

def med(vals): return statistics.median(vals) if vals else None
def fmt(v, unit=""):
    if v is None: return "n/a"
    return f"{v:,.0f}{unit}" if v >= 100 else f"{v:,.2f}{unit}"
def ratio(a, b, higher_better):
    if a is None or b is None or a == 0 or b == 0: return "n/a"
    return f"{(a / b if higher_better else b / a):.2f}×"

print(f"| scenario | metric | EdgeBroker | Mosquitto | RabbitMQ | EB vs Mosquitto | EB vs RabbitMQ | EB broker CPU | lost / dup (EB, Mosq, Rabbit) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for name in names:
    def results(b): return by.get((name, b), [])
    def loss(b):
        rs = results(b)
        if not rs: return "–"
        return f"{sum(r.get('lost', 0) for r in rs)}/{sum(r.get('duplicated', 0) for r in rs)}"
    cpu = med([r["brokerCpu"] for r in results("edgebroker") if r.get("brokerCpu") is not None])
    cpu_text = "n/a" if cpu is None else f"{cpu:.2f}"
    losses = ", ".join(loss(b) for b in ("edgebroker", "mosquitto", "rabbitmq"))
    m = metric(name)
    if m is None:
        for label, key in (("p50 latency µs", "p50"), ("p99 latency µs", "p99")):
            vals = {b: med([r["latencyUs"][key] for r in results(b) if "latencyUs" in r]) for b in ("edgebroker", "mosquitto", "rabbitmq")}
            print(f"| {name} | {label} (lower is better) | {fmt(vals['edgebroker'])} | {fmt(vals['mosquitto'])} | {fmt(vals['rabbitmq'])} | {ratio(vals['edgebroker'], vals['mosquitto'], False)} | {ratio(vals['edgebroker'], vals['rabbitmq'], False)} | {cpu_text} | {losses} |")
        continue
    label, f, higher = m
    vals = {b: med([f(r) for r in results(b) if not r.get("errors")] or [f(r) for r in results(b)]) if results(b) else None for b in ("edgebroker", "mosquitto", "rabbitmq")}
    suffix = "" if higher else " (lower is better)"
    print(f"| {name} | {label}{suffix} | {fmt(vals['edgebroker'])} | {fmt(vals['mosquitto'])} | {fmt(vals['rabbitmq'])} | {ratio(vals['edgebroker'], vals['mosquitto'], higher)} | {ratio(vals['edgebroker'], vals['rabbitmq'], higher)} | {cpu_text} | {losses} |")
print()
print(f"Medians of {rounds} rounds, {duration} s measured per run; ratios > 1× mean EdgeBroker is better (throughput: EB/other; latency and memory: other/EB).")
errs = [(r["broker"], r["name"], e) for r in rows for e in r["result"].get("errors", [])]
if errs:
    print()
    print("Errors reported by the tool:")
    for b, n, e in errs[:20]:
        print(f"- {b} {n}: {e}")
PY
