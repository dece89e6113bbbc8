// SPDX-License-Identifier: Apache-2.0
// The Sluice dashboard: polls the admin API every POLL_MS with the bearer token kept in sessionStorage.
// Data goes into the page with textContent only, never as HTML.
import { lineChart } from './charts.js';
import { parsePrometheus, summarize } from './metrics.js';

const POLL_MS = 2000;
const TOKEN_KEY = 'sluice.adminToken';
const $ = (id) => document.getElementById(id);

class Unauthorized extends Error {}

let endpoints = new Set();
let timer = null;
const history = []; // metrics mode: [{at, requests, errors, clientErrors}] cumulative samples, for the traffic chart

async function get(path, text = false) {
  const res = await fetch(path, {
    headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY), Accept: text ? 'text/plain' : 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  });
  if (res.status === 401) throw new Unauthorized();
  if (res.status === 404 && path.startsWith('/admin/analytics')) {
    endpoints.delete('/admin/analytics'); // analytics.enabled: false; /metrics from the next poll on
  }
  if (res.status === 404 && path === '/metrics') {
    endpoints.delete('/metrics'); // metrics.enabled: false
  }
  if (!res.ok) throw new Error(path.split('?')[0] + ' answered ' + res.status);
  return text ? res.text() : res.json();
}

const has = (path) => endpoints.has(path);
const fmt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US'));
const ms = (n) => (n === null || n === undefined ? '–' : (+n).toFixed(n < 10 ? 2 : 1));
const pct = (part, all) => (all > 0 ? ((100 * part) / all).toFixed(2) + ' %' : '–');

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '–' : String(text);
  if (cls) td.className = cls;
  return td;
}

function fillTable(id, rows, empty = 'none yet') {
  const body = $(id).tBodies[0];
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }));
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(empty, 'note');
    td.colSpan = $(id).tHead.rows[0].cells.length;
    tr.append(td);
    body.append(tr);
  }
}

function groupRows(groups) {
  return groups.map((g) => [cell(g.key), cell(fmt(g.requests), 'num'), cell(fmt(g.errors), 'num'),
    cell(ms(g.latencyMs && g.latencyMs.p95), 'num')]);
}

function showTotals(t) {
  $('total-requests').textContent = fmt(t.requests);
  $('error-rate').textContent = pct(t.errors, t.requests);
  $('client-errors').textContent = fmt(t.clientErrors);
  const l = t.latencyMs || {};
  $('p50').textContent = ms(l.p50);
  $('p95').textContent = ms(l.p95);
  $('p99').textContent = ms(l.p99);
}

async function analytics() {
  const to = Date.now();
  const from = to - Number($('range').value);
  const q = `from=${from}&to=${to}&limit=10`;
  const [byRoute, byConsumer] = await Promise.all([
    get(`/admin/analytics?${q}&by=route`), get(`/admin/analytics?${q}&by=consumer`)]);
  showTotals(byRoute.totals);
  const xs = byRoute.series.map((b) => Date.parse(b.start));
  lineChart($('traffic-chart'), xs, [
    { name: 'requests', key: 'requests', values: byRoute.series.map((b) => b.requests) },
    { name: 'errors', key: 'errors', values: byRoute.series.map((b) => b.errors) },
    { name: '4xx', key: 'clientErrors', values: byRoute.series.map((b) => b.clientErrors) }]);
  const lat = (p) => byRoute.series.map((b) => (b.latencyMs ? b.latencyMs[p] : null));
  lineChart($('latency-chart'), xs, [
    { name: 'p50', key: 'p50', values: lat('p50') }, { name: 'p95', key: 'p95', values: lat('p95') },
    { name: 'p99', key: 'p99', values: lat('p99') }]);
  fillTable('top-routes', groupRows(byRoute.groups || []));
  fillTable('top-consumers', groupRows(byConsumer.groups || []));
  $('source').textContent = `From /admin/analytics, per ${byRoute.step}, nodes: ${(byRoute.nodes || []).join(', ')}.`;
}

async function metricsOnly() {
  const s = summarize(parsePrometheus(await get('/metrics', true)));
  showTotals(s.totals);
  history.push({ at: Date.now(), ...s.totals });
  if (history.length > 300) history.shift();
  const deltas = history.slice(1).map((h, i) => ({ at: h.at, d: (k) => Math.max(0, h[k] - history[i][k]) }));
  lineChart($('traffic-chart'), deltas.map((h) => h.at), [
    { name: 'requests / poll', key: 'requests', values: deltas.map((h) => h.d('requests')) },
    { name: 'errors / poll', key: 'errors', values: deltas.map((h) => h.d('errors')) },
    { name: '4xx / poll', key: 'clientErrors', values: deltas.map((h) => h.d('clientErrors')) }]);
  $('latency-chart').replaceChildren(document.createTextNode(
    `Since start (from the /metrics histograms): p50 ${ms(s.totals.latencyMs.p50)}, p95 ${ms(s.totals.latencyMs.p95)}, p99 ${ms(s.totals.latencyMs.p99)} ms (bucket bounds).`));
  fillTable('top-routes', groupRows(s.routes));
  fillTable('top-consumers', [], 'needs analytics (analytics.enabled)');
  $('source').textContent = 'Since the gateway started, from /metrics: this gateway has no /admin/analytics (no time range, no consumers).';
}

// Neither /admin/analytics nor /metrics: say so where the numbers would be, instead of dashes that look like
// a page still loading.
function noTraffic() {
  const message = 'No traffic numbers: this gateway has both analytics and metrics off '
    + '(analytics.enabled: false, metrics.enabled: false). Turn either on to see requests, errors and latency here.';
  for (const id of ['total-requests', 'error-rate', 'client-errors', 'p50', 'p95', 'p99']) $(id).textContent = 'off';
  $('traffic-chart').replaceChildren(document.createTextNode(message));
  $('latency-chart').replaceChildren(document.createTextNode(message));
  fillTable('top-routes', [], 'off: analytics and metrics are disabled');
  fillTable('top-consumers', [], 'off: analytics and metrics are disabled');
  $('source').textContent = message;
  $('source').className = 'note warning';
}

async function health() {
  const h = await get('/admin/health');
  $('status').textContent = h.status;
  $('status').className = 'badge ' + (h.status === 'UP' ? 'up' : 'down');
  $('version').textContent = `v${h.version} · up ${h.uptimeSeconds} s`;
  $('route-count').textContent = fmt(h.routes);
}

async function upstreams() {
  const u = await get('/admin/upstreams');
  const rows = [];
  for (const up of u.upstreams) {
    for (const t of up.targets) {
      const state = t.ejected ? 'ejected' : t.health;
      rows.push([cell(up.name), cell(t.target), cell(state, state), cell(t.breaker, t.breaker),
        cell(fmt(t.requests), 'num')]);
    }
  }
  fillTable('upstreams', rows);
}

async function cluster() {
  const c = await get('/admin/cluster');
  const members = c.members || [];
  $('cluster-summary').textContent = c.backend === 'local'
    ? 'Single node (cluster.backend: local).'
    : `Hazelcast cluster "${c.name}": ${members.length} member(s); drift: ${(c.drift || []).length ? c.drift.join('; ') : 'none'}.`;
  fillTable('cluster', members.map((m) => [cell((m.address || m.uuid) + (m.self ? ' (this node)' : '')),
    cell(m.serving ? `v${m.serving.version} ${m.serving.hash || ''}` : '–'),
    cell(m.last ? m.last.state : '–', m.last ? m.last.state : '')]));
}

async function reloads() {
  const r = await get('/admin/reloads');
  $('config-version').textContent = r.config ? r.config.version : '–';
  $('config-since').textContent = r.config ? new Date(r.config.since).toLocaleString() : '–';
  fillTable('reloads', r.reloads.map((e) => [cell(new Date(e.at).toLocaleTimeString()), cell(e.kind),
    cell(e.outcome, e.outcome),
    cell(e.outcome === 'refused' ? (e.problems || []).join('; ')
      : e.kind === 'plugins' ? `plugin generation ${e.pluginGeneration}` : `${e.routes} routes`)]));
}

async function poll() {
  const parts = [health()];
  if (has('/admin/analytics')) parts.push(analytics());
  else if (has('/metrics')) parts.push(metricsOnly());
  else noTraffic();
  if (has('/admin/upstreams')) parts.push(upstreams());
  if (has('/admin/cluster')) parts.push(cluster());
  if (has('/admin/reloads')) parts.push(reloads());
  const results = await Promise.allSettled(parts);
  const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failed.some((e) => e instanceof Unauthorized)) {
    signOut('The token was refused; sign in again.');
    return false;
  }
  $('error').textContent = failed.map((e) => e.message).join('; ');
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
  return true;
}

function schedule() {
  timer = setTimeout(async () => {
    if (await poll()) schedule();
  }, POLL_MS);
}

async function start() {
  $('login').hidden = true;
  $('board').hidden = false;
  $('logout').hidden = false;
  $('range-label').hidden = !has('/admin/analytics');
  if (await poll()) schedule();
}

function signOut(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(TOKEN_KEY);
  history.length = 0;
  $('board').hidden = true;
  $('logout').hidden = true;
  $('range-label').hidden = true;
  $('login').hidden = false;
  $('status').textContent = 'not signed in';
  $('status').className = 'badge';
  $('login-error').textContent = message || '';
  $('token').focus();
}

async function init() {
  endpoints = new Set((await (await fetch('endpoints.json', { cache: 'no-store' })).json()).endpoints);
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    $('token').value = '';
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('login-error').textContent = '';
    start();
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('range').addEventListener('change', () => { clearTimeout(timer); poll().then((ok) => ok && schedule()); });
  if (sessionStorage.getItem(TOKEN_KEY)) start();
  else $('token').focus();
}

init();
