/**
 * The observer's page: one HTML document, its style and script inline, no build step.
 * The tree is a virtualised list (only the rows in view are in the DOM), so a supervisor
 * with 10,000 children renders as fast as one with 10.
 *
 * @internal
 */
export const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>effect-otp observer</title>
<style>
:root { --bg: #0f1419; --panel: #161c23; --line: #232b35; --text: #d7dde4; --dim: #7d8894; --green: #3fb950;
  --amber: #d29922; --red: #f85149; --blue: #58a6ff; --grey: #6e7681; --row: 24px; --acts: 0px; }
body.acts { --acts: 176px; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { background: var(--bg); color: var(--text); font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 16px; padding: 8px 14px; border-bottom: 1px solid var(--line);
  background: var(--panel); white-space: nowrap; }
header h1 { font-size: 14px; margin: 0; font-weight: 600; }
#conn { width: 9px; height: 9px; border-radius: 50%; background: var(--grey); display: inline-block; }
#conn.on { background: var(--green); } #conn.off { background: var(--red); }
.counts { display: flex; gap: 12px; color: var(--dim); }
.counts b { color: var(--text); font-weight: 600; }
.counts .running b { color: var(--green); } .counts .restarting b { color: var(--amber); }
.counts .stopped b { color: var(--grey); }
select { max-width: 60%; min-width: 0; }
input, select, button { background: var(--bg); color: var(--text); border: 1px solid var(--line); border-radius: 4px;
  font: inherit; padding: 2px 6px; }
button { cursor: pointer; } button:hover { border-color: var(--blue); }
#notice { color: var(--dim); margin-left: auto; flex: 1; min-width: 0; text-align: right; overflow: hidden;
  text-overflow: ellipsis; }
#notice.ok { color: var(--green); } #notice.err { color: var(--red); }
main { flex: 1; display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 2fr); min-height: 0; }
section { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid var(--line); }
.bar { display: flex; gap: 8px; align-items: center; height: 36px; padding: 0 10px; border-bottom: 1px solid var(--line);
  color: var(--dim); }
.scroll { flex: 1; overflow: auto; position: relative; min-height: 0; }
#spacer { position: relative; overflow: hidden; }
#rows { position: absolute; left: 0; right: 0; top: 0; }
.row { height: var(--row); display: grid; align-items: center; white-space: nowrap; padding: 0 10px;
  grid-template-columns: minmax(150px, 2fr) 90px 76px 52px 64px 56px 128px minmax(60px, 1fr) var(--acts); gap: 8px;
  border-bottom: 1px solid #1b222b; }
.row > span { overflow: hidden; text-overflow: ellipsis; }
.row.sup, .row.sub { background: #18202a; }
.row.sup > span:first-child, .row.sub > span:first-child { font-weight: 600; }
.row.head { color: var(--dim); position: sticky; top: 0; background: var(--panel); z-index: 1; }
.tog { display: inline-block; width: 14px; color: var(--dim); cursor: pointer; }
.st { padding: 0 6px; border-radius: 8px; font-size: 11px; }
.st.running { color: var(--green); border: 1px solid #2a5b33; }
.st.restarting { color: var(--amber); border: 1px solid #6b5318; }
.st.stopped { color: var(--grey); border: 1px solid #3a424c; }
.budget { display: inline-flex; align-items: center; gap: 6px; font-weight: 400; color: var(--dim); }
.meter { width: 36px; height: 6px; background: var(--line); border-radius: 3px; overflow: hidden; display: inline-block; }
.meter i { display: block; height: 100%; background: var(--green); }
.meter.warn i { background: var(--amber); } .meter.full i { background: var(--red); }
.label { color: var(--blue); font-weight: 400; }
.exit.bad { color: var(--red); } .exit { color: var(--dim); }
.acts button { padding: 0 4px; font-size: 11px; margin-right: 3px; }
#events { list-style: none; margin: 0; padding: 0; }
#events li { padding: 3px 10px; border-bottom: 1px solid #1b222b; display: flex; gap: 8px; align-items: baseline; }
#events li span.t { color: var(--dim); white-space: nowrap; }
#events li span.tag { white-space: nowrap; }
#events li span.x { overflow-wrap: anywhere; }
.tag { font-size: 11px; padding: 0 5px; border-radius: 3px; background: var(--line); }
.tag.ChildExited { color: var(--red); } .tag.ChildStarted { color: var(--green); }
.tag.ChildRestarted { color: var(--blue); } .tag.BackoffScheduled { color: var(--amber); }
.tag.RestartPolicyExhausted, .tag.ShutdownDeadlineMissed, .tag.SupervisorStopped, .tag.ChildGaveUp { color: #fff;
  background: #8e1519; }
.tag.ChildStopped, .tag.ChildDropped { color: var(--amber); }
.empty { color: var(--dim); padding: 20px; }
</style>
</head>
<body>
<header>
  <h1><span id="conn" title="connection"></span> effect-otp observer</h1>
  <div class="counts" id="counts"></div>
  <label id="tokenbox" hidden>token <input id="token" type="password" size="14" autocomplete="off"></label>
  <span id="notice"></span>
</header>
<main>
  <section>
    <div class="bar">tree <input id="find" placeholder="filter children by id" size="24">
      <button id="collapse">collapse all</button><button id="expand">expand all</button></div>
    <div class="scroll" id="tree"><div class="row head"><span>id</span><span>kind</span><span>status</span><span>pid</span>
      <span>restarts</span><span>uptime</span><span>budget</span><span>last exit</span><span></span></div>
      <div id="spacer"><div id="rows"></div></div></div>
  </section>
  <section>
    <div class="bar">events <select id="filter"><option value="">all supervisors</option></select>
      <span id="evcount"></span></div>
    <div class="scroll"><ul id="events"></ul></div>
  </section>
</main>
<script>
"use strict";
(function () {
  var ROW = 24, MAX_EVENTS = 500;
  var trees = [], receivedAt = 0, actions = false, collapsed = {}, flat = [], found = "";
  var events = [], pending = [], filter = "", known = {}, bySup = {};
  var stats = { snapshots: 0, lastApplyMs: 0, lastRenderMs: 0, rows: 0, children: 0 };
  window.__observer = stats;
  var $ = function (id) { return document.getElementById(id); };
  var tree = $("tree"), rows = $("rows"), spacer = $("spacer");
  var hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) { $("token").value = hash.get("token"); history.replaceState(null, "", location.pathname); }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function dur(ms) {
    if (ms == null) return "";
    var s = Math.floor(ms / 1000);
    if (s < 60) return s + "s";
    var m = Math.floor(s / 60); if (m < 60) return m + "m " + (s % 60) + "s";
    var h = Math.floor(m / 60); if (h < 24) return h + "h " + (m % 60) + "m";
    return Math.floor(h / 24) + "d " + (h % 24) + "h";
  }
  // the visible rows: each watched supervisor, then its children (a child supervisor's row
  // heads its own children), skipping collapsed subtrees and children the filter hides
  function flatten() {
    var out = [], counts = { supervisors: 0, children: 0, running: 0, restarting: 0, stopped: 0 };
    function walk(t, depth, visible) {
      // a source's row and its locations' rows are no supervisors, a location's row no child
      if (!t.origin) counts.supervisors++;
      var open = visible && !collapsed[t.path];
      for (var i = 0; i < t.children.length; i++) {
        var c = t.children[i];
        if (!(c.tree && c.tree.origin)) { counts.children++; counts[c.status] = (counts[c.status] || 0) + 1; }
        if (open && (found === "" || c.tree || c.id.indexOf(found) >= 0)) {
          out.push({ child: c, parent: t, tree: c.tree, depth: depth });
        }
        if (c.tree) walk(c.tree, depth + 1, open);
      }
    }
    for (var i = 0; i < trees.length; i++) {
      out.push({ root: trees[i], tree: trees[i], depth: 0 });
      walk(trees[i], 1, true);
    }
    flat = out;
    stats.rows = out.length; stats.children = counts.children;
    $("counts").innerHTML =
      "<span>supervisors <b id='n-sup'>" + counts.supervisors + "</b></span>" +
      "<span>children <b id='n-children'>" + counts.children + "</b></span>" +
      "<span class='running'>running <b id='n-running'>" + counts.running + "</b></span>" +
      "<span class='restarting'>restarting <b id='n-restarting'>" + counts.restarting + "</b></span>" +
      "<span class='stopped'>stopped <b id='n-stopped'>" + counts.stopped + "</b></span>";
    spacer.style.height = out.length * ROW + "px";
  }

  function budgetHtml(t) {
    if (!t.budget) return "";
    var b = t.budget, pct = Math.min(100, b.max === 0 ? (b.used > 0 ? 100 : 0) : 100 * b.used / b.max);
    var cls = b.used > b.max ? "full" : b.used === b.max && b.used > 0 ? "warn" : "";
    return "<span class='budget' title='restart attempts in the last " + dur(b.withinMs) +
      ", of the " + b.max + " the restart intensity allows'><span class='meter " + cls + "'><i style='width:" + pct +
      "%'></i></span>" + b.used + "/" + b.max + " in " + dur(b.withinMs) + "</span>";
  }
  function cell(text, cls, title) {
    return "<span" + (cls ? " class='" + cls + "'" : "") + (title ? " title='" + esc(title) + "'" : "") + ">" + text +
      "</span>";
  }
  function status(s) { return s ? "<span class='st " + s + "'>" + s + "</span>" : ""; }
  function rowHtml(r, now) {
    var t = r.tree, pad = "padding-left:" + (r.depth * 16 + (t ? 0 : 14)) + "px";
    var toggle = t ? "<span class='tog' data-tog='" + esc(t.path) + "'>" + (collapsed[t.path] ? "&#9656;" : "&#9662;") +
      "</span>" : "";
    if (r.root) {
      return "<div class='row sup' data-sup='" + esc(t.path) + "'>" +
        cell("<span style='" + pad + "'>" + toggle + esc(t.path) + (t.label ? " <span class='label'>@ " + esc(t.label) +
          "</span>" : "") + "</span>", "", t.path + (t.label ? " @ " + t.label : "")) + cell(esc(t.strategy)) +
        cell(status(t.status)) + cell(t.pid == null ? "" : "&lt;" + t.pid + "&gt;") + cell("") +
        cell("") + cell(budgetHtml(t)) + cell(esc(t.reason || ""), "exit" + (t.reason ? " bad" : "")) + cell("") + "</div>";
    }
    var c = r.child, up = c.upMs == null ? null : c.status === "running" ? c.upMs + (now - receivedAt) : c.upMs;
    var bad = c.exit && !/^(normal|shutdown)/.test(c.exit);
    var acts = "";
    if (actions && !r.parent.origin) {
      var a = " data-sup='" + esc(r.parent.path) + "' data-id='" + esc(c.id) + "' data-pid='" + (c.pid == null ? "" : c.pid) + "'";
      acts = "<button data-act='kill'" + a + ">kill</button><button data-act='restart'" + a + ">restart</button>" +
        "<button data-act='terminate'" + a + ">terminate</button>";
    }
    return "<div class='row" + (t ? " sub" : "") + "' data-child='" + esc(c.id) + "'" + (t ? " data-sup='" + esc(t.path) + "'" : "") +
      ">" + cell("<span style='" + pad + "'>" + toggle + esc(c.id) + (c.location ? " <span class='label loc'>@ " +
        esc(c.location) + "</span>" : "") + "</span>", "", t ? t.path : c.id + (c.location ? " @ " + c.location : "")) +
      cell(esc(t ? t.strategy : c.type), "", t ? (t.origin ? t.strategy : "supervisor, " + t.strategy) : c.type) +
      cell(status(c.status)) + cell(c.pid == null ? "" : "&lt;" + c.pid + "&gt;") +
      cell(c.restarts == null ? "" : String(c.restarts)) + cell(up == null ? "" : dur(up)) + cell(t ? budgetHtml(t) : "") +
      cell(esc(c.exit || ""), "exit" + (bad ? " bad" : ""), c.exit || "") + cell(acts, "acts") + "</div>";
  }

  var scheduled = false;
  function render() {
    scheduled = false;
    var t0 = performance.now();
    var top = Math.max(0, tree.scrollTop - ROW), height = tree.clientHeight;
    var first = Math.max(0, Math.floor(top / ROW) - 10), last = Math.min(flat.length, Math.ceil((top + height) / ROW) + 10);
    var html = [], now = performance.now();
    for (var i = first; i < last; i++) html.push(rowHtml(flat[i], now));
    rows.style.top = first * ROW + "px";
    rows.innerHTML = html.length ? html.join("") : (trees.length ? "" : "<div class='empty'>no supervisor is watched</div>");
    stats.lastRenderMs = performance.now() - t0;
  }
  function schedule() { if (!scheduled) { scheduled = true; requestAnimationFrame(render); } }
  tree.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  setInterval(schedule, 1000);

  function supervisors(t, out) {
    out.push(t.path);
    for (var i = 0; i < t.children.length; i++) if (t.children[i].tree) supervisors(t.children[i].tree, out);
    return out;
  }
  function applySnapshot(s) {
    var t0 = performance.now();
    trees = s.trees; receivedAt = performance.now();
    var paths = [];
    for (var i = 0; i < trees.length; i++) supervisors(trees[i], paths);
    bySup = {};
    (function index(ts) {
      for (var k = 0; k < ts.length; k++) {
        bySup[ts[k].path] = ts[k];
        var sub = [];
        for (var m = 0; m < ts[k].children.length; m++) if (ts[k].children[m].tree) sub.push(ts[k].children[m].tree);
        index(sub);
      }
    })(trees);
    for (var j = 0; j < paths.length; j++) addKnown(paths[j]);
    flatten();
    render();
    stats.snapshots++;
    stats.lastApplyMs = performance.now() - t0;
  }
  // an event changes its row at once; the snapshot that follows confirms it
  function childOf(e, pick) {
    var t = bySup[e.supervisor];
    if (!t || t.origin) return null;
    for (var i = 0; i < t.children.length; i++) if (pick(t.children[i])) return t.children[i];
    return null;
  }
  function patch(e) {
    var c;
    if (e.tag === "ChildExited") {
      c = childOf(e, function (c) { return c.pid === e.pid; });
      if (c) { c.status = "stopped"; c.exit = e.reason; c.pid = null; c.upMs = null; return true; }
    } else if (e.tag === "ChildRestarted") {
      c = childOf(e, function (c) { return c.id === e.childId && c.status !== "running"; });
      if (c) {
        c.status = "running"; c.pid = e.pid; c.restarts = e.attempt; c.upMs = receivedAt - performance.now();
        return true;
      }
    } else if (e.tag === "BackoffScheduled") {
      c = childOf(e, function (c) { return c.id === e.childId && c.status !== "running"; });
      if (c) { c.status = "restarting"; return true; }
    }
    return false;
  }
  // a source's small change, at once: its rows move, appear or go; the snapshot that follows confirms it
  function applyPatch(p) {
    var t = bySup[p.source];
    if (!t || t.origin !== "source") return;
    var where = {};
    function index(list) { for (var i = 0; i < list.length; i++) if (!list[i].tree) where[list[i].id] = list; }
    index(t.children);
    for (var i = 0; i < t.children.length; i++) if (t.children[i].tree) index(t.children[i].tree.children);
    function drop(id) {
      var list = where[id];
      if (!list) return;
      for (var k = 0; k < list.length; k++) if (list[k].id === id && !list[k].tree) { list.splice(k, 1); break; }
      delete where[id];
    }
    function group(location) {
      var at = t.children.length;
      for (var k = 0; k < t.children.length; k++) {
        var c = t.children[k];
        if (!c.tree) continue;
        if (c.id === location) return c.tree.children;
        if (c.id > location) { at = k; break; }
      }
      var g = { path: t.path + "/" + location, strategy: p.locationKind, pid: null, status: null, reason: null,
        budget: null, origin: "location", children: [] };
      t.children.splice(at, 0, { id: location, type: p.locationKind, status: null, pid: null, restarts: null, upMs: null,
        exit: null, location: null, tree: g });
      bySup[g.path] = g; addKnown(g.path);
      return g.children;
    }
    for (var r = 0; r < p.removed.length; r++) drop(p.removed[r]);
    for (var j = 0; j < p.changed.length; j++) {
      var row = p.changed[j];
      drop(row.id);
      var list = row.location == null ? t.children : group(row.location);
      var child = { id: row.id, type: row.kind, status: row.status, pid: null,
        restarts: row.restarts == null ? null : row.restarts, upMs: null, exit: row.exit == null ? null : row.exit,
        tree: null, location: row.location == null ? null : row.location };
      if (row.location == null) {
        var at = 0; while (at < list.length && !list[at].tree) at++;
        list.splice(at, 0, child);
      } else list.push(child);
    }
    // a location left without children goes, as in the next snapshot
    for (var e = t.children.length - 1; e >= 0; e--) {
      var g = t.children[e].tree;
      if (g && g.children.length === 0) { delete bySup[g.path]; t.children.splice(e, 1); }
    }
    flatten(); schedule();
  }
  function addKnown(path) {
    if (known[path]) return;
    known[path] = true;
    var o = document.createElement("option"); o.value = path; o.textContent = path; $("filter").appendChild(o);
  }

  function shown(e) { return filter === "" || e.supervisor === filter || e.supervisor.indexOf(filter + "/") === 0; }
  function eventLi(e) {
    var li = document.createElement("li");
    li.innerHTML = "<span class='t' title='UTC'>" + esc(e.time) + "</span><span class='tag " + esc(e.tag) + "'>" + esc(e.tag) +
      "</span><span class='x' title='" + esc(e.text) + "'>" + esc(e.text) + "</span>";
    return li;
  }
  function flushEvents() {
    var list = $("events"), batch = pending; pending = [];
    var frag = document.createDocumentFragment();
    for (var i = batch.length - 1; i >= 0; i--) if (shown(batch[i])) frag.appendChild(eventLi(batch[i]));
    list.insertBefore(frag, list.firstChild);
    while (list.childNodes.length > MAX_EVENTS) list.removeChild(list.lastChild);
    $("evcount").textContent = events.length + " received";
  }
  function addEvents(es, live) {
    var changed = false;
    for (var i = 0; i < es.length; i++) {
      events.push(es[i]); pending.push(es[i]); addKnown(es[i].supervisor);
      if (live && patch(es[i])) changed = true;
    }
    if (changed) { flatten(); schedule(); }
    if (events.length > 5000) events.splice(0, events.length - 5000);
    if (pending.length === es.length) requestAnimationFrame(flushEvents);
  }
  $("filter").addEventListener("change", function () {
    filter = this.value; $("events").innerHTML = ""; pending = events.slice(-MAX_EVENTS); flushEvents();
  });
  $("find").addEventListener("input", function () { found = this.value; tree.scrollTop = 0; flatten(); render(); });
  $("collapse").addEventListener("click", function () {
    for (var i = 0; i < trees.length; i++) supervisors(trees[i], []).forEach(function (p) { collapsed[p] = true; });
    flatten(); render();
  });
  $("expand").addEventListener("click", function () { collapsed = {}; flatten(); render(); });

  function notice(text, ok) { var n = $("notice"); n.textContent = text; n.className = ok ? "ok" : "err"; n.title = text; }
  rows.addEventListener("click", function (ev) {
    var el = ev.target;
    if (el.dataset && el.dataset.tog !== undefined) {
      collapsed[el.dataset.tog] = !collapsed[el.dataset.tog]; flatten(); render(); return;
    }
    if (!el.dataset || !el.dataset.act) return;
    var body = { action: el.dataset.act, supervisor: el.dataset.sup, child: el.dataset.id,
      pid: el.dataset.pid === "" ? null : Number(el.dataset.pid) };
    fetch("action", { method: "POST", headers: { "content-type": "application/json", "x-observer-token": $("token").value },
      body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { notice(r.status + ": " + j.message, r.ok); }); })
      .catch(function (e) { notice(String(e), false); });
  });

  var source = new EventSource("events");
  source.addEventListener("open", function () { $("conn").className = "on"; });
  source.addEventListener("error", function () { $("conn").className = "off"; });
  source.addEventListener("hello", function (m) {
    actions = JSON.parse(m.data).actions; $("tokenbox").hidden = !actions;
    document.body.className = actions ? "acts" : ""; events = []; $("events").innerHTML = "";
  });
  source.addEventListener("snapshot", function (m) { applySnapshot(JSON.parse(m.data)); });
  source.addEventListener("events", function (m) { addEvents(JSON.parse(m.data)); });
  source.addEventListener("event", function (m) { addEvents([JSON.parse(m.data)], true); });
  source.addEventListener("patch", function (m) { applyPatch(JSON.parse(m.data)); });
})();
</script>
</body>
</html>
`
