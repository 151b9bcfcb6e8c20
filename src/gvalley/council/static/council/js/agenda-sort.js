// Drag-and-drop reordering of a meeting's agenda (SortableJS, bundled from npm). The Up/Down buttons in each row
// do the same without a mouse; this script only adds the drag handle. The whole new order is posted at once and
// the server answers with the order it saved; if it refuses, the page is reloaded so that it shows that order.
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function renumber(body) {
    var rows = body.querySelectorAll("tr[data-id]");
    rows.forEach(function (row, i) {
      var no = row.querySelector(".cc-row-no");
      if (no) no.textContent = String(i + 1);
      // the first row cannot move up, the last cannot move down
      var buttons = row.querySelectorAll("form[action*='/move/'] button");
      if (buttons.length === 2) {
        buttons[0].disabled = i === 0;
        buttons[1].disabled = i === rows.length - 1;
      }
    });
  }
  onReady(function () {
    if (typeof window.Sortable === "undefined") return;
    document.querySelectorAll("tbody[data-agenda-sort]").forEach(function (body) {
      var status = document.getElementById("agenda-sort-status");
      function say(text) { if (status) status.textContent = text; }
      window.Sortable.create(body, {
        handle: ".cc-drag",
        draggable: "tr[data-id]",
        animation: 150,
        forceFallback: true,
        onEnd: function (ev) {
          if (ev.oldIndex === ev.newIndex) return;
          var data = new FormData();
          body.querySelectorAll("tr[data-id]").forEach(function (row) { data.append("item", row.getAttribute("data-id")); });
          fetch(body.getAttribute("data-agenda-sort"), {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
          }).then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          }).then(function (answer) {
            renumber(body);
            say(answer.message || body.getAttribute("data-saved"));
          }).catch(function () {
            say(body.getAttribute("data-failed"));
            window.setTimeout(function () { window.location.reload(); }, 1500);
          });
        }
      });
    });
  });
})();
