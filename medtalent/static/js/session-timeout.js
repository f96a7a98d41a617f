// The idle-logout warning (issue 10): a banner SESSION_IDLE_WARNING seconds before the server logs an idle session
// out, with a "stay logged in" button that pings the keep-alive URL. Any HTMX request (an autosave) counts as
// activity, as it does on the server. No inline script: everything comes from the banner's data attributes.
(function () {
  "use strict";
  var banner = document.getElementById("session-banner");
  if (!banner) { return; }
  var idle = parseInt(banner.dataset.idle, 10) || 1800;
  var warn = parseInt(banner.dataset.warn, 10) || 120;
  var absoluteLeft = parseInt(banner.dataset.absoluteLeft, 10);
  // The server writes its last-activity stamp at most once a minute: count from a minute earlier to be safe.
  var slack = Math.min(60, Math.floor(idle / 4));
  var loadedAt = Date.now();
  var absoluteEnd = isNaN(absoluteLeft) ? Infinity : loadedAt + absoluteLeft * 1000;
  var lastActivity = loadedAt;
  var form = banner.querySelector("form.session-keepalive");
  var warning = banner.querySelector(".session-warn");
  var expired = banner.querySelector(".session-expired");
  var timer = null;

  function deadline() {
    return Math.min(lastActivity + (idle - slack) * 1000, absoluteEnd);
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    var now = Date.now();
    var end = deadline();
    if (now >= end) {
      banner.hidden = false;
      warning.hidden = true;
      form.hidden = true;
      expired.hidden = false;
      return;
    }
    if (now >= end - warn * 1000) {
      banner.hidden = false;
      form.hidden = end === absoluteEnd;  // the session's maximum length cannot be extended
      timer = setTimeout(schedule, Math.min(end - now, 1000));
      return;
    }
    banner.hidden = true;
    timer = setTimeout(schedule, end - warn * 1000 - now);
  }

  function active() {
    lastActivity = Date.now();
    schedule();
  }

  // A plain button (the banner only exists with JavaScript): the form carries the URL and the CSRF token.
  form.querySelector("button.session-stay").addEventListener("click", function () {
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) { active(); } else { lastActivity = 0; schedule(); }
      })
      .catch(function () { /* offline: the banner stays, the user may try again */ });
  });
  document.body.addEventListener("htmx:afterRequest", active);
  schedule();
})();
