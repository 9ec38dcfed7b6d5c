/* painkg SPARQL editor: CodeMirror with the SPARQL mode, the query library with its parameter forms, PREFIX lines
   added for the project's prefixes a query uses, results with IRIs shortened to CURIEs and linked to the entity
   pages, CSV / JSON downloads. Library queries run as /library/NAME?param=... (bound, never pasted into text). */
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("editor-data").textContent);
  var LIBRARY = page.library, PREFIXES = page.prefixes, ENDPOINT = page.endpoint;
  var root = document.body.getAttribute("data-root") || "";
  var picker = document.getElementById("library");
  var paramsBox = document.getElementById("params");
  var question = document.getElementById("question");
  var statusLine = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var pages = {};  /* CURIE -> link of its page, from the search index */
  (window.PAINKG_INDEX || []).forEach(function (entry) { pages[entry.i] = root + entry.u; });
  var byNamespace = Object.keys(PREFIXES).sort(function (a, b) { return PREFIXES[b].length - PREFIXES[a].length; });

  var editor = CodeMirror.fromTextArea(document.getElementById("query"), {
    mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
    extraKeys: { "Ctrl-Space": "autocomplete", "Ctrl-Enter": function () { runNow(); } },
    hintOptions: { hint: prefixHint, completeSingle: false }
  });
  window.painkgEditor = editor;

  /* ---------- prefixes ---------- */
  function prefixHint(cm) {
    var cursor = cm.getCursor(), line = cm.getLine(cursor.line);
    var start = cursor.ch;
    while (start > 0 && /[\w.\-]/.test(line.charAt(start - 1))) { start -= 1; }
    var typed = line.slice(start, cursor.ch).toLowerCase();
    var list = Object.keys(PREFIXES).filter(function (p) { return p.toLowerCase().indexOf(typed) === 0; })
      .map(function (p) { return { text: p + ":", displayText: p + ":  <" + PREFIXES[p] + ">" }; });
    return { list: list, from: CodeMirror.Pos(cursor.line, start), to: CodeMirror.Pos(cursor.line, cursor.ch) };
  }

  function declared(text) {
    var found = new Set(), re = /PREFIX\s+([A-Za-z][\w.\-]*)?:/gi, m;
    while ((m = re.exec(text)) !== null) { found.add(m[1] || ""); }
    return found;
  }

  /* Prefixed names outside IRIs, strings and comments whose prefix the query does not declare. */
  function missingPrefixes(text) {
    var bare = text.replace(/#[^\n]*/g, " ").replace(/<[^<>\s]*>/g, " ").replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ");
    var have = declared(text), need = [], re = /(^|[\s(){},;.\/\^|!])([A-Za-z][\w.\-]*):(?=[\w%])/g, m;
    while ((m = re.exec(bare)) !== null) {
      var prefix = m[2];
      if (PREFIXES[prefix] && !have.has(prefix) && need.indexOf(prefix) < 0) { need.push(prefix); }
    }
    return need;
  }

  function withPrefixes() {
    var need = missingPrefixes(editor.getValue());
    if (need.length) {
      editor.replaceRange(need.map(function (p) { return "PREFIX " + p + ": <" + PREFIXES[p] + ">\n"; }).join(""), CodeMirror.Pos(0, 0));
    }
    return need;
  }

  /* ---------- the library ---------- */
  LIBRARY.forEach(function (q) {
    var option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name + " — " + q.question;
    picker.appendChild(option);
  });

  function selected() { return LIBRARY.find(function (q) { return q.name === picker.value; }); }

  function choose() {
    var q = selected();
    paramsBox.replaceChildren();
    question.textContent = q ? q.question : "";
    if (!q) { return; }
    editor.setValue(q.text);
    q.params.forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + " (" + p.type + ") ";
      var input = document.createElement("input");
      input.name = p.name;
      input.value = p.default;
      input.placeholder = p.default ? "" : "optional";
      if (p.note) { input.title = p.note; }
      label.appendChild(input);
      paramsBox.appendChild(label);
    });
  }
  picker.addEventListener("change", choose);
  paramsBox.addEventListener("submit", function (event) { event.preventDefault(); runNow(); });

  /* ---------- results ---------- */
  function curie(iri) {
    for (var i = 0; i < byNamespace.length; i += 1) {
      var ns = PREFIXES[byNamespace[i]];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length) { return byNamespace[i] + ":" + iri.slice(ns.length); }
    }
    return null;
  }

  function pageOf(text) {
    if (pages[text]) { return pages[text]; }
    var assertion = /^painkg:assertion\/(.+)$/.exec(text);
    return assertion && pages[assertion[1]] ? pages[assertion[1]] : null;
  }

  function cell(binding) {
    var td = document.createElement("td");
    if (!binding) { return td; }
    if (binding.type === "uri") {
      var short = curie(binding.value), shown = short || binding.value, target = pageOf(shown);
      if (target) {
        var a = document.createElement("a");
        a.href = target;
        a.textContent = shown;
        a.title = binding.value;
        td.appendChild(a);
      } else { td.textContent = shown; td.title = binding.value; }
      td.className = "iri";
    } else {
      var page = pageOf(binding.value);  /* CURIE-valued text columns (identifiers) link too */
      if (page) { var link = document.createElement("a"); link.href = page; link.textContent = binding.value; td.appendChild(link); }
      else { td.textContent = binding.value; }
      if (binding.datatype && /#(decimal|integer|double|float)$/.test(binding.datatype)) { td.className = "n"; }
    }
    return td;
  }

  function showTable(data) {
    results.replaceChildren();
    if ("boolean" in data) { statusLine.textContent = "answer: " + data.boolean; return; }
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = table.createTBody();
    data.results.bindings.forEach(function (row) {
      var tr = body.insertRow();
      data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    results.appendChild(table);
    statusLine.textContent = data.results.bindings.length + (data.results.bindings.length === 1 ? " row" : " rows");
  }

  function request() {
    var q = selected();
    if (q && editor.getValue() === q.text) {
      var params = new URLSearchParams();
      paramsBox.querySelectorAll("input").forEach(function (input) { if (input.value) { params.set(input.name, input.value); } });
      return { url: ENDPOINT.library + encodeURIComponent(q.name), params: params, library: true };
    }
    return { url: ENDPOINT.sparql, params: new URLSearchParams({ query: editor.getValue() }), library: false };
  }

  function setDownloads(target) {
    ["csv", "json"].forEach(function (format) {
      var params = new URLSearchParams(target.params);
      params.set("format", format);
      document.getElementById("download-" + format).href = target.url + "?" + params.toString();
    });
    downloads.hidden = false;
  }

  function fail(text) {
    results.replaceChildren();
    statusLine.className = "error";
    statusLine.textContent = text;
    downloads.hidden = true;
  }

  async function run() {
    statusLine.className = "";
    var added = withPrefixes();
    statusLine.textContent = "running…";
    var target = request();
    var accept = { "Accept": "application/sparql-results+json" };
    var response = target.library
      ? await fetch(target.url + "?" + target.params.toString(), { headers: accept })
      : await fetch(target.url, { method: "POST", body: target.params,
          headers: Object.assign({ "Content-Type": "application/x-www-form-urlencoded" }, accept) });
    var text = await response.text();
    if (!response.ok) { fail(response.status + ": " + text); return; }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") < 0) {
      results.replaceChildren();
      var pre = document.createElement("pre");
      pre.textContent = text;
      results.appendChild(pre);
      statusLine.textContent = "graph result (" + type.split(";")[0] + ")";
    } else { showTable(JSON.parse(text)); }
    if (added.length) { statusLine.textContent += " · added PREFIX " + added.join(", "); }
    var truncated = response.headers.get("X-Painkg-Truncated");
    if (truncated) { statusLine.textContent += " (truncated: " + truncated + ")"; }
    setDownloads(target);
  }

  function runNow() {
    if (!ENDPOINT) { fail("This copy of the site has no SPARQL endpoint: start `kg serve` and open its /query page to run queries."); return; }
    run().catch(function (error) { fail(String(error)); });
  }

  document.getElementById("run").addEventListener("click", runNow);
  if (!ENDPOINT) { document.getElementById("endpoint-note").textContent = "static copy: queries run with `kg serve`"; }
}());
