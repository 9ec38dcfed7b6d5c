/* painkg site: the search box in every page's header suggests entities, studies, publications and assertions
   from window.PAINKG_INDEX (static/search-index.js) as the user types. Text goes in with textContent only. */
(function () {
  "use strict";
  var KIND_ORDER = { entity: 0, study: 1, reference: 2, assertion: 3 };
  var KIND_NAMES = { entity: "entity", study: "study", reference: "publication", assertion: "assertion" };

  function root() { return document.body.getAttribute("data-root") || ""; }

  /* Score a match: lower is better; null when the entry does not match. */
  function score(entry, query) {
    var at = entry.s.indexOf(query);
    if (at < 0) { return null; }
    var label = entry.l.toLowerCase();
    var rank = KIND_ORDER[entry.k] * 10;
    if (label === query || entry.i.toLowerCase() === query) { return rank; }
    if (label.indexOf(query) === 0) { return rank + 1; }
    if (label.indexOf(query) >= 0) { return rank + 2; }
    return rank + 3;
  }

  function search(text, limit) {
    var query = text.trim().toLowerCase();
    if (!query || !window.PAINKG_INDEX) { return []; }
    var found = [];
    window.PAINKG_INDEX.forEach(function (entry) {
      var s = score(entry, query);
      if (s !== null) { found.push({ entry: entry, score: s }); }
    });
    found.sort(function (a, b) { return a.score - b.score || a.entry.l.length - b.entry.l.length || a.entry.l.localeCompare(b.entry.l); });
    return found.slice(0, limit || found.length).map(function (f) { return f.entry; });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  /* One result as a link: label, kind and id, the names that matched. */
  function resultLink(entry, query) {
    var a = element("a", null, "result kind-" + entry.k);
    a.href = root() + entry.u;
    a.appendChild(element("span", entry.l, "label"));
    a.appendChild(element("span", KIND_NAMES[entry.k] + " · " + entry.i + (entry.d ? " · " + entry.d : ""), "detail"));
    var other = entry.n.filter(function (n) { return n.toLowerCase().indexOf(query) >= 0; });
    if (other.length) { a.appendChild(element("span", "also: " + other.slice(0, 3).join(", "), "names")); }
    return a;
  }

  window.painkgSearch = { search: search, resultLink: resultLink, element: element };

  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list) { return; }
  var active = -1;

  function show() {
    var query = input.value.trim().toLowerCase();
    var found = search(query, 8);
    list.replaceChildren();
    active = -1;
    found.forEach(function (entry) {
      var item = element("li");
      item.setAttribute("role", "option");
      item.appendChild(resultLink(entry, query));
      list.appendChild(item);
    });
    list.hidden = found.length === 0;
  }

  function move(step) {
    var items = list.querySelectorAll("li");
    if (!items.length) { return; }
    active = (active + step + items.length) % items.length;
    items.forEach(function (item, i) { item.classList.toggle("active", i === active); });
  }

  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("li a")[active].href;
    } else if (event.key === "Escape") { list.hidden = true; }
  });
  document.addEventListener("click", function (event) { if (!list.contains(event.target) && event.target !== input) { list.hidden = true; } });
}());
