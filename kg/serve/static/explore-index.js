/* Explorer start page: the outcome list follows the chosen drug; "Explore" opens the link the table gives for
   the pair, so the same page works on the server (explore?drug=...) and in the static site (explore/A--B.html). */
(function () {
  "use strict";
  var form = document.getElementById("explore-form");
  var drug = document.getElementById("explore-drug");
  var outcome = document.getElementById("explore-outcome");
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-drug][data-outcome]"));

  function fill() {
    outcome.replaceChildren();
    links.filter(function (a) { return a.getAttribute("data-drug") === drug.value; }).forEach(function (a) {
      var option = document.createElement("option");
      option.value = a.getAttribute("data-outcome");
      option.textContent = a.textContent;
      outcome.appendChild(option);
    });
  }

  drug.addEventListener("change", fill);
  form.addEventListener("submit", function (event) {
    var chosen = links.find(function (a) {
      return a.getAttribute("data-drug") === drug.value && a.getAttribute("data-outcome") === outcome.value;
    });
    if (chosen) { event.preventDefault(); window.location.href = chosen.href; }
  });
  fill();
}());
