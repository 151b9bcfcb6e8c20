// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  onReady(function () {
    // Selects marked gv-autosubmit submit their form on change; the fallback button is then hidden.
    document.querySelectorAll("select.gv-autosubmit").forEach(function (select) {
      var form = select.form;
      if (!form) return;
      form.querySelectorAll(".gv-nojs").forEach(function (b) { b.hidden = true; });
      select.addEventListener("change", function () { form.submit(); });
    });
    // Buttons with data-confirm ask before submitting.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
    // htmx: send the CSRF token with every request.
    document.body.addEventListener("htmx:configRequest", function (ev) {
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      var cookie = document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; });
      var value = token ? token.value : (cookie ? cookie.split("=")[1] : "");
      if (value) ev.detail.headers["X-CSRFToken"] = value;
    });
  });
})();
