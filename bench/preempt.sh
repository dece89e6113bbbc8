#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Who takes core 0 from the event loop, and for how long (issue #14, the p99): Sluice alone on the plain route,
# pinned as in bench/run.sh (wrk and the nginx backend on core 1); per round, wrk's p50/p99 and, from a
# sched_switch trace of core 0, every time the event loop was switched out while runnable: by whom, how often,
# for how long. Needs the distribution built, wrk, nginx and perf; loopback only; stops what it starts.
# Usage: ROUNDS=3 bench/preempt.sh   (SLUICE_OPTS adds JVM options). Under a shared lock use `flock -o`.
set -euo pipefail
DIST=$(cd "$(dirname "$0")/../distribution/target/sluice" && pwd)
ROUNDS=${ROUNDS:-3}
W=$(mktemp -d /tmp/preempt.XXXX); chmod 755 $W
head -c 100 /dev/zero | tr '\0' x > $W/100b; chmod 644 $W/100b
cat > $W/backend.conf <<CONF
worker_processes 1; daemon on; pid $W/backend.pid; error_log $W/backend.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000;
  server { listen 127.0.0.1:18181; root $W; location / { try_files \$uri =404; } } }
CONF
taskset -c 1 nginx -c $W/backend.conf
cat > $W/sluice.yaml <<CONF
server: { host: 127.0.0.1, port: 18183, eventLoops: 1, maxConnections: 100000 }
admin: { enabled: false }
accessLog: { enabled: false }
reload: { watch: false }
plugins: { dir: "$DIST/plugins", watch: false }
scripts: { dir: "$DIST/policies", watch: false }
upstreams:
  be: { targets: ["http://127.0.0.1:18181"] }
routes:
  - { id: all, path: "/**", upstream: be, policies: [] }
CONF
(cd $DIST && SLUICE_OPTS="${SLUICE_OPTS:-}" exec taskset -c 0 bin/sluice --config $W/sluice.yaml) > $W/sluice.log 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null; nginx -c $W/backend.conf -s quit 2>/dev/null; sleep 0.3; rm -rf $W' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18183/100b >/dev/null 2>&1 && break; sleep 0.2; done
taskset -c 1 wrk -t1 -c50 -d30s http://127.0.0.1:18183/100b >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  sleep 3
  perf record -q -e sched:sched_switch -C 0 -o $W/perf.data -- sleep 6 2>/dev/null &
  PR=$!
  taskset -c 1 wrk -t1 -c50 -d8s --latency http://127.0.0.1:18183/100b > $W/wrk.txt
  wait $PR || true
  echo "round $r: $(grep -E '^\s+(50|99)%' $W/wrk.txt | tr -s ' ' | tr '\n' ' ') $(grep Requests/sec $W/wrk.txt)"
  perf script -i $W/perf.data -F comm,tid,time,event,trace 2>/dev/null > $W/sched.txt
  python3 - $W/sched.txt <<'PY'
import sys, re, collections
# lines: comm tid [time]: sched:sched_switch: prev_comm=X prev_pid=N prev_prio=P prev_state=S ==> next_comm=Y next_pid=M next_prio=Q
loop = None; out_at = None; who = collections.Counter(); dur = collections.defaultdict(float); gaps = []
first = last = None
for l in open(sys.argv[1]):
    m = re.search(r"\s([\d.]+):\s+sched:sched_switch:\s+prev_comm=(.*?) prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)", l)
    if not m: continue
    t, pc, pp, st, nc, np_ = float(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
    first = first or t; last = t
    if loop is None and 'eventloo' in pc: loop = pp
    if pp == loop:
        out_at = (t, st, nc)
    elif np_ == loop and out_at:
        g = (t - out_at[0]) * 1000
        if out_at[1].startswith('R'):  # preempted, not waiting
            who[out_at[2]] += 1; dur[out_at[2]] += g; gaps.append(g)
        out_at = None
span = (last - first) if first else 1
gaps.sort()
print(f"  event loop preempted {len(gaps)} times in {span:.1f} s ({len(gaps)/span:.0f}/s); off core for {sum(gaps)/span/10:.2f} % of the time; "
      f"median {gaps[len(gaps)//2] if gaps else 0:.2f} ms, p90 {gaps[int(len(gaps)*.9)] if gaps else 0:.2f} ms, max {max(gaps) if gaps else 0:.2f} ms")
for c, n in who.most_common(8):
    print(f"    by {c:24s} {n:5d} times, {dur[c]:7.1f} ms in all, {dur[c]/n:.2f} ms each")
PY
done
