// SPDX-License-Identifier: Apache-2.0
// Reads the gateway's own /metrics (Prometheus text) when there is no /admin/analytics: totals and routes
// since the gateway started, and percentiles bounded by the latency histogram's buckets.

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** [{name, labels: {k: v}, value}] for every sample line. */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] || '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

const isError = (status) => status === '5xx' || !/^[1-5]xx$/.test(status);

/** The smallest bucket bound holding quantile q of the merged cumulative buckets [{le, count}], in ms. */
function quantile(buckets, q) {
  const total = buckets.length ? buckets[buckets.length - 1].count : 0;
  if (total === 0) return null;
  const hit = buckets.find((b) => b.count >= q * total);
  return hit && Number.isFinite(hit.le) ? hit.le * 1000 : null;
}

function percentiles(bucketMap) {
  const buckets = [...bucketMap.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  return { p50: quantile(buckets, 0.5), p95: quantile(buckets, 0.95), p99: quantile(buckets, 0.99) };
}

export function summarize(samples) {
  const totals = { requests: 0, errors: 0, clientErrors: 0 };
  const routes = new Map();
  const allBuckets = new Map();
  const routeBuckets = new Map();
  for (const s of samples) {
    if (s.name === 'sluice_requests_total') {
      const r = s.labels.route;
      const g = routes.get(r) || { key: r, requests: 0, errors: 0, clientErrors: 0 };
      g.requests += s.value;
      totals.requests += s.value;
      if (isError(s.labels.status)) { g.errors += s.value; totals.errors += s.value; }
      if (s.labels.status === '4xx') { g.clientErrors += s.value; totals.clientErrors += s.value; }
      routes.set(r, g);
    } else if (s.name === 'sluice_request_latency_seconds_bucket') {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      allBuckets.set(le, (allBuckets.get(le) || 0) + s.value);
      const rb = routeBuckets.get(s.labels.route) || new Map();
      rb.set(le, (rb.get(le) || 0) + s.value);
      routeBuckets.set(s.labels.route, rb);
    }
  }
  totals.latencyMs = percentiles(allBuckets);
  for (const g of routes.values()) g.latencyMs = percentiles(routeBuckets.get(g.key) || new Map());
  const top = [...routes.values()].sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key)).slice(0, 10);
  return { totals, routes: top };
}
