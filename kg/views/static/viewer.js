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
    groups.releaseAll();  /* vis drops boxes whose members leave the view: open them first, close them after */
    nodeView.refresh();
    edgeView.refresh();
    groups.regroup();
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
    groups.reveal(id);
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

  function labelOf(id) { return entities[id] ? entities[id].label : groups.name(id); }

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
    var page = (data.links.entities || {})[id];
    if (page) { var a = element("a", "Open the page of " + e.label + " →", "page-link"); a.href = page; panel.appendChild(a); }
    groups.closeButton(panel, id);
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
    var ends = network.getConnectedNodes(id);
    var lines = edges.get(id) ? [edges.get(id)] : network.getBaseEdges(id).map(function (b) { return edges.get(b); });
    var own = [];
    lines.forEach(function (line) { line.members.forEach(function (k) { if (visibleAssertions.has(k)) { own.push(k); } }); });
    var panel = document.getElementById("details");
    panel.replaceChildren();
    panel.appendChild(element("h2", labelOf(ends[0]) + " → " + labelOf(ends[1])));
    panel.appendChild(element("h3", own.length === 1 ? "1 assertion" : own.length + " assertions"));
    own.forEach(function (k) { panel.appendChild(assertionBlock(k)); });
  }

  network.on("click", function (params) {
    if (params.nodes.length && groups.isBox(params.nodes[0])) { groups.open(params.nodes[0]); }
    else if (params.nodes.length) { showEntity(params.nodes[0]); }
    else if (params.edges.length) { showLine(params.edges[0]); }
  });

  /* ---------- systems drawn as boxes that open on click (the grouped whole graph) ---------- */
  function systemGroups() {
    var CLOSED_HEIGHT = 64, GAP = 26, OPEN_PADDING = 80;
    var list = data.groups || [];
    var byId = {}, groupOf = {}, opened = new Set(), boxes = new Set();  /* boxes: systems drawn closed now */
    list.forEach(function (g) { byId[g.id] = g; g.members.forEach(function (m) { groupOf[m.id] = g; }); });

    function shown(g) { return g.members.filter(function (m) { return visibleNodes.has(m.id); }); }

    /* Where everything in the middle goes: closed systems as one box, open ones as their members, stacked. */
    function stack() {
      var units = list.filter(function (g) { return shown(g).length; });
      var heights = units.map(function (g) { return opened.has(g.id) ? g.height + OPEN_PADDING : CLOSED_HEIGHT; });
      var top = -(heights.reduce(function (a, b) { return a + b; }, 0) + GAP * (units.length - 1)) / 2;
      var places = {};
      units.forEach(function (g, i) {
        if (opened.has(g.id)) { g.members.forEach(function (m) { places[m.id] = { x: m.dx, y: top + m.dy + OPEN_PADDING / 2 }; }); }
        else { places[g.id] = { x: 0, y: top + heights[i] / 2 }; }
        top += heights[i] + GAP;
      });
      return places;
    }

    function close(g, places) {
      var members = new Set(shown(g).map(function (m) { return m.id; }));
      if (!members.size) { return; }
      network.cluster({
        joinCondition: function (options) { return members.has(options.id); },
        clusterNodeProperties: {
          id: g.id, label: g.name + "\n" + g.summary, shape: "box", x: places[g.id].x, y: places[g.id].y,
          allowSingleNodeCluster: true, margin: 14, borderWidth: 1, shapeProperties: { borderRadius: 8 },
          color: { background: g.colour, border: "#2b2b2b", highlight: { background: g.colour, border: "#000" },
                   hover: { background: g.colour, border: "#000" } },
          font: { color: "#ffffff", size: 24, face: "system-ui, sans-serif", strokeWidth: 0 }
        },
        clusterEdgeProperties: { color: { color: "#8a94a6", opacity: 0.7 }, dashes: false, width: 2,
                                 smooth: { enabled: true, type: "curvedCW", roundness: 0.18 } }
      });
      boxes.add(g.id);
    }

    function release(id, options) {
      if (boxes.has(id) && network.body.nodes[id] !== undefined) { network.openCluster(id, options); }
      boxes.delete(id);
    }

    function layout() {
      var places = stack();
      Object.keys(places).forEach(function (id) {
        if (network.body.nodes[id] !== undefined) { network.moveNode(id, places[id].x, places[id].y); }
      });
      return places;
    }

    /* Open every box, then close the ones that should be closed, with the visible members only. */
    function regroup() {
      if (!list.length) { return; }
      list.forEach(function (g) { release(g.id); });
      var places = stack();
      list.forEach(function (g) { if (!opened.has(g.id)) { close(g, places); } });
      layout();
      network.redraw();
    }

    function open(id) {
      var g = byId[id];
      if (!g) { return; }
      opened.add(id);
      var places = stack();
      release(id, { releaseFunction: function () { return places; } });
      layout();
      network.fit({ nodes: g.members.map(function (m) { return m.id; }).filter(function (n) { return visibleNodes.has(n); }),
                    animation: false });
      network.moveTo({ scale: network.getScale() * 0.7, animation: false });  /* the system with what it links to */
      showGroup(g);
    }

    function shut(id) {
      var g = byId[id];
      if (!g || !opened.has(id)) { return; }
      opened.delete(id);
      var places = stack();
      close(g, places);
      layout();
      network.redraw();
    }

    function showGroup(g) {
      var panel = document.getElementById("details");
      panel.replaceChildren();
      panel.appendChild(element("h2", g.name));
      panel.appendChild(element("p", g.summary, "muted"));
      var button = element("button", "Close this system");
      button.type = "button";
      button.addEventListener("click", function () { shut(g.id); panel.replaceChildren(element("p", "Click a node or an edge to see its identifiers and evidence.", "hint")); });
      panel.appendChild(button);
      var items = element("ul");
      shown(g).forEach(function (m) {
        var item = element("li");
        var pick = element("a", labelOf(m.id));
        pick.href = "#";
        pick.addEventListener("click", function (event) { event.preventDefault(); focusNode(m.id); });
        item.appendChild(pick);
        items.appendChild(item);
      });
      panel.appendChild(items);
    }

    return {
      list: list, opened: opened, regroup: regroup, open: open, shut: shut,
      isBox: function (id) { return boxes.has(id); },
      releaseAll: function () { list.forEach(function (g) { release(g.id); }); },
      reveal: function (id) { var g = groupOf[id]; if (g && !opened.has(g.id)) { open(g.id); } },
      name: function (id) { return byId[id] ? byId[id].name : id; },
      closeButton: function (panel, id) {
        var g = groupOf[id];
        if (!g || !opened.has(g.id)) { return; }
        var button = element("button", "Close " + g.name);
        button.type = "button";
        button.addEventListener("click", function () { shut(g.id); });
        panel.appendChild(button);
      },
      openAll: function () { list.forEach(function (g) { opened.add(g.id); }); regroup(); network.fit({ animation: false }); },
      closeAll: function () { opened.clear(); regroup(); network.fit({ animation: false }); }
    };
  }

  var groups = systemGroups();
  if (groups.list.length) {
    groups.regroup();
    network.fit({ animation: false });
    document.getElementById("open-all").addEventListener("click", groups.openAll);
    document.getElementById("close-all").addEventListener("click", groups.closeAll);
    var focusOn = network.focus.bind(network);  /* focusing a node inside a closed system opens the system */
    network.focus = function (id, options) { groups.reveal(id); return focusOn(id, options); };
  }
  window.painkg.groups = groups;

  var shownFocus = data.focus.filter(function (id) { return visibleNodes.has(id); });
  if (shownFocus.length) { network.selectNodes(shownFocus); showEntity(shownFocus[0]); }
  showCounts();
}());
