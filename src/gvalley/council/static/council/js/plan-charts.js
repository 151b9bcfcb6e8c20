// Yearly plan: target against actual per indicator, one bar chart per year (data from json_script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.gvCharts) return;
    var d = window.gvCharts.data("plan-chart-data");
    if (!d) return;
    var palette = window.gvCharts.palette;
    d.years.forEach(function (year) {
      window.gvCharts.bar(year.id, year.labels, [
        { label: d.labels.target, data: year.target, backgroundColor: palette[2] },
        { label: d.labels.actual, data: year.actual.map(function (v) { return v === null ? 0 : v; }), backgroundColor: palette[0] }
      ], { options: { indexAxis: "y", scales: { x: { beginAtZero: true } } } });
    });
  });
})();
