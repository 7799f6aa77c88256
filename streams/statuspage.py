"""`GET /status`: one self-refreshing HTML page for a person watching the worker (issue 14).

The page is static; its script reads `GET /status.json` (counts, rates, lag, vendor health: never a
call id, a customer or payload text) every sampling interval and draws the charts as inline SVG, so
it needs nothing from the internet (no CDN, no chart library) and works on a closed network.
"""

from __future__ import annotations

STATUS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>callstream worker status</title>
<noscript><meta http-equiv="refresh" content="30"></noscript>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2733; background: #f6f7f9; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .muted { color: #6b7785; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
  .card { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 12px 16px; }
  .card h2 { font-size: 15px; margin: 0 0 8px; }
  .tiles { display: flex; gap: 16px; margin: 16px 0; }
  .tile { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 10px 16px; min-width: 150px; }
  .tile b { display: block; font-size: 24px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #eef0f3; }
  .closed { color: #1a7f37; } .half_open { color: #9a6700; } .open { color: #cf222e; font-weight: 600; }
  svg { width: 100%; height: 180px; background: #fbfcfd; }
  .legend span { margin-right: 12px; white-space: nowrap; }
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
</style>
</head>
<body>
<h1>callstream worker status</h1>
<div class="muted">last hour, sampled every <span id="interval">?</span> s;
  updated <span id="updated">never</span></div>
<div class="tiles">
  <div class="tile">messages handled / s<b id="rate">0</b></div>
  <div class="tile">lag (messages)<b id="lagtotal">0</b></div>
  <div class="tile">dead letters<b id="deadtotal">0</b></div>
  <div class="tile">review rows written<b id="review">0</b></div>
</div>
<div class="grid">
  <div class="card"><h2>Throughput per stage (messages / s)</h2>
    <svg id="throughput" viewBox="0 0 600 180" preserveAspectRatio="none"></svg>
    <div class="legend" id="throughput-legend"></div></div>
  <div class="card"><h2>Lag per stage (messages past the committed offset)</h2>
    <svg id="lag" viewBox="0 0 600 180" preserveAspectRatio="none"></svg>
    <div class="legend" id="lag-legend"></div></div>
  <div class="card"><h2>Dead letters by reason</h2>
    <table><thead><tr><th>stage: error</th><th>count</th></tr></thead><tbody id="dead"></tbody></table></div>
  <div class="card"><h2>Sinks</h2>
    <table><thead><tr><th>vendor</th><th>breaker</th><th>written</th><th>already written</th>
      <th>retried</th><th>failed</th><th>other</th></tr></thead><tbody id="sinks"></tbody></table></div>
</div>
<script>
const COLOURS = {redact: "#0969da", enrich: "#8250df", classify: "#1a7f37", sinks: "#bf8700", other: "#6e7781"};
function el(tag, attrs, text) {
  const node = document.createElementNS(tag === "svg" || tag === "polyline" || tag === "line" || tag === "text"
    ? "http://www.w3.org/2000/svg" : "http://www.w3.org/1999/xhtml", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
function chart(id, series, now) {
  const svg = document.getElementById(id), legend = document.getElementById(id + "-legend");
  svg.replaceChildren(); legend.replaceChildren();
  // Up to the last hour: a worker that started ten minutes ago fills the width with ten minutes.
  let max = 0, first = now;
  for (const points of Object.values(series)) {
    for (const [t, v] of points) { max = Math.max(max, v); first = Math.min(first, t); }
  }
  const start = Math.max(now - 3600, first), span = Math.max(now - start, 1);
  const top = max > 0 ? max * 1.1 : 1;
  svg.appendChild(el("text", {x: 4, y: 12, "font-size": 11, fill: "#6b7785"}, top.toFixed(top < 10 ? 1 : 0)));
  svg.appendChild(el("line", {x1: 0, y1: 179, x2: 600, y2: 179, stroke: "#d0d7de"}));
  for (const [stage, points] of Object.entries(series)) {
    const colour = COLOURS[stage] || COLOURS.other;
    const x = (t) => ((t - start) / span * 600).toFixed(1), y = (v) => (179 - v / top * 170).toFixed(1);
    const coords = points.map(([t, v]) => `${x(t)},${y(v)}`);
    const peak = points.reduce((m, [, v]) => Math.max(m, v), 0);
    svg.appendChild(el("polyline", {class: "series", "data-stage": stage, "data-points": points.length,
      "data-max": peak, points: coords.join(" "), fill: "none", stroke: colour, "stroke-width": 2}));
    const item = el("span", {}); item.appendChild(el("i", {style: `background:${colour}`}));
    item.appendChild(document.createTextNode(`${stage} (peak ${peak.toFixed(peak < 10 ? 1 : 0)})`));
    legend.appendChild(item);
  }
}
function rows(id, cells) {
  const body = document.getElementById(id); body.replaceChildren();
  for (const row of cells) {
    const tr = el("tr", {});
    for (const [text, cls] of row) tr.appendChild(el("td", cls ? {class: cls} : {}, String(text)));
    body.appendChild(tr);
  }
}
async function refresh() {
  let data;
  try { data = await (await fetch("/status.json", {cache: "no-store"})).json(); }
  catch (error) {
    document.getElementById("updated").textContent = "failed: " + error;
    setTimeout(refresh, 5000);
    return;
  }
  document.getElementById("interval").textContent = data.interval;
  document.getElementById("updated").textContent = new Date(data.at * 1000).toLocaleTimeString();
  chart("throughput", data.throughput, data.at);
  chart("lag", data.lag, data.at);
  const last = (s) => (s.length ? s[s.length - 1][1] : 0);
  const rate = Object.values(data.throughput).reduce((a, s) => a + last(s), 0);
  document.getElementById("rate").textContent = rate.toFixed(1);
  document.getElementById("lagtotal").textContent = Object.values(data.lag).reduce((a, s) => a + last(s), 0);
  const dead = Object.entries(data.dead_letters).sort((a, b) => b[1] - a[1]);
  document.getElementById("deadtotal").textContent = dead.reduce((a, [, n]) => a + n, 0);
  rows("dead", dead.length ? dead.map(([reason, n]) => [[reason], [n]]) : [[["none"], [0]]]);
  document.getElementById("review").textContent = data.review_rows;
  const known = ["written", "already_written", "retried", "failed"];
  rows("sinks", Object.entries(data.breakers).sort().map(([vendor, state]) => {
    const counts = data.vendors[vendor] || {};
    const other = Object.entries(counts).filter(([k]) => !known.includes(k)).map(([k, n]) => `${k} ${n}`).join(", ");
    return [[vendor], [state.replace("_", "-"), state], ...known.map((k) => [counts[k] || 0]), [other || "-"]];
  }));
  document.body.setAttribute("data-refreshed", String(data.at));
  setTimeout(refresh, 1000 * Math.max(1, data.interval));
}
refresh();
</script>
</body>
</html>
"""
