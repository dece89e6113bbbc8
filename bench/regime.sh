#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Where the CPU of a proxied request goes, per round and per JVM start (issue #14): CPU per request by thread
# (event loop user/system, C2, C1, GC, ...), context switches and page faults of the event loop, and from perf
# tracepoints the syscalls, IPIs and wake-ups per request of the JVM and of core 1 (wrk + backend). The plain
# route of bench/run.sh, Sluice alone (no nginx rounds), pinned the same way. VARIANTS="opts a|opts b" alternates
# JVM options per start. Needs the distribution built, wrk, nginx and perf; loopback only; stops what it starts.
# Usage: STARTS=4 ROUNDS=3 bench/regime.sh   (KEEP=1 keeps the logs; SLUICE_OPTS or VARIANTS add JVM options).
# CHURN=N adds N one-second wrk runs after the warm-up, as bench/run.sh does by default (0 here, to show the JIT's
# first encounter with clients cut off mid-request; docs/benchmarks.md, "Issue #14, session 12").
# Each round also prints wrk's p50/p99 and how often the event loop was preempted; GCLOG=1 adds the young
# collections that fell inside the round (count, share of the round, longest pause). TRACE=1 adds, from a
# sched_switch trace of core 0, who ran while the event loop was runnable and waiting for its core, how often
# and for how long (the JIT's slices behind the p99, docs/benchmarks.md).
# Under a shared lock use `flock -o`: the nginx it starts daemonises and would otherwise keep the lock held.
set -euo pipefail
DIST=$(cd "$(dirname "$0")/../distribution/target/sluice" && pwd)
STARTS=${STARTS:-3}; ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-8}; WARMUP=${WARMUP:-30}; PAUSE=${PAUSE:-4}
W=$(mktemp -d /tmp/regime.XXXX); chmod 755 $W
gcc -O2 -o $W/memprobe "$(dirname "$0")/memprobe.c"
head -c 100 /dev/zero | tr '\0' x > $W/100b; chmod 644 $W/100b
cat > $W/backend.conf <<CONF
worker_processes 1; daemon on; pid $W/backend.pid; error_log $W/backend.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000;
  server { listen 127.0.0.1:18181; root $W; location / { try_files \$uri =404; } } }
CONF
taskset -c 1 nginx -c $W/backend.conf
cleanup() { [[ -n "${SP:-}" ]] && kill $SP 2>/dev/null; nginx -c $W/backend.conf -s quit 2>/dev/null; sleep 0.3; if [[ -n "${KEEP:-}" ]]; then echo "kept $W"; else rm -rf $W; fi; }
trap cleanup EXIT
cat > $W/sluice.yaml <<CONF
server: { host: 127.0.0.1, port: 18183, eventLoops: 1, maxConnections: 100000 }
admin: { enabled: false }
accessLog: { enabled: false }
metrics: { enabled: ${METRICS:-true} }
reload: { watch: false }
plugins: { dir: "$DIST/plugins", watch: false }
scripts: { dir: "$DIST/policies", watch: false }
upstreams:
  be: { targets: ["http://127.0.0.1:18181"] }
routes:
  - { id: all, path: "/**", upstream: be, policies: [] }
CONF
snap() { # pid -> lines "tid comm utime stime vcs ivcs"
  for t in /proc/$1/task/*; do
    [[ -r $t/stat ]] || continue
    local s; s=$(cat $t/stat 2>/dev/null) || continue
    local comm; comm=$(cat $t/comm 2>/dev/null | tr ' ' _)
    local rest=${s##*) }
    set -- $rest
    local vcs ivcs
    vcs=$(awk '/^voluntary_ctxt_switches/{print $2}' $t/status 2>/dev/null); ivcs=$(awk '/^nonvoluntary_ctxt_switches/{print $2}' $t/status 2>/dev/null)
    local scr scw
    scr=$(awk '/^syscr/{print $2}' $t/io 2>/dev/null); scw=$(awk '/^syscw/{print $2}' $t/io 2>/dev/null)
    echo "${t##*/} $comm ${12} ${13} ${vcs:-0} ${ivcs:-0} ${8} 0"
  done
}
for s in $(seq 1 $STARTS); do
  IFS='|' read -ra VS <<< "${VARIANTS:-${SLUICE_OPTS:-}}"
  (( ${#VS[@]} )) || VS=("")  # neither given: one variant, the launcher's defaults
  V="${VS[$(( (s - 1) % ${#VS[@]} ))]}"
  [[ "${GCLOG:-}" != 1 ]] || V="$V -Xlog:gc:file=$W/gc.log:uptimemillis"
  echo "start $s options: $V"
  (cd $DIST && SLUICE_OPTS="$V" exec taskset -c 0 bin/sluice --config $W/sluice.yaml) > $W/sluice.log 2>&1 &
  SP=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18183/100b >/dev/null 2>&1 && break; sleep 0.2; done
  JVM=$(pgrep -f "SluiceMain.*$W/sluice.yaml" | head -1)
  T0=$(python3 -c "
import sys
bt=[int(l.split()[1]) for l in open('/proc/stat') if l.startswith('btime')][0]
st=int(open('/proc/$JVM/stat').read().rsplit(')',1)[1].split()[19])
import os; print(int(bt*1000+st*1000/os.sysconf('SC_CLK_TCK')))")
  taskset -c 1 wrk -t1 -c50 -d${WARMUP}s http://127.0.0.1:18183/100b >/dev/null
  for _ in $(seq 1 ${CHURN:-0}); do # CHURN=N: N short wrk runs, each ending with its 50 requests cut off mid-flight
    taskset -c 1 wrk -t1 -c50 -d1s http://127.0.0.1:18183/100b >/dev/null; sleep 0.5
  done
  for r in $(seq 1 $ROUNDS); do
    sleep $PAUSE
    PROBE=$(taskset -c 0 $W/memprobe | awk '{print $2}')
    snap $JVM > $W/a
    BEGIN=$(( $(date +%s%3N) - T0 ))
    echo "round $s.$r begins at $BEGIN ms" >> $W/rounds.txt
    perf stat -x, -o $W/perf-p.txt -e raw_syscalls:sys_enter,ipi:ipi_send_cpu,sched:sched_wakeup,context-switches -p $JVM -- sleep $((DURATION-1)) &
    PP=$!
    perf stat -x, -o $W/perf-c1.txt -e context-switches,sched:sched_wakeup,raw_syscalls:sys_enter -C 1 -- sleep $((DURATION-1)) &
    PC=$!
    PT=
    if [[ "${TRACE:-}" == 1 ]]; then
      perf record -q -e sched:sched_switch -C 0 -o $W/sched.data -- sleep $((DURATION-2)) 2>/dev/null &
      PT=$!
    fi
    taskset -c 1 wrk -t1 -c50 -d${DURATION}s --latency http://127.0.0.1:18183/100b > $W/wrk.txt
    wait $PP $PC $PT || true
    snap $JVM > $W/b
    reqs=$(grep -oP '\d+(?= requests in)' $W/wrk.txt)
    python3 - $W/a $W/b $reqs $s $r "$(getconf CLK_TCK)" "$PROBE" "$BEGIN" "$DURATION" <<'PY'
import sys, collections
a = {l.split()[0]: l.split() for l in open(sys.argv[1])}
b = {l.split()[0]: l.split() for l in open(sys.argv[2])}
reqs = int(sys.argv[3]); tck = float(sys.argv[6])
groups = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
for tid, row in b.items():
    old = a.get(tid, [tid, row[1], 0, 0, 0, 0, 0, 0])
    name = row[1]
    g = ('loop' if 'eventlo' in name.lower() else 'C2' if 'C2' in name else 'C1' if 'C1' in name else 'JVMCI' if 'JVMCI' in name else
         'GC' if 'GC' in name or 'Parallel' in name else name[:14])
    d = [int(row[i]) - int(old[i]) for i in range(2, 8)]
    for i in range(6): groups[g][i] += d[i]
tot = sum(v[0] + v[1] for v in groups.values())
us = lambda t: t / tck * 1e6 / reqs
loop = groups.get('loop', [0]*6)
def perf(f):
    out = {}
    for l in open(f):
        p = l.strip().split(',')
        if len(p) > 3 and p[0].replace('.', '').isdigit():
            out[p[2].split(':')[-1]] = float(p[0])
    return out
import os
w = os.path.dirname(sys.argv[1])
pp, pc = perf(w + '/perf-p.txt'), perf(w + '/perf-c1.txt')
rate = reqs / 8.0 * 7.0  # perf ran DURATION-1 s
extra = ("  JVM: sysc/req %.2f ipi/req %.3f wake/req %.3f cs/req %.3f | core1: cs/req %.3f wake/req %.3f sysc/req %.2f" % (
    pp.get('sys_enter', 0) / rate, pp.get('ipi_send_cpu', 0) / rate, pp.get('sched_wakeup', 0) / rate, pp.get('context-switches', 0) / rate,
    pc.get('context-switches', 0) / rate, pc.get('sched_wakeup', 0) / rate, pc.get('sys_enter', 0) / rate))
import re
wrk = open(w + '/wrk.txt').read()
def ms(v):
    n = float(re.match(r"[\d.]+", v).group(0)); return n / 1000 if v.endswith('us') else n * 1000 if v.endswith('s') and not v.endswith('ms') else n
p99 = re.search(r"^\s+99%\s+(\S+)", wrk, re.M)
p50 = re.search(r"^\s+50%\s+(\S+)", wrk, re.M)
# Young collections that fell in the round, from -Xlog:gc:file=<W>/gc.log:uptimemillis (GCLOG=1)
# (the log's uptime counts from the JVM's start, as BEGIN does).
begin, dur = int(sys.argv[8]), int(sys.argv[9]) * 1000
pauses = []
if os.path.exists(w + '/gc.log'):
    for l in open(w + '/gc.log'):
        m = re.match(r"\[(\d+)ms\].*Pause.* ([\d.]+)ms$", l.strip())
        if m and begin <= int(m.group(1)) <= begin + dur: pauses.append(float(m.group(2)))
gc = (f"  gc: {len(pauses)} pauses, {sum(pauses) / dur * 100:.2f} % of the round, max {max(pauses):.1f} ms" if pauses else "")
extra += (f"  | p50 {ms(p50.group(1)):.2f} p99 {ms(p99.group(1)):.2f} ms, loop preempted {loop[3] / (dur / 1000):.0f}/s" if p99 else "") + gc
print(f"start {sys.argv[4]} round {sys.argv[5]}: memprobe {sys.argv[7]} ns  {reqs/8:.0f} r/s  total {us(tot):.1f} us/req  loop user {us(loop[0]):.1f} sys {us(loop[1]):.1f}  "
      f"vcs/req {loop[2]/reqs:.3f} loopflt/req {loop[4]/reqs:.3f} allflt/req {sum(v[4] for v in groups.values())/reqs:.3f} others: " +
      ", ".join(f"{k} {us(v[0]+v[1]):.1f}" for k, v in sorted(groups.items(), key=lambda kv: -(kv[1][0]+kv[1][1])) if k != 'loop' and v[0]+v[1] > 0) + extra)
PY
    if [[ -n "$PT" ]]; then
      perf script -i $W/sched.data -F comm,tid,time,event,trace 2>/dev/null > $W/sched.txt
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
    fi
  done
  kill $SP; wait $SP 2>/dev/null || true; SP=; cp $W/sluice.log $W/sluice-$s.log
done
