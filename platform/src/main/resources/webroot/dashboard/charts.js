// SPDX-License-Identifier: Apache-2.0
// Line charts drawn as SVG with DOM calls only (no innerHTML, no inline styles: the page's CSP allows neither).

const SVG = 'http://www.w3.org/2000/svg';
const W = 800;
const H = 180;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function clock(ms) {
  const d = new Date(ms);
  return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

/**
 * Draws into `container` one line per series over the shared x values (epoch ms).
 * series: [{name, key, values: [number|null]}]; a null value breaks the line.
 */
export function lineChart(container, xs, series) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img' });
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (xs.length < 2 ? plotW : (i * plotW) / (xs.length - 1));
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  for (const f of [0, 0.5, 1]) {
    svg.append(el('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(max * f), y2: y(max * f) }));
    svg.append(el('text', { x: PAD.left - 4, y: y(max * f) + 3, 'text-anchor': 'end' }, String(+(max * f).toFixed(2))));
  }
  if (xs.length > 0) {
    const ticks = Math.min(6, xs.length);
    for (let t = 0; t < ticks; t++) {
      const i = ticks < 2 ? 0 : Math.round((t * (xs.length - 1)) / (ticks - 1));
      svg.append(el('text', { x: x(i), y: H - 4, 'text-anchor': 'middle' }, clock(xs[i])));
    }
  }
  for (const s of series) {
    let d = '';
    let pen = false;
    const present = (i) => i >= 0 && i < s.values.length && s.values[i] !== null && s.values[i] !== undefined;
    s.values.forEach((v, i) => {
      if (!present(i)) { pen = false; return; }
      d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
      pen = true;
      if (!present(i - 1) && !present(i + 1)) {
        // A point with no neighbour is a bare move in the path, which draws nothing: mark it with a dot.
        svg.append(el('circle', { class: 's-' + s.key, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5 }));
      }
    });
    const path = el('path', { class: 's-' + s.key, d: d.trim() || 'M0 0' });
    path.append(el('title', {}, s.name));
    svg.append(path);
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const s of series) {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = 's-' + s.key;
    item.append(swatch, s.name);
    legend.append(item);
  }
  container.replaceChildren(svg, legend);
}
