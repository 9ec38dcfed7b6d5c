/* painkg mechanism explorer: the viewer's filters (systems, grade, species) on the drawn paths and their evidence,
   and highlighting: a path row lights its boxes and lines; a line scrolls the evidence panel to its hop. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explore-data").textContent);
  if (!data.paths.length) { return; }
  var svg = document.getElementById("diagram");

  function byAttribute(selector, name) {
    var map = {};
    document.querySelectorAll(selector).forEach(function (el) { (map[el.getAttribute(name)] = map[el.getAttribute(name)] || []).push(el); });
    return map;
  }
  var hopLines = byAttribute("#diagram g.hop", "data-hop");
  var nodeBoxes = byAttribute("#diagram a.node", "data-node");
  var hopSections = byAttribute("section.hop-evidence", "data-hop");
  var pathRows = byAttribute("tr[data-path]", "data-path");
  var evidenceRows = document.querySelectorAll("tr[data-assertion]");

  function checked(name) {
    var values = new Set();
    document.querySelectorAll('#filters input[name="' + name + '"]').forEach(function (box) { if (box.checked) { values.add(box.value); } });
    return values;
  }

  function preset() {
    var p = data.preset || {};
    if (p.min_grade) { document.getElementById("filter-grade").value = String(p.min_grade); }
    if (p.species) {
      document.querySelectorAll('#filters input[name="species"]').forEach(function (box) { box.checked = p.species.indexOf(box.value) >= 0; });
    }
    if (p.systems) {
      document.querySelectorAll('#filters input[name="system"]').forEach(function (box) { box.checked = p.systems.indexOf(box.value) >= 0; });
    }
  }

  function apply() {
    var minRank = Number(document.getElementById("filter-grade").value);
    var species = checked("species"), systems = checked("system");
    var evidenceShown = function (e) { return e.rank >= minRank && species.has(e.species); };
    var hopShown = function (key) { return data.hops[key].some(function (e) { return e.support !== "refutes" && evidenceShown(e); }); };
    var nodeShown = function (id) {
      var own = data.systems[id] || [];
      return own.length ? own.some(function (s) { return systems.has(s); }) : systems.has("");
    };
    var hops = new Set(), nodes = new Set(), paths = 0;
    data.paths.forEach(function (path) {
      var inner = path.nodes.slice(1, -1);  /* the drug and the outcome stay whatever their systems */
      var shown = path.hops.every(hopShown) && inner.every(nodeShown);
      (pathRows[path.id] || []).forEach(function (row) { row.hidden = !shown; });
      if (!shown) { return; }
      paths += 1;
      path.hops.forEach(function (h) { hops.add(h); });
      path.nodes.forEach(function (n) { nodes.add(n); });
    });
    Object.keys(hopLines).forEach(function (k) { hopLines[k].forEach(function (el) { el.classList.toggle("filtered", !hops.has(k)); }); });
    Object.keys(nodeBoxes).forEach(function (k) { nodeBoxes[k].forEach(function (el) { el.classList.toggle("filtered", !nodes.has(k)); }); });
    Object.keys(hopSections).forEach(function (k) { hopSections[k].forEach(function (el) { el.hidden = !hops.has(k); }); });
    var ranks = {};
    Object.keys(data.hops).forEach(function (k) { data.hops[k].forEach(function (e) { ranks[e.id] = e; }); });
    evidenceRows.forEach(function (row) { row.hidden = !evidenceShown(ranks[row.getAttribute("data-assertion")]); });
    document.getElementById("path-count").textContent = String(paths);
    document.body.setAttribute("data-visible-paths", String(paths));
  }

  function light(path) {
    svg.classList.toggle("dimmed", Boolean(path));
    document.querySelectorAll("#diagram .lit").forEach(function (el) { el.classList.remove("lit"); });
    if (!path) { return; }
    path.hops.forEach(function (h) { (hopLines[h] || []).forEach(function (el) { el.classList.add("lit"); }); });
    path.nodes.forEach(function (n) { (nodeBoxes[n] || []).forEach(function (el) { el.classList.add("lit"); }); });
  }

  function showHop(key) {
    document.querySelectorAll("section.hop-evidence.current").forEach(function (el) { el.classList.remove("current"); });
    (hopSections[key] || []).forEach(function (el) { el.classList.add("current"); el.scrollIntoView({ block: "nearest" }); });
  }

  data.paths.forEach(function (path) {
    (pathRows[path.id] || []).forEach(function (row) {
      row.addEventListener("mouseenter", function () { light(path); });
      row.addEventListener("mouseleave", function () { light(null); });
    });
  });
  Object.keys(hopLines).forEach(function (key) {
    hopLines[key].forEach(function (el) {
      el.addEventListener("click", function () { showHop(key); });
      el.addEventListener("keydown", function (event) { if (event.key === "Enter") { showHop(key); } });
    });
  });
  document.querySelectorAll("#filters input, #filters select").forEach(function (control) { control.addEventListener("change", apply); });
  preset();
  apply();
}());
