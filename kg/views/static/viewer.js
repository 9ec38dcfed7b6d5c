/* painkg viewer: draws the precomputed layout (physics off), filters, search and the evidence panel.
   Data is read with JSON.parse and every text goes into the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("painkg-data").textContent);
  var entities = data.entities, assertions = data.assertions;
  var state = { systems: checkedValues("system"), species: checkedValues("species"), minRank: 0 };
  var assertionIds = Object.keys(assertions);
  var visibleNodes = new Set(data.nodes.map(function (n) { return n.id; }));
  var visibleEdges = new Set(data.edges.map(function (e) { return e.id; }));  /* drawn lines */
  var visibleAssertions = new Set(assertionIds);                               /* what they carry */
  var hasEdges = new Set();
  var byNode = {};
  assertionIds.forEach(function (k) {
    var a = assertions[k];
    hasEdges.add(a.from); hasEdges.add(a.to);
    (byNode[a.from] = byNode[a.from] || []).push(k);
    if (a.to !== a.from) { (byNode[a.to] = byNode[a.to] || []).push(k); }
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges.has(e.id); } });
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodeView, edges: edgeView }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: data.edges.length > 600, keyboard: false, multiselect: false },
    nodes: { borderWidth: 1.5, borderWidthSelected: 4, font: { face: "system-ui, sans-serif", color: "#222" } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.55 } }, selectionWidth: 2.5, hoverWidth: 1.5 }
  });
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-drawn", String(Math.round(performance.now())));
  });
  window.painkg = { network: network, data: data, focusNode: focusNode, visibleNodes: visibleNodes,
    visibleEdges: visibleEdges, visibleAssertions: visibleAssertions };

  function checkedValues(name) {
    var values = new Set();
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) { if (box.checked) { values.add(box.value); } });
    return values;
  }

  function systemShown(id) {
    var systems = (nodes.get(id) || {}).systems || [];
    if (!systems.length) { return state.systems.has(""); }
    return systems.some(function (s) { return state.systems.has(s); });
  }

  function assertionShown(a) {
    var speciesOk = !a.species.id || state.species.has(a.species.id);
    return a.grade_rank >= state.minRank && speciesOk && systemShown(a.from) && systemShown(a.to);
  }

  function applyFilters() {
    state.systems = checkedValues("system");
    state.species = checkedValues("species");
    state.minRank = Number(document.getElementById("filter-grade").value);
    visibleAssertions.clear();
    var touched = new Set();
    assertionIds.forEach(function (k) {
      var a = assertions[k];
      if (assertionShown(a)) { visibleAssertions.add(k); touched.add(a.from); touched.add(a.to); }
    });
    visibleEdges.clear();
    data.edges.forEach(function (e) {
      if (e.members.some(function (k) { return visibleAssertions.has(k); })) { visibleEdges.add(e.id); }
    });
    visibleNodes.clear();
    data.nodes.forEach(function (n) {
      if (systemShown(n.id) && (touched.has(n.id) || !hasEdges.has(n.id))) { visibleNodes.add(n.id); }
    });
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }

  function showCounts() {
    document.getElementById("node-count").textContent = String(visibleNodes.size);
    document.getElementById("edge-count").textContent = String(visibleAssertions.size);
    document.getElementById("line-count").textContent = String(visibleEdges.size);
    var filtered = visibleNodes.size < data.nodes.length || visibleAssertions.size < assertionIds.length;
    document.getElementById("count-note").textContent = filtered
      ? "(filtered from " + data.nodes.length + " nodes, " + assertionIds.length + " assertions)" : "";
  }

  document.querySelectorAll("#filters input, #filters select").forEach(function (control) {
    control.addEventListener("change", applyFilters);
  });

  /* ---------- search ---------- */
  var list = document.getElementById("labels");
  data.nodes.slice().sort(function (a, b) { return entities[a.id].label.localeCompare(entities[b.id].label); })
    .forEach(function (n) { var option = document.createElement("option"); option.value = entities[n.id].label; list.appendChild(option); });

  function findNode(text) {
    var query = text.trim().toLowerCase();
    if (!query) { return null; }
    var exact = data.nodes.filter(function (n) { return entities[n.id].label.toLowerCase() === query || n.id.toLowerCase() === query; });
    if (exact.length) { return exact[0].id; }
    var partial = data.nodes.filter(function (n) { return n.search.indexOf(query) >= 0; });
    return partial.length ? partial[0].id : null;
  }

  function focusNode(id) {
    var status = document.getElementById("search-status");
    if (!visibleNodes.has(id)) { status.textContent = "hidden by the filters"; showEntity(id); return; }
    status.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: false });
    showEntity(id);
  }

  function search() {
    var input = document.getElementById("search");
    var id = findNode(input.value);
    if (id === null) { document.getElementById("search-status").textContent = input.value.trim() ? "no match" : ""; return; }
    focusNode(id);
  }
  document.getElementById("search").addEventListener("change", search);
  document.getElementById("search").addEventListener("keydown", function (event) { if (event.key === "Enter") { search(); } });

  /* ---------- side panel, built with createElement/textContent only ---------- */
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function link(url, text) {
    if (!/^https?:\/\//.test(url)) { return element("span", text); }
    var a = element("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function reference(item) {
    var span = element("span");
    span.appendChild(element("span", item.id));
    item.links.forEach(function (l) { span.appendChild(document.createTextNode(" ")); span.appendChild(link(l.url, "[" + l.text + "]")); });
    if (item.name) { span.appendChild(element("span", " " + item.name, "muted")); }
    return span;
  }

  function row(list, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    list.appendChild(element("dt", term));
    var dd = element("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    list.appendChild(dd);
  }

  function many(items) {
    var span = element("span");
    items.forEach(function (item, i) { if (i) { span.appendChild(element("br")); } span.appendChild(reference(item)); });
    return items.length ? span : null;
  }

  function labelOf(id) { return entities[id] ? entities[id].label : id; }

  function assertionBlock(id) {
    var a = assertions[id];
    var box = element("div", null, "assertion");
    box.appendChild(element("div", labelOf(a.from) + " — " + a.predicate + " → " + labelOf(a.to), "claim"));
    var list = element("dl");
    var grade = element("span");
    grade.appendChild(element("span", a.grade, "grade"));
    grade.appendChild(element("span", " " + a.support, "support-" + a.support.replace(/ /g, "_")));
    row(list, "grade", grade);
    row(list, "species", a.species.id ? reference(a.species) : null);
    row(list, "evidence", a.evidence_type.id ? reference(a.evidence_type) : null);
    row(list, "value", a.quantity);
    ["stereoisomer", "direction", "model", "population", "dose", "route", "note"].forEach(function (key) { row(list, key, a[key]); });
    row(list, "publications", many(a.publications));
    row(list, "studies", many(a.studies));
    row(list, "source", a.source_file ? a.id + " (" + a.source_file + ")" : a.id);
    box.appendChild(list);
    return box;
  }

  function showEntity(id) {
    var e = entities[id];
    var panel = document.getElementById("details");
    panel.replaceChildren();
    panel.appendChild(element("h2", e.label));
    var list = element("dl");
    row(list, "category", e.category);
    row(list, "systems", e.systems.join(", "));
    row(list, "synonyms", e.synonyms.join(", "));
    row(list, "description", e.description);
    var ids = element("span");
    e.identifiers.forEach(function (item, i) { if (i) { ids.appendChild(element("br")); } ids.appendChild(reference(item)); });
    row(list, "identifiers", ids);
    panel.appendChild(list);
    var own = (byNode[id] || []).filter(function (k) { return visibleAssertions.has(k); });
    panel.appendChild(element("h3", "Assertions (" + own.length + ")"));
    own.forEach(function (k) { panel.appendChild(assertionBlock(k)); });
  }

  function showLine(id) {
    var line = edges.get(id);
    var own = line.members.filter(function (k) { return visibleAssertions.has(k); });
    var panel = document.getElementById("details");
    panel.replaceChildren();
    panel.appendChild(element("h2", labelOf(line.from) + " → " + labelOf(line.to)));
    panel.appendChild(element("h3", own.length === 1 ? "1 assertion" : own.length + " assertions"));
    own.forEach(function (k) { panel.appendChild(assertionBlock(k)); });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showEntity(params.nodes[0]); }
    else if (params.edges.length) { showLine(params.edges[0]); }
  });

  var shownFocus = data.focus.filter(function (id) { return visibleNodes.has(id); });
  if (shownFocus.length) { network.selectNodes(shownFocus); showEntity(shownFocus[0]); }
  showCounts();
}());
