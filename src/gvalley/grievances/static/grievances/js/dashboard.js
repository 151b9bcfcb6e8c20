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
    c.bar("chart-time", d.periods, [
      { label: d.labels.received, data: d.received, backgroundColor: p[0] },
      { label: d.labels.answered, data: d.answered, backgroundColor: p[2] }
    ]);
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
