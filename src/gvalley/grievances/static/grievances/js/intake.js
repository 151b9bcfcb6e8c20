// The intake form: clicking the schematic map fills in the map position fields (keyboard users type them).
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  onReady(function () {
    var map = document.getElementById("gv-map");
    var img = document.getElementById("gv-map-img");
    var marker = document.getElementById("gv-map-marker");
    var x = document.getElementById("id_map_x");
    var y = document.getElementById("id_map_y");
    if (!map || !img || !marker || !x || !y) return;
    function place() {
      var px = parseFloat(x.value), py = parseFloat(y.value);
      if (isNaN(px) || isNaN(py)) { marker.hidden = true; return; }
      marker.style.left = px + "%";
      marker.style.top = py + "%";
      marker.hidden = false;
    }
    img.addEventListener("click", function (ev) {
      var rect = img.getBoundingClientRect();
      var px = ((ev.clientX - rect.left) / rect.width) * 100;
      var py = ((ev.clientY - rect.top) / rect.height) * 100;
      x.value = Math.max(0, Math.min(100, px)).toFixed(2);
      y.value = Math.max(0, Math.min(100, py)).toFixed(2);
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
    place();
  });
})();
