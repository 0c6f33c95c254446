// Page script of the graph_builder HTML view. All text from the data goes
// into the page through textContent, never as markup.
(function () {
  "use strict";

  const parseStart = performance.now();
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const parseMs = performance.now() - parseStart;
  const SHAPES = {
    dot: "circle(50%)",
    hexagon: "polygon(25% 6%, 75% 6%, 100% 50%, 75% 94%, 25% 94%, 0 50%)",
    diamond: "polygon(50% 0, 100% 50%, 50% 100%, 0 50%)",
    star: "polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)",
    triangle: "polygon(50% 0, 100% 100%, 0 100%)",
    square: "none",
  };

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // Nodes and lines without details (outside the overview of a big graph) come as compact rows: expanded here,
  // their tooltips made from what the rows say. The last `passing` rows are articles, with their MENTIONS.
  const ids = [...data.nodes.map((n) => n.id), ...data.index.map((row) => row[0])];
  const firstPassing = ids.length - data.passing;
  const compactNodes = data.index.map(([id, label, entity, value, aliases, span], i) => ({
    id, label, entity, value, aliases, span,
    color: data.style[entity][0], shape: data.style[entity][1], core: false, tip: null,
    mention: data.nodes.length + i >= firstPassing,
  }));
  const compactEdges = data.links.map(([i, j, rel, label, span]) => ({
    from: ids[i], to: ids[j], id: `${ids[i]}|${rel}|${ids[j]}`, rel, label, span, tip: null, mention: i >= firstPassing,
  }));
  const nodes = new vis.DataSet([...data.nodes, ...compactNodes]);
  const edges = new vis.DataSet([...data.edges, ...compactEdges]);
  const entityOf = new Map(nodes.get().map((n) => [n.id, n.entity]));
  const drawnCount = nodes.length - data.passing;
  // The overview the page opens on.
  const core = new Set(data.nodes.filter((n) => n.core).map((n) => n.id));
  const MAX_FOCUS = 200; // nodes drawn around a focus, the best connected first
  const neighbours = new Map();
  const mentionsOf = []; // [article, entity] of every passing mention
  for (const e of edges.get()) {
    if (e.mention) {
      mentionsOf.push([e.from, e.to]);
      continue;
    }
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
      if (!neighbours.has(a)) neighbours.set(a, []);
      neighbours.get(a).push(b);
    }
  }

  // Filters: entity types, one node's neighbourhood (else the overview), a date range, passing mentions.
  const state = { types: new Set(data.legend.map((l) => l.label)), around: null, from: "", to: "", mentions: false };
  let articlesShown = new Set();

  function inRange(span) {
    if (!span) return true;
    return !(state.from && span[1] < state.from) && !(state.to && span[0] > state.to);
  }

  function shownEntity(n) {
    return state.types.has(n.entity) && (state.around || core).has(n.id) && inRange(n.span);
  }

  // With the switch on: the articles that mention what is shown, those mentioning most of it first.
  function mentioning() {
    if (!state.mentions) return new Set();
    const count = new Map();
    for (const [a, x] of mentionsOf) {
      const n = nodes.get(x);
      if (n && shownEntity(n)) count.set(a, (count.get(a) || 0) + 1);
    }
    return new Set([...count.keys()].sort((a, b) => count.get(b) - count.get(a)).slice(0, MAX_FOCUS));
  }

  const nodeView = new vis.DataView(nodes, {
    filter: (n) => (n.mention ? articlesShown.has(n.id) : shownEntity(n)),
  });
  const edgeView = new vis.DataView(edges, {
    filter: (e) => inRange(e.span) && nodeView.get(e.from) !== null && nodeView.get(e.to) !== null,
  });

  // One step from the centre, stepping onto a Role post for free: the --focus rule at depth 1.
  function around(centre) {
    const dist = new Map([[centre, 0]]);
    const queue = [centre];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      for (const v of neighbours.get(u) || []) {
        const d = dist.get(u) + (entityOf.get(v) === "Role" ? 0 : 1);
        if (d <= 1 && !(dist.get(v) <= d)) {
          dist.set(v, d);
          queue.push(v);
        }
      }
    }
    const value = (id) => nodes.get(id).value;
    const near = [...dist.keys()].sort((a, b) => (b === centre) - (a === centre) || value(b) - value(a));
    return new Set(near.slice(0, MAX_FOCUS));
  }

  const status = document.getElementById("status");
  function apply() {
    const before = articlesShown;
    articlesShown = mentioning();
    nodeView.refresh();
    edgeView.refresh();
    placeArticles([...articlesShown].filter((a) => !before.has(a)));
    const lines = edgeView.get({ filter: (e) => e.mention }).length;
    const passing = articlesShown.size ? `, and ${articlesShown.size} articles with ${lines} mentions` : "";
    status.textContent =
      `Showing ${nodeView.length - articlesShown.size} of ${drawnCount} nodes, ` +
      `${edgeView.length - lines} of ${edges.length - mentionsOf.length} relationships${passing}`;
  }

  // An article the switch brings in sits beside the entities it mentions.
  function placeArticles(fresh) {
    if (!window.graphView || !fresh.length) return;
    const at = new Map();
    for (const [a, x] of mentionsOf) {
      if (!fresh.includes(a) || !network.body.nodes[x] || nodeView.get(x) === null) continue;
      const p = network.getPosition(x);
      const sum = at.get(a) || { x: 0, y: 0, n: 0 };
      at.set(a, { x: sum.x + p.x, y: sum.y + p.y, n: sum.n + 1 });
    }
    fresh.forEach((a, i) => {
      const sum = at.get(a);
      if (!sum || !network.body.nodes[a]) return;
      const angle = (2 * Math.PI * i) / fresh.length;
      network.moveNode(a, sum.x / sum.n + 70 * Math.cos(angle), sum.y / sum.n + 70 * Math.sin(angle));
    });
  }

  const network = new vis.Network(document.getElementById("network"), { nodes: nodeView, edges: edgeView }, data.options);
  window.graphView = { network, nodes, edges, nodeView, edgeView, ready: false, parseMs, ranked, choose, focusOn, showOverview, showMentions };
  let home = new Map(); // where the overview's nodes sit, to put them back after a focus moved them

  // Fit `ids`, then zoom in until the smallest person or organisation label among them is minLabelPx on screen.
  function fitReadable(ids) {
    network.fit({ nodes: ids, animation: false });
    let smallest = Infinity;
    for (const id of ids) {
      const body = network.body.nodes[id];
      const entity = entityOf.get(id);
      if (body && (entity === "Person" || entity === "Organisation")) smallest = Math.min(smallest, body.options.font.size);
    }
    const scale = data.minLabelPx / smallest;
    if (scale > network.getScale()) network.moveTo({ scale, animation: false });
  }

  function markReady() {
    home = new Map(Object.entries(network.getPositions()));
    fitReadable(nodeView.getIds());
    network.once("afterDrawing", () => {
      window.graphView.ready = true;
      window.graphView.readyMs = performance.now();
    });
    network.redraw();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    markReady();
  }

  // Run the force simulation over what is shown, then freeze it again.
  function settle() {
    return new Promise((resolve) => {
      network.once("stabilizationIterationsDone", () => {
        network.setOptions({ physics: { enabled: false } });
        resolve();
      });
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(300);
    });
  }

  function restoreHome() {
    for (const [id, p] of home) if (network.body.nodes[id]) network.moveNode(id, p.x, p.y);
  }

  // Show one node's neighbourhood; nodes outside the overview are placed next to it and settled by physics.
  async function focusOn(id) {
    restoreHome();
    state.around = around(id);
    apply();
    const fresh = [...state.around].filter((n) => !home.has(n) && network.body.nodes[n]);
    if (fresh.length) {
      const centre = network.getPosition(id);
      const radius = 40 * Math.sqrt(fresh.length) + 60;
      fresh.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / fresh.length;
        if (n !== id) network.moveNode(n, centre.x + radius * Math.cos(angle), centre.y + radius * Math.sin(angle));
      });
      await settle();
    }
    fitReadable(nodeView.getIds());
  }

  function showOverview() {
    state.around = null;
    apply();
    restoreHome();
    fitReadable(nodeView.getIds());
  }

  // Legend doubling as the type filter.
  const types = document.getElementById("types");
  for (const item of data.legend) {
    const row = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = item.label;
    box.addEventListener("change", () => {
      if (box.checked) state.types.add(item.label);
      else state.types.delete(item.label);
      apply();
    });
    const swatch = el("span", null, "swatch");
    swatch.style.background = item.colour;
    swatch.style.clipPath = SHAPES[item.shape] || "none";
    row.append(box, swatch, el("span", item.plural[0].toUpperCase() + item.plural.slice(1)), el("span", item.count, "count"));
    types.append(row);
  }

  const org = document.getElementById("org");
  for (const [name, id] of data.organisations) {
    const option = el("option", name);
    option.value = id;
    org.append(option);
  }
  org.addEventListener("change", () => (org.value ? focusOn(org.value) : showOverview()));

  const from = document.getElementById("from");
  const to = document.getElementById("to");
  if (data.dates) {
    document.getElementById("dates").hidden = false;
    for (const input of [from, to]) {
      input.min = data.dates[0];
      input.max = data.dates[1];
      input.addEventListener("change", () => {
        state.from = from.value;
        state.to = to.value;
        apply();
      });
    }
  }

  // The switch for passing mentions: articles, and the entities they name, hung off them by MENTIONS.
  const mentionsBox = document.getElementById("mentions");
  function showMentions(on) {
    mentionsBox.checked = state.mentions = on;
    apply();
  }
  if (data.passing) {
    document.getElementById("passing").hidden = false;
    mentionsBox.addEventListener("change", () => showMentions(mentionsBox.checked));
  }
  const detailed = data.nodes.length;
  const count = (n) => n.toLocaleString("en");
  const notes = [];
  if (detailed < drawnCount) {
    notes.push(`Sentences and sources are in the tooltips of the ${count(detailed)} nodes of the overview; ` +
      `${count(drawnCount - detailed)} more are in the page without them (name, type and links only). ` +
      "`graph-builder view --full` writes a page with every detail.");
  }
  if (data.omitted) {
    notes.push(`Search and focus reach the ${count(drawnCount)} best-connected nodes; the other ` +
      `${count(data.omitted)} are drawn by \`graph-builder view --focus NAME\` (or --full).`);
  }
  if (notes.length) {
    const note = document.getElementById("detail");
    note.hidden = false;
    note.textContent = notes.join(" ");
  }

  function clearFilters() {
    state.types = new Set(data.legend.map((l) => l.label));
    state.from = state.to = "";
    for (const box of types.querySelectorAll("input")) box.checked = true;
    org.value = from.value = to.value = "";
  }
  document.getElementById("reset").addEventListener("click", () => {
    clearFilters();
    showOverview();
  });

  // Search over every node, not only the drawn ones: people and organisations first, then events and
  // places, then posts; within a group exact names, then names starting with the text, then words
  // starting with it, then any name containing it; then the best connected.
  const GROUP = { Person: 0, Organisation: 0, Event: 1, Place: 1, Role: 2, Article: 3 };
  const fold = (text) => String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const keys = nodes.get({ filter: (n) => !n.mention }).map((n) => [n, [n.label, ...(n.aliases || [])].map(fold)]);

  function ranked(query, limit = 10) {
    const q = fold(query.trim());
    if (!q) return [];
    const hits = [];
    for (const [n, names] of keys) {
      let quality = 4;
      for (const name of names) {
        if (name === q) quality = 0;
        else if (name.startsWith(q)) quality = Math.min(quality, 1);
        else if (name.includes(` ${q}`)) quality = Math.min(quality, 2);
        else if (name.includes(q)) quality = Math.min(quality, 3);
      }
      if (quality < 4) hits.push([GROUP[n.entity] ?? 4, quality, -n.value, n.label, n.id]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0));
    return hits.slice(0, limit).map((h) => h[4]);
  }

  const search = document.getElementById("search");
  const results = document.getElementById("results");

  async function choose(id) {
    results.replaceChildren();
    if (nodeView.get(id) === null) {
      clearFilters(); // a type or date filter may be what hides it
      await focusOn(id);
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    status.textContent = `Found ${nodes.get(id).label}`;
  }

  function suggest() {
    results.replaceChildren();
    for (const id of ranked(search.value)) {
      const n = nodes.get(id);
      const item = el("button", n.label);
      item.type = "button";
      item.dataset.id = id;
      item.append(el("span", n.entity === "Role" ? "post" : n.entity.toLowerCase(), "kind"));
      item.addEventListener("click", () => choose(id));
      const row = el("li");
      row.append(item);
      results.append(row);
    }
  }
  search.addEventListener("input", suggest);
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const [best] = ranked(search.value, 1);
    if (best === undefined) status.textContent = `Nothing called "${search.value.trim()}"`;
    else choose(best);
  });

  // Tooltips: built from plain text, shown on hover, kept open by a click.
  const tip = document.getElementById("tip");
  let pinned = false;

  function fill(t) {
    tip.replaceChildren(el("div", t.head, "head"), el("div", t.sub, "sub"));
    for (const [key, value] of t.rows || []) {
      const row = el("div");
      row.append(el("span", `${key}: `, "key"), el("span", value));
      tip.append(row);
    }
    for (const [sentence, source] of t.quotes || []) {
      const quote = el("blockquote", `\u201c${sentence}\u201d`);
      quote.append(el("cite", source));
      tip.append(quote);
    }
    if (t.list && t.list.length) {
      tip.append(el("div", t.listHead, "list-head"));
      const list = el("ul");
      for (const item of t.list) list.append(el("li", item));
      tip.append(list);
    }
    if (t.more) tip.append(el("div", `and ${t.more} more`, "sub"));
    if (t.note) tip.append(el("div", t.note, "sub"));
  }

  const NO_DETAIL = "Its sentences and sources: graph-builder view --full, or --focus with its id.";
  // The tooltip of a node or line that came without one: what its compact row says.
  function tipOf(item) {
    if (item.tip) return item.tip;
    if (item.from !== undefined) {
      const name = (id) => nodes.get(id).label;
      return { head: `${name(item.from)} \u2192 ${name(item.to)}`, sub: item.rel, rows: item.label ? [["Shown as", item.label]] : [], note: NO_DETAIL };
    }
    const rows = item.aliases && item.aliases.length ? [["Also known as", item.aliases.join(", ")]] : [];
    rows.push(["Id", item.id]);
    return { head: item.label, sub: item.entity, rows, note: item.mention ? "" : NO_DETAIL };
  }

  function show(item, event) {
    if (!item) return;
    fill(tipOf(item));
    tip.hidden = false;
    const source = event && event.srcEvent ? event.srcEvent : event;
    const x = source && source.clientX !== undefined ? source.clientX : window.innerWidth / 2;
    const y = source && source.clientY !== undefined ? source.clientY : window.innerHeight / 2;
    const box = tip.getBoundingClientRect();
    tip.style.left = `${Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 8))}px`;
    tip.style.top = `${Math.max(4, Math.min(y + 14, window.innerHeight - box.height - 8))}px`;
  }

  function hide() {
    if (!pinned) tip.hidden = true;
  }

  network.on("hoverNode", (p) => pinned || show(nodes.get(p.node), p.event));
  network.on("hoverEdge", (p) => pinned || show(edges.get(p.edge), p.event));
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", () => {
    pinned = false;
    hide();
  });
  network.on("click", (p) => {
    pinned = false;
    if (p.nodes.length) show(nodes.get(p.nodes[0]), p.event);
    else if (p.edges.length) show(edges.get(p.edges[0]), p.event);
    else return hide();
    pinned = true;
  });

  apply();
})();
