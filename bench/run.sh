#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load benchmark: Sluice against nginx as a reverse proxy, side by side, on loopback.
#
#   bench/run.sh            quick set: plain / headers policy / JS policy / 1,000 routes, 100 B, 50 connections
#   FULL=1 bench/run.sh     adds 10 KiB responses and 200 connections (about 15 minutes)
#   SCENARIOS=cache-hit bench/run.sh   the cache plugin's hits against nginx proxy_cache hits (issue #17)
#   SCENARIOS="plain vertx-proxy" bench/run.sh   bare Vert.x HttpProxy (benchmarks' VertxHttpProxyMain) in
#                           Sluice's place, as the reference peer issue #14 asks for; its rows' "sluice" columns
#                           are HttpProxy's
#   SCENARIOS="plain netty-proxy" bench/run.sh   the same with a proxy of nothing but Netty's HTTP codecs
#                           (NettyHttpProxyMain): what any JVM proxy on Netty costs at the least
#
# Each proxy under test is pinned to core 0; wrk and the nginx backend share core 1. Rounds alternate
# nginx, Sluice, nginx, Sluice... and the table shows medians. CPU per request is the proxy's user+system time
# (all threads, from /proc) divided by the requests wrk completed. Needs the distribution built
# (mvn -B -q package -DskipTests); installs wrk and nginx from Debian when missing. Loopback only; every
# process it starts is stopped on exit.
#
# "best" is the lowest CPU per request of the rounds: on this kind of machine a closed-loop wrk run settles in
# one of two regimes (for nginx as for Sluice), and a round in the slow one costs about 1.5x the CPU per
# request; the best round is the proxy's own cost, the median what a run happened to see. VERBOSE=1 prints
# every round.
#
# Fixed rate (RATE=10000 bench/run.sh): after the wrk rounds, each proxy also serves RATE requests per second
# from h2load (below both proxies' saturation) for ROUNDS rounds, and the line below the table row gives the
# CPU per request at that equal load: the cost at a production-like load, where fewer requests share a
# wake-up. On this kind of machine it proved no steadier than the saturated rounds, so it is off by default.
set -euo pipefail
cd "$(dirname "$0")/.."

# Allocation (on by default, ALLOC=0 skips it): after the timed rounds, one more Sluice round under JFR gives the
# bytes its event-loop threads allocated per completed request (jdk.ThreadAllocationStatistics at the start and
# end of the recording). Unlike CPU time, this figure does not depend on the regime a JVM run lands in.
#
# METRICS=0 turns the gateway's metrics and analytics off (both are on by default, as in a real deployment): the plain rows
# with and without them give the metrics' cost.
#
# RUNS=N restarts the gateway N times per scenario (a row per JVM start) and prints the distribution of the
# per-run CPU ratio, so that the two-regime question is visible in every measurement.
#
# PAIRED=1 measures a scenario's cost over the plain proxy inside ONE JVM, which is what the plugin targets
# ("<= 1.1x Sluice's plain CPU per request in the same run") ask. The gateway gets a second route, /base/**,
# with no policies, beside the scenario's catch-all; rounds alternate the two paths on the same JVM (ABBA,
# so that a drift within the run cancels), every request carries the scenario's header on both, and the
# line gives the median of the per-pair ratios over ROUNDS pairs and RUNS JVM starts. A JVM's regime
# (docs/benchmarks.md) then moves both sides of a pair; what is left is the policy's cost. No nginx rounds.
# CHURN=N (20 by default, 0 for none): after the warm-up, N one-second wrk runs, each of which ends with its 50
# requests cut off in flight, as every timed round ends. The first time the gateway sees clients vanish
# mid-request, the JIT's compiled hot path meets branches it had never taken: C2 deoptimises it and compiles
# it again, on the proxy's core, in the next timed round (up to 13 us per request; docs/benchmarks.md, "Issue #14,
# session 12"). A gateway in service sees such clients all the time; the churn puts the measured rounds in that
# steady state instead of in the JIT's first encounter with them (nginx has no JIT to warm).
CHURN=${CHURN:-20}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-1}
ALLOC=${ALLOC:-1}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-30}
RATE=${RATE:-0}
[[ "${PROFILE:-}" != 1 || "$RATE" != 0 ]] || RATE=10000 # PROFILE=1 is taken at a fixed rate, PROFILE=saturated under wrk
DIST=${DIST:-distribution/target/sluice}
DIST=$(cd "$DIST" 2>/dev/null && pwd) || { echo "no distribution at $DIST: mvn -B -q package -DskipTests" >&2; exit 1; } # absolute: the config names plugins by it
WORK=$(mktemp -d /tmp/sluice-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers run unprivileged and must read the response files
PIDS=()

cleanup() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  nginx -c "$WORK/backend.conf" -s quit 2>/dev/null || true
  nginx -c "$WORK/proxy.conf" -s quit 2>/dev/null || true
  sleep 0.5
  [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v h2load >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light nghttp2-client >/dev/null
fi
[[ -x "$DIST/bin/sluice" ]] || { echo "build the distribution first: mvn -B -q package -DskipTests" >&2; exit 1; }
[[ $(nproc) -ge 2 ]] || { echo "needs 2 cores (one for the proxy, one for load and backend)" >&2; exit 1; }

BACKEND=18081; NGINX=18082; SLUICE=18083; NGINX_CACHE=18084; CLUSTER_PORT=15701 # peers: 18085-18086, 15702-15703
head -c 100 /dev/zero | tr '\0' 'x' > "$WORK/100b"
head -c 10240 /dev/zero | tr '\0' 'x' > "$WORK/10k"
mkdir -p "$WORK/base" && cp "$WORK/100b" "$WORK/base/100b" && chmod 755 "$WORK/base"
chmod 644 "$WORK/100b" "$WORK/10k" "$WORK/base/100b"

cat > "$WORK/backend.conf" <<CONF
worker_processes 1; daemon on; pid $WORK/backend.pid; error_log $WORK/backend.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000;
  server { listen 127.0.0.1:$BACKEND; root $WORK; location / { try_files \$uri =404; } } }
CONF
cat > "$WORK/proxy.conf" <<CONF
worker_processes 1; daemon on; pid $WORK/proxy.pid; error_log $WORK/proxy.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000;
  upstream be { server 127.0.0.1:$BACKEND; keepalive 256; }
  server { listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  # cache-hit: nginx proxy_cache, hits only after the first request (the same worker, another port)
  proxy_cache_path $WORK/nginx-cache keys_zone=hot:10m;
  server { listen 127.0.0.1:$NGINX_CACHE;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache hot; proxy_cache_valid 200 1h; } } }
CONF
taskset -c 1 nginx -c "$WORK/backend.conf"
taskset -c 0 nginx -c "$WORK/proxy.conf"
sleep 0.5
NGINX_WORKER=$(pgrep -P "$(cat "$WORK/proxy.pid")" | head -1)

sluice_config() { # $1 scenario [$2 proxy port, $3 cluster port: a rate-limit-cluster peer]
  if [[ $1 == rate-limit-cluster ]]; then
    echo "cluster: { backend: hazelcast, name: bench, port: ${3:-$CLUSTER_PORT}, portAutoIncrement: false, members: [127.0.0.1:$CLUSTER_PORT, 127.0.0.1:$((CLUSTER_PORT + 1)), 127.0.0.1:$((CLUSTER_PORT + 2))] }"
  fi
  cat <<CONF
server: { host: 127.0.0.1, port: ${2:-$SLUICE}, eventLoops: 1, maxConnections: 100000 }
admin: { enabled: false }
accessLog: { enabled: false }
metrics: { enabled: $([[ ${METRICS:-1} == 0 ]] && echo false || echo true) }
analytics: { enabled: $([[ ${METRICS:-1} == 0 ]] && echo false || echo true) }
reload: { watch: false }
plugins: { dir: "$DIST/plugins", watch: false }
scripts: { dir: "$DIST/policies", watch: false }
upstreams:
  be: { targets: ["http://127.0.0.1:$BACKEND"] }
routes:
CONF
  if [[ -n "${PAIRED:-}" ]]; then # the same backend file under /base/ (no path rewrite: the plain route as is)
    echo "  - { id: base, path: \"/base/**\", upstream: be }"
  fi
  if [[ $1 == routes1000 ]]; then
    for i in $(seq 1 999); do echo "  - { id: r$i, path: \"/svc$i/{id}/**\", upstream: be }"; done
  fi
  echo "  - { id: all, path: \"/**\", upstream: be, policies: $(scenario_policies "$1") }"
  if [[ $1 == key-auth* ]]; then # 100 consumers, one API key each (SHA-256 digests); requests use the 42nd
    echo "consumers:"
    for i in $(seq 1 100); do
      echo "  - { id: c$i, credentials: { key-auth: [ { key: \"sha256:$(printf %s "bench-key-$i" | sha256sum | cut -d' ' -f1)\" } ] } }"
    done
  fi
}

# jwt: an RSA key pair and one RS256 token (valid for a day), made with openssl for the jwt scenario.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
jwt_setup() {
  [[ -f "$WORK/jwt.key" ]] && return
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt.key" 2>/dev/null
  openssl pkey -in "$WORK/jwt.key" -pubout -out "$WORK/jwt.pub"
  local now; now=$(date +%s)
  local head body
  head=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  body=$(printf '{"iss":"bench","sub":"user-42","aud":"bench-api","iat":%d,"exp":%d}' "$now" $((now + 86400)) | b64url)
  JWT="$head.$body.$(printf %s "$head.$body" | openssl dgst -sha256 -sign "$WORK/jwt.key" -binary | b64url)"
}

# The scenarios, one line each: the policies of the catch-all route every request takes. A scenario whose
# requests need a header (an API key) also gets a line in scenario_header.
scenario_policies() { # $1 scenario
  case $1 in
    plain | routes1000) echo '[]' ;;
    headers) echo '[ { type: headers, config: { request: { set: { X-Request-From: "${client.ip}" } }, response: { set: { X-Route: "${route.id}" } } } } ]' ;;
    script) echo '[ { type: script, config: { file: add-request-headers.js, settings: { headers: { X-Env: bench } } } } ]' ;;
    # Local scope, one limit per client address, high enough never to refuse: the cost of a decision and its headers.
    rate-limit) echo '[ { type: rate-limit, config: { scope: local, by: ip, limit: 1000000000000, window: 1s } } ]' ;;
    # The same limit in cluster scope on a 3-node loopback cluster, the load on one node (the measured one, core
    # 0; its two peers run on core 1 with the load): decisions from leases, a take per batch.
    rate-limit-cluster) echo '[ { type: rate-limit, config: { scope: cluster, by: ip, limit: 1000000000000, window: 1s } } ]' ;;
    # every request after the first is a hit (the static backend sends no Cache-Control: a TTL, as
    # proxy_cache_valid gives nginx); compared with nginx proxy_cache hits
    cache-hit) echo '[ { type: cache, config: { ttl: 1h } } ]' ;;
    key-auth) echo '[ { type: key-auth } ]' ;;
    key-auth-rate-limit) echo '[ { type: key-auth }, { type: rate-limit, config: { scope: local, by: consumer, limit: 1000000000000, window: 1s } } ]' ;;
    # RS256 with an inline public key; the verified-token cache on (the default): a warm cache
    jwt) printf '[ { type: jwt, config: { issuers: [bench], audiences: [bench-api], keys: [ { pem: "%s" } ] } } ]' \
      "$(awk 'BEGIN{ORS="\\n"} {print}' "$WORK/jwt.pub")" ;;
    vertx-proxy|netty-proxy) echo '[]' ;; # not Sluice: a bare peer on Sluice's port (start_sluice, peer_main)
    *) echo "unknown scenario '$1' (plain, headers, script, rate-limit, rate-limit-cluster, routes1000, cache-hit, key-auth, key-auth-rate-limit, jwt, vertx-proxy, netty-proxy)" >&2; exit 2 ;;
  esac
}

scenario_nginx() { # $1 scenario -> the nginx port it is compared with
  case $1 in
    cache-hit) echo "$NGINX_CACHE" ;;
    *) echo "$NGINX" ;;
  esac
}

scenario_header() { # $1 scenario -> a request header for wrk and h2load ("Name: value"), or nothing
  case $1 in
    key-auth*) echo 'X-API-Key: bench-key-42' ;;
    jwt) echo "Authorization: Bearer $JWT" ;;
    *) echo '' ;;
  esac
}

proxy_name() { # $1 scenario -> what runs in Sluice's place
  case $1 in vertx-proxy) echo HttpProxy ;; netty-proxy) echo Netty ;; *) echo Sluice ;; esac
}

peer_main() { # $1 scenario -> the benchmarks module's class that runs in Sluice's place, or nothing for Sluice
  case $1 in
    vertx-proxy) echo VertxHttpProxyMain ;; # bare Vert.x HttpProxy
    netty-proxy) echo NettyHttpProxyMain ;; # nothing but Netty's HTTP codecs: the floor of a JVM proxy
    *) echo '' ;;
  esac
}

# vertx-proxy, netty-proxy: the benchmarks module's classes and class path (written once), then the JVM options bin/sluice
# gives the gateway (keep in step with it), without the GraalJS module path (no JS here), on the java bin/sluice
# picks. Runs in the background subshell that start_sluice starts; peer_classpath first, in the foreground.
PEER_CP=benchmarks/target/bench.classpath
peer_classpath() {
  [[ -f benchmarks/target/classes/io/sluice/gateway/benchmarks/$1.class ]] ||
    { echo "build the benchmarks module first: mvn -B -q install -DskipTests" >&2; exit 1; }
  [[ -f "$PEER_CP" ]] || mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$PEER_CP" >&2
}
start_peer() { # $1 the peer's main class
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" feature
  [[ -n "${JAVA_HOME:-}" || ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] || java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}')"
  feature="${feature%%.*}"
  local opts=(-XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Xms32m -Xmx256m -XX:ReservedCodeCacheSize=96m
    -XX:MaxNewSize=24m -Dlogback.configurationFile="$DIST/conf/logback.xml"
    --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.management/sun.management=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
  [[ "$feature" -lt 22 ]] || opts+=(-XX:TrimNativeHeapInterval=5000)
  [[ "$feature" -lt 23 ]] || opts+=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
  [[ "$feature" -lt 25 ]] || opts+=(-XX:+UseCompactObjectHeaders)
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=2 exec taskset -c 0 "$java" "${opts[@]}" ${SLUICE_OPTS:-} \
    -cp "benchmarks/target/classes:$(cat "$PEER_CP")" io.sluice.gateway.benchmarks."$1" "$SLUICE" 127.0.0.1 "$BACKEND"
}

start_sluice() { # $1 scenario
  PEER_PIDS=()
  if [[ $1 == rate-limit-cluster ]]; then # two idle peers on core 1 (they only answer takes), started first
    for i in 1 2; do
      sluice_config "$1" $((18084 + i)) $((CLUSTER_PORT + i)) > "$WORK/peer$i.yaml"
      (cd "$DIST" && exec taskset -c 1 bin/sluice --config "$WORK/peer$i.yaml") > "$WORK/peer$i.log" 2>&1 &
      PEER_PIDS+=($!); PIDS+=($!)
    done
  fi
  sluice_config "$1" > "$WORK/sluice.yaml"
  local peer; peer=$(peer_main "$1")
  if [[ -n $peer ]]; then
    peer_classpath "$peer"
    (start_peer "$peer") > "$WORK/sluice.log" 2>&1 &
  else
    (cd "$DIST" && exec taskset -c 0 bin/sluice --config "$WORK/sluice.yaml") > "$WORK/sluice.log" 2>&1 &
  fi
  SLUICE_PID=$!
  PIDS+=("$SLUICE_PID")
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$SLUICE/100b" >/dev/null 2>&1 && break; sleep 0.2; done
  for i in "${!PEER_PIDS[@]}"; do # the cluster has formed once the peers serve too
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$((18085 + i))/100b" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  jvm="SluiceMain.*$WORK/sluice.yaml"; [[ -z $peer ]] || jvm="$peer $SLUICE "
  SLUICE_JVM=$(pgrep -f "$jvm" | head -1)
  taskset -c 1 wrk -t1 -c50 -d"${WARMUP}s" "${HEADER_ARGS[@]}" "http://127.0.0.1:$SLUICE/100b" >/dev/null
  for _ in $(seq 1 "$CHURN"); do
    taskset -c 1 wrk -t1 -c50 -d1s "${HEADER_ARGS[@]}" "http://127.0.0.1:$SLUICE/100b" >/dev/null; sleep 0.5
  done
  if [[ "$RATE" != 0 ]]; then # h2load opens its connections differently: let the JIT see that too
    taskset -c 1 h2load --h1 -t1 -c50 --rps=$((RATE / 50)) -D 5 "${HEADER_ARGS[@]}" "http://127.0.0.1:$SLUICE/100b" >/dev/null
  fi
}

stop_sluice() {
  for p in "$SLUICE_PID" "${PEER_PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  for p in "$SLUICE_PID" "${PEER_PIDS[@]:-}"; do wait "$p" 2>/dev/null || true; done
}

cpu_ticks() { # $1 pid -> user + system time of all its threads, in clock ticks
  awk '{print $14+$15}' "/proc/$1/stat"
}

steal_ticks() { # time the hypervisor took from core 0 (the proxy's), in clock ticks
  awk '$1 == "cpu0" {print $9}' /proc/stat
}

measure() { # $1 pid, $2 port, $3 path, $4 connections -> "rps p50_ms p99_ms cpu_us errors"
  local t0 t1 st0 u0 u1
  t0=$(cpu_ticks "$1"); u0=$(awk '{print $14}' "/proc/$1/stat"); st0=$(steal_ticks)
  taskset -c 1 wrk -t1 -c"$4" -d"${DURATION}s" --latency "${HEADER_ARGS[@]}" "http://127.0.0.1:$2$3" > "$WORK/last-wrk.txt"
  t1=$(cpu_ticks "$1"); u1=$(awk '{print $14}' "/proc/$1/stat")
  echo $(( $(steal_ticks) - st0 )) > "$WORK/last-steal" # VERBOSE prints it: a slow round with steal is the host's
  python3 - "$t0" "$t1" "$(getconf CLK_TCK)" "$WORK/last-wrk.txt" "$u0" "$u1" "$WORK/last-split" <<'PY'
import re, sys
t0, t1, tck = map(float, sys.argv[1:4])
out = open(sys.argv[4]).read()
u0, u1 = map(float, sys.argv[5:7])
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if m is None:
        sys.exit("cannot read latency '" + v + "' in:\n" + out)
    n, u = m.groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
reqs = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)); p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{rps:.0f} {p50:.3f} {p99:.3f} {(t1 - t0) / tck * 1e6 / reqs:.1f} {int(errors.group(1)) if errors else 0}")
with open(sys.argv[7], "w") as f:  # VERBOSE prints the user/system split of the round's CPU per request
    f.write(f"user {(u1 - u0) / tck * 1e6 / reqs:.1f} + sys {(t1 - t0 - u1 + u0) / tck * 1e6 / reqs:.1f}")
PY
}

measure_rate() { # $1 pid, $2 port, $3 path, $4 connections -> "cpu_us errors"
  local t0 t1
  t0=$(cpu_ticks "$1")
  taskset -c 1 h2load --h1 -t1 -c"$4" --rps=$((RATE / $4)) -D "$DURATION" "${HEADER_ARGS[@]}" "http://127.0.0.1:$2$3" \
    > "$WORK/last-h2load.txt" 2>&1
  t1=$(cpu_ticks "$1")
  python3 - "$t0" "$t1" "$(getconf CLK_TCK)" "$RATE" "$DURATION" "$WORK/last-h2load.txt" <<'PY'
import re, sys
t0, t1, tck, rate, duration = map(float, sys.argv[1:6])
out = open(sys.argv[6]).read()
done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", out).group(1))
ok = int(re.search(r"status codes: (\d+) 2xx", out).group(1))
if done < 0.97 * rate * duration:
    sys.exit(f"only {done} requests done at {rate:.0f}/s over {duration:.0f} s: the proxy or h2load is saturated; lower RATE")
print(f"{(t1 - t0) / tck * 1e6 / done:.1f} {done - ok}")
PY
}

# PROFILE=1: one more Sluice round at RATE under async-profiler (from Maven Central), not counted in the table;
# collapsed stacks in bench/out/profile-SCENARIO.collapsed and a summary (bench/profile-summary.py) printed.
# PROFILE=saturated profiles a wrk round instead (the load of the table's rows), and prints its CPU per request.
ASYNC_PROFILER=${ASYNC_PROFILER:-4.2}
profile() { # $1 scenario
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/sluice-bench/async-profiler-$ASYNC_PROFILER" java lib out
  lib="$cache/linux-x64/libasyncProfiler.so"
  if [[ ! -f "$lib" ]]; then
    mkdir -p "$cache"
    curl -fsSL -o "$cache/ap.jar" \
      "https://repo.maven.apache.org/maven2/tools/profiler/async-profiler/$ASYNC_PROFILER/async-profiler-$ASYNC_PROFILER-linux-x64.jar"
    python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('linux-x64/libasyncProfiler.so', sys.argv[2])" \
      "$cache/ap.jar" "$cache"
  fi
  java=$(readlink "/proc/$SLUICE_JVM/exe")
  out="$PWD/bench/out/profile-$1.collapsed"
  mkdir -p bench/out
  "$java" bench/AttachAgent.java "$SLUICE_JVM" "$lib" "start,event=cpu,interval=1ms"
  if [[ "$PROFILE" == saturated ]]; then
    read -r a _ _ d _ <<<"$(measure "$SLUICE_JVM" "$SLUICE" /100b 50)"
    "$java" bench/AttachAgent.java "$SLUICE_JVM" "$lib" "stop,file=$out,collapsed"
    echo "  profile of Sluice under wrk ($1): $a r/s, $d us/request ($(cat "$WORK/last-split")): $out" >&2
  else
    measure_rate "$SLUICE_JVM" "$SLUICE" /100b 50 >/dev/null
    "$java" bench/AttachAgent.java "$SLUICE_JVM" "$lib" "stop,file=$out,collapsed"
    echo "  profile of Sluice at $RATE r/s ($1): $out" >&2
  fi
  python3 bench/profile-summary.py "$out" 15 | sed 's/^/    /' >&2
}

# Bytes the event-loop threads of pid $1 allocate per request over one wrk round (port $2): a JFR recording
# whose thread-allocation statistics are taken at its start and end.
allocation() { # $1 pid, $2 port [$3 path] -> bytes per request
  local bin jfc rec
  bin=$(dirname "$(readlink "/proc/$1/exe")")
  jfc="$WORK/alloc.jfc"; rec="$WORK/alloc.jfr"
  cat > "$jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
JFC
  rm -f "$rec"
  "$bin/jcmd" "$1" JFR.start name=sluice-alloc settings="$jfc" >/dev/null
  taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "${HEADER_ARGS[@]}" "http://127.0.0.1:$2${3:-/100b}" > "$WORK/alloc-wrk.txt"
  "$bin/jcmd" "$1" JFR.stop name=sluice-alloc filename="$rec" >/dev/null
  "$bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$rec" > "$WORK/alloc.json"
  python3 - "$WORK/alloc.json" "$WORK/alloc-wrk.txt" <<'PY'
import json, re, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
reqs = int(re.search(r"(\d+) requests in", open(sys.argv[2]).read()).group(1))
first, last = {}, {}
for e in events:
    v = e["values"]
    name = (v.get("thread") or {}).get("javaName") or ""
    if name.startswith(("vert.x-eventloop-thread", "netty-eventloop")):  # Vert.x's (Sluice, HttpProxy); NettyHttpProxyMain's
        first.setdefault(name, v["allocated"])
        last[name] = v["allocated"]
print(f"{sum(last[t] - first[t] for t in last) / reqs:.0f}")
PY
}

median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
least() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }

SCENARIOS=${SCENARIOS:-"plain headers script rate-limit routes1000"}
SIZES=${SIZES:-"100b"}; CONNS=${CONNS:-"50"}
if [[ -n "${FULL:-}" ]]; then SIZES="100b 10k"; CONNS="50 200"; fi

if [[ -n "${PAIRED:-}" ]]; then # the scenario against the plain route in the same JVM (see the header)
  ROUNDS=${PAIRED_ROUNDS:-6}
  [[ " $SCENARIOS " != *" jwt "* ]] || jwt_setup
  printf "\n%-19s | %9s %9s | %8s %8s | %6s %6s %6s | %9s %9s | %s\n" "scenario (1 JVM)" "base r/s" "r/s" "base us" "cpu us" \
    "cpu x" "min x" "max x" "base B" "bytes" "cpu x per pair"
  for scenario in $SCENARIOS; do
    [[ $scenario != plain && -z $(peer_main "$scenario") ]] || continue
    scenario_policies "$scenario" >/dev/null
    HEADER_ARGS=()
    header=$(scenario_header "$scenario")
    [[ -z "$header" ]] || HEADER_ARGS=(-H "$header")
    declare -a ratios=() bcpu=() scpu=() brps=() srps=() balloc=() salloc=()
    for run in $(seq 1 "$RUNS"); do
      start_sluice "$scenario"
      taskset -c 1 wrk -t1 -c50 -d"$((WARMUP / 2))s" "${HEADER_ARGS[@]}" "http://127.0.0.1:$SLUICE/base/100b" >/dev/null
      for path in /100b /base/100b; do # one unmeasured switch each way: the recompilation a switch of path
        # costs the first time (docs/benchmarks.md, the regimes) happens here, not in the first measured pair
        taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "${HEADER_ARGS[@]}" "http://127.0.0.1:$SLUICE$path" >/dev/null
      done
      for i in $(seq 1 "$ROUNDS"); do
        if (( i % 2 )); then order="base scenario"; else order="scenario base"; fi # ABBA
        for side in $order; do
          path=/100b; [[ $side == scenario ]] || path=/base/100b
          read -r a _ _ d e <<<"$(measure "$SLUICE_JVM" "$SLUICE" "$path" 50)"
          [[ "$e" == 0 ]] || { echo "error: $e non-2xx responses from Sluice ($scenario, $path)" >&2; exit 1; }
          if [[ $side == base ]]; then bc=$d; br=$a; else sc=$d; sr=$a; fi
          [[ -z "${VERBOSE:-}" ]] || echo "  round: $side $a r/s $d us (core 0 steal $(cat "$WORK/last-steal") ticks)" >&2
        done
        bcpu+=("$bc"); scpu+=("$sc"); brps+=("$br"); srps+=("$sr")
        ratios+=("$(python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.3f}')" "$bc" "$sc")")
      done
      if [[ "$ALLOC" != 0 ]]; then
        balloc+=("$(allocation "$SLUICE_JVM" "$SLUICE" /base/100b)"); salloc+=("$(allocation "$SLUICE_JVM" "$SLUICE" /100b)")
      fi
      echo "            Sluice RSS after the $scenario runs (JVM start $run): $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$SLUICE_JVM/status")"
      stop_sluice
    done
    python3 - "$scenario" "${#ratios[@]}" "${ratios[@]}" "${bcpu[@]}" "${scpu[@]}" "${brps[@]}" "${srps[@]}" \
      "${#balloc[@]}" "${balloc[@]:-}" "${salloc[@]:-}" <<'PY'
import statistics as st, sys
a = sys.argv; sc = a[1]; n = int(a[2]); v = a[3:]
ratios, bc, sc_, br, sr = (list(map(float, v[i * n:(i + 1) * n])) for i in range(5))
rest = v[5 * n:]; m = int(rest[0]); al = [float(x) for x in rest[1:1 + 2 * m] if x]
ba, sa = (f"{st.median(al[:m]):9.0f}", f"{st.median(al[m:]):9.0f}") if m else (f"{'-':>9}", f"{'-':>9}")
print(f"{sc:<19} | {st.median(br):9.0f} {st.median(sr):9.0f} | {st.median(bc):8.1f} {st.median(sc_):8.1f} | "
      f"{st.median(ratios):6.2f} {min(ratios):6.2f} {max(ratios):6.2f} | {ba} {sa} | " + " ".join(f"{r:.2f}" for r in ratios))
PY
  done
  exit 0
fi

printf "\n%-11s %-5s %-5s | %9s %8s %8s %7s %5s | %9s %8s %8s %7s %5s | %6s %6s %6s %6s\n" scenario size conns \
  "nginx r/s" "p50 ms" "p99 ms" "cpu us" "best" "sluice r/s" "p50 ms" "p99 ms" "cpu us" "best" \
  "r/s x" "cpu x" "best x" "p99 x"
[[ " $SCENARIOS " != *" jwt "* ]] || jwt_setup
for scenario in $SCENARIOS; do
  scenario_policies "$scenario" >/dev/null
  HEADER_ARGS=()
  header=$(scenario_header "$scenario")
  [[ -z "$header" ]] || HEADER_ARGS=(-H "$header")
  declare -a run_ratios=()
  for run in $(seq 1 "$RUNS"); do
  start_sluice "$scenario"
  for size in $SIZES; do
    for conns in $CONNS; do
      path="/$size"
      declare -a nr=() np50=() np99=() ncpu=() sr=() sp50=() sp99=() scpu=()
      for _ in $(seq 1 "$ROUNDS"); do
        read -r a b c d e <<<"$(measure "$NGINX_WORKER" "$(scenario_nginx "$scenario")" "$path" "$conns")"
        [[ "$e" == 0 ]] || { echo "error: $e non-2xx responses from nginx ($scenario $size $conns)" >&2; exit 1; }
        nr+=("$a"); np50+=("$b"); np99+=("$c"); ncpu+=("$d"); nsplit=$(cat "$WORK/last-split")
        read -r a b c d e <<<"$(measure "$SLUICE_JVM" "$SLUICE" "$path" "$conns")"; sr+=("$a"); sp50+=("$b"); sp99+=("$c"); scpu+=("$d")
        [[ "$e" == 0 ]] || { echo "error: $e non-2xx responses from Sluice ($scenario $size $conns)" >&2; exit 1; }
        [[ -z "${VERBOSE:-}" ]] || echo "  round: nginx ${nr[-1]} r/s ${ncpu[-1]} us ($nsplit) | sluice $a r/s $d us ($(cat "$WORK/last-split"), all threads) (core 0 steal $(cat "$WORK/last-steal") ticks)" >&2
      done
      n1=$(median "${nr[@]}"); n2=$(median "${np50[@]}"); n3=$(median "${np99[@]}"); n4=$(median "${ncpu[@]}")
      s1=$(median "${sr[@]}"); s2=$(median "${sp50[@]}"); s3=$(median "${sp99[@]}"); s4=$(median "${scpu[@]}")
      n5=$(least "${ncpu[@]}"); s5=$(least "${scpu[@]}")
      python3 - "$scenario" "$size" "$conns" "$n1" "$n2" "$n3" "$n4" "$n5" "$s1" "$s2" "$s3" "$s4" "$s5" <<'PY'
import sys
sc, size, conns = sys.argv[1:4]
n1, n2, n3, n4, n5, s1, s2, s3, s4, s5 = map(float, sys.argv[4:14])
print(f"{sc:<11} {size:<5} {conns:<5} | {n1:9.0f} {n2:8.2f} {n3:8.2f} {n4:7.1f} {n5:5.1f} | {s1:9.0f} {s2:8.2f} {s3:8.2f} {s4:7.1f} {s5:5.1f} | {s1/n1:6.2f} {s4/n4:6.2f} {s5/n5:6.2f} {s3/n3:6.2f}")
PY
      run_ratios+=("$(python3 -c "import sys; print(float(sys.argv[2]) / float(sys.argv[1]))" "$n4" "$s4") $s4")
    done
  done
  [[ "${PROFILE:-}" != saturated ]] || profile "$scenario" # PROFILE=1 is taken in the fixed-rate block below
  if [[ "$RATE" != 0 ]]; then
    declare -a nrate=() srate=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r a e <<<"$(measure_rate "$NGINX_WORKER" "$(scenario_nginx "$scenario")" /100b 50)"
      [[ "$e" == 0 ]] || { echo "error: $e non-2xx responses from nginx at a fixed rate ($scenario)" >&2; exit 1; }
      nrate+=("$a")
      read -r b e <<<"$(measure_rate "$SLUICE_JVM" "$SLUICE" /100b 50)"
      [[ "$e" == 0 ]] || { echo "error: $e non-2xx responses from Sluice at a fixed rate ($scenario)" >&2; exit 1; }
      srate+=("$b")
      [[ -z "${VERBOSE:-}" ]] || echo "  round at $RATE r/s: nginx $a us | sluice $b us" >&2
    done
    [[ "${PROFILE:-}" != 1 ]] || profile "$scenario"
    python3 - "$RATE" "$(median "${nrate[@]}")" "$(least "${nrate[@]}")" "$(median "${srate[@]}")" "$(least "${srate[@]}")" <<'PY'
import sys
rate = int(sys.argv[1]); n, nb, s, sb = map(float, sys.argv[2:6])
print(f"{'':11} at {rate} r/s, 100b, 50 conns: CPU us/req nginx {n:.1f} (best {nb:.1f}), Sluice {s:.1f} (best {sb:.1f}): cpu x {s/n:.2f} (best x {sb/nb:.2f})")
PY
  fi
  if [[ "$ALLOC" != 0 ]]; then
    echo "            $(proxy_name "$scenario") event-loop allocation ($scenario, 100b): $(allocation "$SLUICE_JVM" "$SLUICE") bytes per request"
  fi
  echo "            $(proxy_name "$scenario") RSS after the $scenario runs: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$SLUICE_JVM/status")"
  stop_sluice
  done
  if [[ "$RUNS" -gt 1 ]]; then
    python3 - "$scenario" "$RUNS" "${run_ratios[@]}" <<'PY'
import statistics, sys
sc, runs = sys.argv[1], int(sys.argv[2])
rows = [tuple(map(float, x.split())) for x in sys.argv[3:]]
ratios = sorted(r for r, _ in rows); cpu = sorted(c for _, c in rows)
print(f"{sc:<11} over {runs} JVM starts: cpu x median {statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f});"
      f" Sluice us/req median {statistics.median(cpu):.1f} (min {cpu[0]:.1f}, max {cpu[-1]:.1f}); per run: "
      + " ".join(f"{r:.2f}" for r, _ in rows))
PY
  fi
done
