// Page script of the graph_builder HTML view. All text from the data goes
// into the page through textContent, never as markup.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("graph-data").textContent);
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

  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const entityOf = new Map(data.nodes.map((n) => [n.id, n.entity]));
  const neighbours = new Map();
  for (const e of data.edges) {
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
      if (!neighbours.has(a)) neighbours.set(a, []);
      neighbours.get(a).push(b);
    }
  }

  // Filters: entity types, one organisation's neighbourhood, a date range.
  const state = { types: new Set(data.legend.map((l) => l.label)), around: null, from: "", to: "" };

  function inRange(span) {
    if (!span) return true;
    return !(state.from && span[1] < state.from) && !(state.to && span[0] > state.to);
  }

  const nodeView = new vis.DataView(nodes, {
    filter: (n) => state.types.has(n.entity) && (!state.around || state.around.has(n.id)) && inRange(n.span),
  });
  const edgeView = new vis.DataView(edges, {
    filter: (e) => inRange(e.span) && nodeView.get(e.from) !== null && nodeView.get(e.to) !== null,
  });

  // One step from the centre, stepping onto a Role post for free: the --focus rule at depth 1.
  function around(centre) {
    const dist = new Map([[centre, 0]]);
    const queue = [centre];
    while (queue.length) {
      const u = queue.shift();
      for (const v of neighbours.get(u) || []) {
        const d = dist.get(u) + (entityOf.get(v) === "Role" ? 0 : 1);
        if (d <= 1 && !(dist.get(v) <= d)) {
          dist.set(v, d);
          queue.push(v);
        }
      }
    }
    return new Set(dist.keys());
  }

  const status = document.getElementById("status");
  function apply() {
    nodeView.refresh();
    edgeView.refresh();
    status.textContent = `Showing ${nodeView.length} of ${nodes.length} nodes, ${edgeView.length} of ${edges.length} relationships`;
  }

  const network = new vis.Network(document.getElementById("network"), { nodes: nodeView, edges: edgeView }, data.options);
  window.graphView = { network, nodes, edges, nodeView, edgeView, ready: false };

  function markReady() {
    network.once("afterDrawing", () => {
      window.graphView.ready = true;
      window.graphView.readyMs = performance.now();
    });
    network.redraw();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: false });
      markReady();
    });
  } else {
    markReady();
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
  org.addEventListener("change", () => {
    state.around = org.value ? around(org.value) : null;
    apply();
    if (org.value) network.fit({ nodes: nodeView.getIds(), animation: { duration: 400 } });
  });

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

  function reset() {
    state.types = new Set(data.legend.map((l) => l.label));
    state.around = null;
    state.from = state.to = "";
    for (const box of types.querySelectorAll("input")) box.checked = true;
    org.value = from.value = to.value = "";
    apply();
  }
  document.getElementById("reset").addEventListener("click", () => {
    reset();
    network.fit({ animation: { duration: 400 } });
  });

  // Search: exact name or alias first, then the first name containing the text.
  const byName = new Map();
  for (const n of data.nodes) {
    for (const name of [n.label, ...(n.aliases || [])]) {
      const key = String(name).toLowerCase();
      if (!byName.has(key)) byName.set(key, n.id);
    }
  }
  const names = document.getElementById("names");
  for (const name of [...new Set(data.nodes.map((n) => n.label))].sort()) names.append(el("option", name));
  const search = document.getElementById("search");
  function find() {
    const query = search.value.trim().toLowerCase();
    if (!query) return;
    let id = byName.get(query);
    if (id === undefined) {
      for (const [key, value] of byName) {
        if (key.includes(query)) {
          id = value;
          break;
        }
      }
    }
    if (id === undefined) {
      status.textContent = `Nothing called "${search.value.trim()}"`;
      return;
    }
    if (nodeView.get(id) === null) reset();
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 500 } });
    status.textContent = `Found ${nodes.get(id).label}`;
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") find();
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
  }

  function show(item, event) {
    if (!item) return;
    fill(item.tip);
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
