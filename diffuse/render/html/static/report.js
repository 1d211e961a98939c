// diffuse report: filters for the grid and search for the practices. No remote scripts.
(function () {
  "use strict";
  function words(text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []);
  }
  var grid = document.getElementById("grid");
  if (grid) {
    var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
    var count = document.getElementById("shown");
    var apply = function () {
      var want = {};
      selects.forEach(function (s) { want[s.dataset.filter] = s.value; });
      var rows = grid.querySelectorAll("tbody tr"), shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var keep = ["practice", "phase", "health"].every(function (key) {
          return !want[key] || row.dataset[key] === want[key];
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      Array.prototype.forEach.call(grid.querySelectorAll("[data-region]"), function (el) {
        el.hidden = !!want.region && el.dataset.region !== want.region;
      });
      if (count) { count.textContent = shown + " of " + rows.length + " projects shown"; }
    };
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }
  var box = document.getElementById("search");
  if (box) {
    var entries = Array.prototype.slice.call(document.querySelectorAll("[data-text]"));
    var found = document.getElementById("found");
    var status = document.getElementById("status-filter");
    var run = function () {
      var query = words(box.value), wanted = status ? status.value : "", hits = 0;
      entries.forEach(function (entry) {
        var text = entry.dataset.text;
        var keep = query.every(function (w) { return text.indexOf(w) >= 0; }) &&
          (!wanted || entry.dataset.status === wanted);
        entry.hidden = !keep;
        if (keep) { hits += 1; }
      });
      found.textContent = hits + " of " + entries.length + " practices match";
    };
    box.addEventListener("input", run);
    if (status) { status.addEventListener("change", run); }
    run();
  }
}());
