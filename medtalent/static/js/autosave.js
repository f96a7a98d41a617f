// Autosaved forms (the profile, the application form) keep what was typed whatever happens to the session or the
// network.
//  - The CSRF header of every HTMX request comes from static/js/kit.js (the base template). A form that holds
//    {% csrf_token %} also sends the token in its body, and Django reads the body first: after a log-in in another
//    tab (which rotates the token) that copy is stale, so it is replaced here by the cookie's current token, for
//    HTMX requests and for full submits alike.
//  - A 401 answer (session expired) is shown in the status line instead of being dropped, and the form's
//    inputs are left alone.
//  - A network failure says that nothing was saved and that the text is still in the page.
(function () {
  "use strict";

  // htmx copies an old element's style attribute onto its replacement while settling; under our CSP (no
  // inline style) even an empty style="" (mobile browsers add them) is reported. Our swaps need no styles.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail.verb !== "get" && event.detail.parameters &&
        event.detail.parameters["csrfmiddlewaretoken"] !== undefined) {
      event.detail.parameters["csrfmiddlewaretoken"] = token;
    }
  });

  document.addEventListener("submit", function (event) {
    var token = csrfToken();
    if (!token) return;
    event.target.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }, true);

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 401) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var status = document.getElementById("autosave-status");
    var form = event.detail.elt && event.detail.elt.closest("[data-autosave]");
    if (status && form) {
      status.textContent = form.getAttribute("data-offline-message") || "Not saved: no connection.";
      status.classList.add("autosave-expired");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.getElementById("autosave-status");
    if (status && event.detail.target === status && event.detail.xhr.status === 200) {
      status.classList.remove("autosave-expired");
    }
  });
})();
