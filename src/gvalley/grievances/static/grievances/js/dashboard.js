// Charts of the requests dashboard, drawn from the JSON the server rendered (json_script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.gvCharts) return;
    var c = window.gvCharts;
    // Canvas text does not inherit the page font: use the page's (Pretendard, with Korean glyphs).
    if (window.Chart) window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    var d = c.data("requests-chart-data");
    if (!d) return;
    var p = c.palette;
    // Flows of the month as bars; the stock at the end of the month (open, overdue) as lines.
    c.bar("chart-time", d.periods, [
      { label: d.labels.received, data: d.received, backgroundColor: p[0], order: 2 },
      { label: d.labels.answered, data: d.answered, backgroundColor: p[2], order: 2 },
      { label: d.labels.closed, data: d.closed, backgroundColor: p[5], order: 2 },
      { type: "line", label: d.labels.open_end, data: d.open, borderColor: p[3], backgroundColor: p[3], order: 1 },
      { type: "line", label: d.labels.overdue_end, data: d.overdue, borderColor: "#b3261e", backgroundColor: "#b3261e", borderDash: [6, 4], order: 1 }
    ], { options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    c.bar("chart-org", d.org_labels, [
      { label: d.labels.open, data: d.org_open, backgroundColor: p[4] },
      { label: d.labels.overdue, data: d.org_overdue, backgroundColor: "#b3261e" },
      { label: d.labels.answered, data: d.org_answered, backgroundColor: p[2] }
    ], { options: { indexAxis: "y" } });
    c.bar("chart-sat", d.sat_labels, [
      { label: d.labels.satisfaction, data: d.sat_values, backgroundColor: p[1] }
    ], { options: { indexAxis: "y", scales: { x: { min: 0, max: 5 } } } });
  });
})();
