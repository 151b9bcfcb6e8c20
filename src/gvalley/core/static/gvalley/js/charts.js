// Draws the charts of a page from the JSON data block the server rendered (json_script); no inline script.
(function () {
  "use strict";
  var palette = ["#0b50d0", "#1c589c", "#86aff9", "#063a74", "#4c87f6", "#90b0d5", "#256ef4", "#6b96c7", "#083891", "#b1cefb", "#8a949e"];
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function bar(canvasId, labels, datasets, opts) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !window.Chart) return;
    // Chart text is drawn on a canvas, which does not inherit the page's font: use the bundled Korean font.
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new window.Chart(canvas, {
      type: (opts && opts.type) || "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, (opts && opts.options) || {})
    });
  }
  window.gvCharts = { bar: bar, data: data, palette: palette };
  document.addEventListener("DOMContentLoaded", function () {
    var d = data("stats-chart-data");
    if (!d) return;
    bar("chart-complex", d.complexes, [
      { label: d.labels.companies, data: d.companies, backgroundColor: palette[0], yAxisID: "y" },
      { label: d.labels.employees, data: d.employees, backgroundColor: palette[2], yAxisID: "y1" }
    ], { options: { scales: { y: { position: "left" }, y1: { position: "right", grid: { drawOnChartArea: false } } } } });
    bar("chart-kic", d.kic_labels, [{ label: d.labels.kic, data: d.kic_values, backgroundColor: [palette[0], palette[4], palette[10]] }], { type: "doughnut" });
    bar("chart-industry", d.industry_labels, [{ label: d.labels.companies, data: d.industry_values, backgroundColor: palette }], { options: { indexAxis: "y" } });
  });
})();
