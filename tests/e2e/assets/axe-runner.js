// Runs axe-core on the top document of every page the browser tests visit: when the page has loaded and again
// after every HTMX swap. tests/e2e/conftest.py injects axe.min.js and this file as an init script (so the site's
// Content-Security-Policy does not apply and nothing is added to the page).
//
// Each check finishes within the browser task that started it: axe-core yields to the event loop after each
// rule with setTimeout(…, 0), and while a check runs those callbacks run as microtasks instead. The check at load
// runs inside the `load` event, which Playwright waits for; nothing the test does next (a click, a key, which
// need this page's main thread) can come between a page and its check, and the result reaches Python (the
// `__mtAxeReport` binding) before the page can be left. Python calls `settle()` before it navigates itself
// (goto, reload, back): it waits for the HTMX requests in flight and their checks.
(() => {
  if (window !== window.top || window.__mtAxe) return;
  const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const MAX_TARGETS = 5;
  const realSetTimeout = window.setTimeout;
  let running = null;
  let pending = null;
  const stats = { checks: 0, ms: 0 };

  const isPage = () => document.contentType === "text/html" && location.protocol.startsWith("http");

  function inOneTask(start) {
    window.setTimeout = function (handler, delay, ...args) {
      if (!delay && typeof handler === "function") {
        queueMicrotask(() => handler(...args));
        return 0;
      }
      return realSetTimeout.call(window, handler, delay, ...args);
    };
    return start().finally(() => {
      window.setTimeout = realSetTimeout;
    });
  }

  // `elements`: only those (what an HTMX swap settled), else the whole page.
  async function check(reason, elements) {
    const started = performance.now();
    const scope = elements ? { include: elements.filter((element) => element.isConnected) } : document;
    if (elements && !scope.include.length) return;
    let payload;
    try {
      const result = await inOneTask(() =>
        // preload: false — axe would fetch the stylesheets again (an @import, as in Django's admin CSS)
        // and wait for the network, beyond this task; no rule of the tags checked needs that CSSOM.
        axe.run(scope, { runOnly: { type: "tag", values: TAGS }, resultTypes: ["violations"], preload: false }),
      );
      payload = {
        url: location.href,
        reason,
        ms: Math.round(performance.now() - started),
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          count: v.nodes.length,
          targets: v.nodes.slice(0, MAX_TARGETS).map((n) => n.target.join(" ")),
          summary: (v.nodes[0] && v.nodes[0].failureSummary) || "",
        })),
      };
    } catch (error) {
      payload = { url: location.href, reason, error: String((error && error.stack) || error) };
    }
    stats.checks += 1;
    stats.ms += performance.now() - started;
    // Not awaited: the call reaches Python at once; its answer would come back only through this document.
    window.__mtAxeReport(payload);
  }

  // One check at a time (axe refuses concurrent runs); asked for during a check, one more check follows it. A
  // check after HTMX swaps looks at what they settled only; the checks on load and at the end, at the whole page.
  let swapped = new Set();
  let wholePage = false;
  function schedule(reason, element) {
    if (!isPage()) return Promise.resolve();
    if (element) {
      swapped.add(element);
      pending = pending || reason;
    } else {
      wholePage = true;
      pending = reason;
    }
    if (!running) {
      running = (async () => {
        await null; // the swaps HTMX settles together (one task, one stack) are checked together
        while (pending) {
          const why = pending;
          const elements = wholePage ? null : [...swapped];
          pending = null;
          wholePage = false;
          swapped = new Set();
          await check(why, elements);
        }
        running = null;
      })();
      // Had the check not finished within this task, a result could be lost: the tests fail on it.
      const url = location.href;
      realSetTimeout(() => {
        if (running) window.__mtAxeReport({ url, reason, error: "the check did not finish within one task" });
      }, 0);
    }
    return running;
  }

  let markLoaded;
  const loadedPromise = new Promise((resolve) => (markLoaded = resolve));
  // Listening from DOMContentLoaded on, after the `load` handlers the page's own scripts set up.
  document.addEventListener("DOMContentLoaded", () =>
    window.addEventListener("load", () => {
      schedule("on load");
      markLoaded();
    }),
  );
  // HTMX requests in flight: their swap (and its check) comes up to `htmx.config.settleDelay` (20 ms) later.
  // (HTMX may say afterRequest twice for one request: requests are counted by their XMLHttpRequest.)
  const inFlight = new Set();
  document.addEventListener("htmx:beforeSend", (event) => inFlight.add(event.detail.xhr));
  document.addEventListener("htmx:afterRequest", (event) =>
    realSetTimeout(() => inFlight.delete(event.detail.xhr), 100),
  );
  document.addEventListener("htmx:afterSettle", (event) => schedule("after an HTMX swap", event.target));

  const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => realSetTimeout(resolve, ms))]);
  const loaded = () => (isPage() ? loadedPromise : Promise.resolve());
  const pause = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));
  async function idle() {
    await loaded();
    while (running || inFlight.size > 0) await (running || pause(20));
  }

  Object.defineProperty(window, "__mtAxe", {
    value: Object.freeze({
      stats,
      // Wait (at most 15 s) until the page has loaded, its HTMX requests have settled and its checks are done.
      settle: () => within(idle(), 15000).then(() => stats),
      // One more check of the page as the test leaves it (what the test did on it without HTMX).
      final: () => within(idle().then(() => schedule("at the end of the test")), 15000).then(() => stats),
    }),
  });
})();
