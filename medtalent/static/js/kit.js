/* The back office kit (issue 11): the menu button, the CSRF token of every HTMX request, the tables' tick boxes.
   No inline script anywhere (the CSP forbids it): everything is delegated from the document. */
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The CSRF token travels with every HTMX request. A new log-in (in another tab too) rotates the token: the
  // cookie always holds the current one, the page's copy (body hx-headers) may be stale.
  // Django reads a form's own csrfmiddlewaretoken before the header: a form's stale copy is refreshed too.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = cookie("csrftoken");
    if (!token) { return; }
    event.detail.headers["X-CSRFToken"] = token;
    var values = event.detail.formData;
    if (values && typeof values.has === "function" && values.has("csrfmiddlewaretoken")) {
      values.set("csrfmiddlewaretoken", token);
    }
  });
  // A form sent the ordinary way (no HTMX) carries the current token as well.
  document.addEventListener("submit", function (event) {
    var token = cookie("csrftoken");
    if (!token || !event.target.querySelectorAll) { return; }
    event.target.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
  }, true);

  // The header's menu button shows the side menu (staff) or the top links (everyone else) on a narrow screen.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-button");
    if (!button) { return; }
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("nav-open", open);
    if (open) {
      var first = document.getElementById(button.getAttribute("aria-controls"));
      var link = first && first.querySelector("a");
      if (link) { link.focus(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.body.classList.contains("nav-open")) { return; }
    var button = document.querySelector(".menu-button");
    document.body.classList.remove("nav-open");
    if (button) { button.setAttribute("aria-expanded", "false"); button.focus(); }
  });

  // Tables: "select every row on this page", and how many rows are ticked.
  function countPicked(table) {
    var results = table.closest(".kit-results") || document;
    var picked = results.querySelectorAll(".kit-pick:checked").length;
    var out = results.querySelector(".kit-picked");
    if (out) { out.textContent = picked ? out.dataset.template.replace("{n}", picked) : ""; }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList.contains("kit-pick-all")) {
      var table = target.closest("table");
      table.querySelectorAll(".kit-pick").forEach(function (box) { box.checked = target.checked; });
      countPicked(table);
    } else if (target.classList.contains("kit-pick")) {
      countPicked(target.closest("table"));
    }
  });
})();
