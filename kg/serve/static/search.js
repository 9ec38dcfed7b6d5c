/* painkg search page: every match for ?q= (labels, synonyms, CURIEs), entities first. */
(function () {
  "use strict";
  var api = window.painkgSearch;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("search-query");
  var summary = document.getElementById("search-summary");
  var results = document.getElementById("search-results");
  box.value = query;
  if (!query.trim()) { summary.textContent = "Type a label, synonym or CURIE."; return; }
  var found = api.search(query);
  summary.textContent = found.length + (found.length === 1 ? " match" : " matches") + " for “" + query.trim() + "”";
  found.forEach(function (entry) {
    var item = api.element("li");
    item.appendChild(api.resultLink(entry, query.trim().toLowerCase()));
    results.appendChild(item);
  });
}());
